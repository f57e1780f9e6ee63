package se.nestit.audience.source;

import se.nestit.audience.identity.WhiteSpace;

/**
 * Reads money and counts exactly. Amounts become millionths (a {@code long}) so that sums such as
 * {@code 1999.99 + 0.01} reach {@code 2000} exactly, which floating point does not promise.
 */
public final class Amounts {

    /** Returned for a cell that is not a plain decimal number. */
    public static final long INVALID = Long.MIN_VALUE;

    public static final int MAX_DECIMALS = 6;
    public static final long SCALE = 1_000_000L;
    private static final int MAX_INTEGER_DIGITS = 12;

    private Amounts() {}

    /**
     * A plain decimal ({@code -12.50}, {@code 199}, {@code .5}) in millionths; an empty cell is 0;
     * exponents, thousands separators, decimal commas and more than six decimals are {@link #INVALID}.
     */
    public static long micros(String cell) {
        String s = WhiteSpace.strip(cell);
        int n = s.length();
        if (n == 0) {
            return 0;
        }
        int pos = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            pos++;
        }
        long whole = 0;
        int wholeDigits = 0;
        while (pos < n && isDigit(s.charAt(pos))) {
            whole = whole * 10 + (s.charAt(pos++) - '0');
            if (++wholeDigits > MAX_INTEGER_DIGITS) {
                return INVALID;
            }
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (pos < n && s.charAt(pos) == '.') {
            pos++;
            while (pos < n && isDigit(s.charAt(pos))) {
                fraction = fraction * 10 + (s.charAt(pos++) - '0');
                if (++fractionDigits > MAX_DECIMALS) {
                    return INVALID;
                }
            }
            if (fractionDigits == 0) {
                return INVALID;
            }
        }
        if (pos != n || wholeDigits + fractionDigits == 0) {
            return INVALID;
        }
        for (int i = fractionDigits; i < MAX_DECIMALS; i++) {
            fraction *= 10;
        }
        long value = whole * SCALE + fraction;
        return negative ? -value : value;
    }

    /** Whether a cell is empty or a whole number such as a quantity. */
    public static boolean isIntegerOrEmpty(String cell) {
        String s = WhiteSpace.strip(cell);
        int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (s.length() - start > 18 || (start == 1 && s.length() == 1)) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
