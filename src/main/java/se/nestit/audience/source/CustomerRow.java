package se.nestit.audience.source;

/**
 * One accepted customers.csv record. {@code email} is the raw cell: it is normalized by the
 * consent gate and must never be logged. {@code cells} gives every column, for rules on the
 * customer's own row; the reader reuses it, so it is valid only while the row is being handled.
 */
public record CustomerRow(long line, String customerId, String email, RowView cells) {}
