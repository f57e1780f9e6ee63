package se.nestit.audience.identity;

/**
 * The contract's validity test for a basic-normalized email, {@code ^[^\s@]+@[^\s@]+\.[^\s@]+$}
 * with Unicode white space, written out by hand because the gate runs it once per customer and a
 * regular expression costs several times more. {@code EmailSyntaxTest} proves both agree.
 */
public final class EmailSyntax {

    private EmailSyntax() {}

    public static boolean isValid(String email) {
        int at = -1;
        for (int i = 0; i < email.length(); i++) {
            char c = email.charAt(i);
            if (c == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            } else if (WhiteSpace.isWhiteSpace(c)) {
                return false;
            }
        }
        if (at <= 0) {
            return false;
        }
        // The domain needs a dot with at least one character on each side of it.
        int lastPossibleDot = email.length() - 2;
        for (int i = at + 2; i <= lastPossibleDot; i++) {
            if (email.charAt(i) == '.') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an email cell's UTF-8 bytes are plain: printable ASCII without white space, as nearly
     * every address is. Basic normalization of a plain cell is ASCII lowercasing alone, and {@link
     * #isValidPlain} is {@link #isValid} of it, so the gate decides such a cell without making a
     * string of it.
     */
    public static boolean isPlain(byte[] cell, int from, int to) {
        if (from == to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (cell[i] <= ' ' || cell[i] >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** {@link #isValid} of a {@link #isPlain plain} cell's bytes (lowercasing moves no '@' nor '.'). */
    public static boolean isValidPlain(byte[] cell, int from, int to) {
        int at = -1;
        for (int i = from; i < to; i++) {
            if (cell[i] == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            }
        }
        if (at <= from) {
            return false;
        }
        for (int i = at + 2; i <= to - 2; i++) {
            if (cell[i] == '.') {
                return true;
            }
        }
        return false;
    }
}
