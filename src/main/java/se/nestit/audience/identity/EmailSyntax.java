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
}
