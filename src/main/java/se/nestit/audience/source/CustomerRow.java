package se.nestit.audience.source;

/**
 * One accepted customers.csv record. {@code email} is the raw cell: it is normalized by the
 * consent gate and must never be logged. {@code cells} holds every column, for rules on the
 * customer's own row.
 */
public record CustomerRow(long line, String customerId, String email, String[] cells) {}
