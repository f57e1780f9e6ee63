package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
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
        return micros(cell, false);
    }

    /**
     * {@link #micros(String)}, with a comma for the decimal point when {@code decimalComma} ({@code 199,00}
     * as Excel writes it where the comma is the decimal mark); then a point is as invalid as a comma otherwise.
     */
    public static long micros(String cell, boolean decimalComma) {
        String s = WhiteSpace.strip(cell);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return INVALID;
            }
        }
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return parse(b, 0, b.length, decimalComma ? (byte) ',' : (byte) '.');
    }

    /** {@link #micros(String, boolean)} of a cell held as UTF-8 bytes. */
    public static long micros(byte[] bytes, int from, int to, boolean decimalComma) {
        while (from < to && Timestamps.isAsciiSpace(bytes[from])) {
            from++;
        }
        while (to > from && Timestamps.isAsciiSpace(bytes[to - 1])) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return micros(new String(bytes, from, to - from, StandardCharsets.UTF_8), decimalComma);
            }
        }
        return parse(bytes, from, to, decimalComma ? (byte) ',' : (byte) '.');
    }

    private static long parse(byte[] s, int from, int to, byte decimalMark) {
        if (from == to) {
            return 0;
        }
        int pos = from;
        boolean negative = false;
        if (s[pos] == '-' || s[pos] == '+') {
            negative = s[pos] == '-';
            pos++;
        }
        long whole = 0;
        int wholeDigits = 0;
        while (pos < to && isDigit(s[pos])) {
            whole = whole * 10 + (s[pos++] - '0');
            if (++wholeDigits > MAX_INTEGER_DIGITS) {
                return INVALID;
            }
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (pos < to && s[pos] == decimalMark) {
            pos++;
            while (pos < to && isDigit(s[pos])) {
                fraction = fraction * 10 + (s[pos++] - '0');
                if (++fractionDigits > MAX_DECIMALS) {
                    return INVALID;
                }
            }
            if (fractionDigits == 0) {
                return INVALID;
            }
        }
        if (pos != to || wholeDigits + fractionDigits == 0) {
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
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return isIntegerOrEmpty(b, 0, b.length);
    }

    /** {@link #isIntegerOrEmpty(String)} of a cell held as UTF-8 bytes. */
    public static boolean isIntegerOrEmpty(byte[] s, int from, int to) {
        while (from < to && Timestamps.isAsciiSpace(s[from])) {
            from++;
        }
        while (to > from && Timestamps.isAsciiSpace(s[to - 1])) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (s[i] < 0) {
                return isIntegerOrEmpty(new String(s, from, to - from, StandardCharsets.UTF_8));
            }
        }
        int start = from < to && (s[from] == '-' || s[from] == '+') ? from + 1 : from;
        if (to - start > 18 || (start > from && start == to)) {
            return false;
        }
        for (int i = start; i < to; i++) {
            if (!isDigit(s[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
