package se.nestit.audience.source;

/** One accepted suppressions.csv record; either value may be empty, never both. */
public record SuppressionRow(long line, String customerId, String email) {}
