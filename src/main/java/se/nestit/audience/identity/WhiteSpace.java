package se.nestit.audience.identity;

/**
 * Unicode white space as the contract defines it: the {@code White_Space} property (what
 * {@code \s} matches under {@code Pattern.UNICODE_CHARACTER_CLASS}), which, unlike
 * {@link Character#isWhitespace(int)}, includes NO-BREAK SPACE and its relatives.
 */
public final class WhiteSpace {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private WhiteSpace() {}

    /** True for the 25 code points with the Unicode {@code White_Space} property. */
    public static boolean isWhiteSpace(int codePoint) {
        return (codePoint >= 0x09 && codePoint <= 0x0D)
                || codePoint == 0x20
                || codePoint == 0x85
                || codePoint == 0xA0
                || codePoint == 0x1680
                || (codePoint >= 0x2000 && codePoint <= 0x200A)
                || codePoint == 0x2028
                || codePoint == 0x2029
                || codePoint == 0x202F
                || codePoint == 0x205F
                || codePoint == 0x3000;
    }

    /**
     * Removes leading and trailing white space and byte order marks; a BOM counts because
     * spreadsheet exports leave it at the start of cells, where it is as invisible as a space.
     */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isStrippable(s.charAt(start))) {
            start++;
        }
        while (end > start && isStrippable(s.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    // Every White_Space code point is in the BMP, so looking at chars is exact.
    private static boolean isStrippable(char c) {
        return c == BYTE_ORDER_MARK || isWhiteSpace(c);
    }
}
