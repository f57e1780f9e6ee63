package se.nestit.audience.source;

/**
 * One accepted order line or behaviour event: whose, when (microseconds since the epoch), the
 * amount in millionths ({@link Amounts}; 0 for events and for orders without one), and every cell
 * for the rules' {@code where} filters.
 */
public record ActivityRow(long line, String customerId, long at, long amount, String[] cells) {}
