package se.nestit.audience.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an email is prepared before hashing, per the network that will match it. Every profile
 * starts with {@link #basic(String)}.
 */
public enum Normalization {
    /** Trim Unicode white space and BOMs, lowercase. */
    BASIC,
    /** Basic, then Google's rules for Gmail: no dots and no {@code +tag} in the local part. */
    GOOGLE,
    /** Basic; Meta asks for exactly trim and lowercase. */
    META;

    public String apply(String email) {
        return fromBasic(basic(email));
    }

    /** The profile's form of an email that {@link #basic(String)} gave: each profile starts from the same. */
    public String fromBasic(String basic) {
        return this == GOOGLE ? googleGmail(basic) : basic;
    }

    /**
     * The profile's form of a {@link EmailSyntax#isPlain plain} cell, as bytes written into {@code
     * into} (room for the cell's length): {@link #apply} of it, without a string. Returns the length.
     */
    public int fromPlain(byte[] cell, int from, int to, byte[] into) {
        int n = 0;
        int at = -1;
        for (int i = from; i < to; i++) {
            byte b = cell[i];
            into[n] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
            if (b == '@') {
                at = n;
            }
            n++;
        }
        if (this != GOOGLE || !isGmail(into, n)) {
            return n;
        }
        // Google's rules on the local part, up to the last '@': no dots, nothing from the first '+'
        int local = 0;
        boolean tagged = false;
        for (int i = 0; i < at; i++) {
            tagged |= into[i] == '+';
            if (!tagged && into[i] != '.') {
                into[local++] = into[i];
            }
        }
        System.arraycopy(into, at, into, local, n - at);
        return local + n - at;
    }

    private static boolean isGmail(byte[] lowered, int n) {
        return endsWith(lowered, n, "@gmail.com") || endsWith(lowered, n, "@googlemail.com");
    }

    private static boolean endsWith(byte[] lowered, int n, String suffix) {
        int k = suffix.length();
        if (n < k) {
            return false;
        }
        for (int i = 0; i < k; i++) {
            if (lowered[n - k + i] != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The profile's name in configuration files: {@code basic}, {@code google}, {@code meta}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Normalization fromConfigName(String name) {
        for (Normalization n : values()) {
            if (n.configName().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("expected one of " + names() + " but was '" + name + "'");
    }

    public static String names() {
        return Arrays.stream(values()).map(Normalization::configName).collect(Collectors.joining(", "));
    }

    public static String basic(String email) {
        return WhiteSpace.strip(email).toLowerCase(Locale.ROOT);
    }

    /** Whether a basic-normalized address is on one of Google's two Gmail domains, which Google's rules rewrite. */
    public static boolean isGmail(String basic) {
        // the text after the last '@' is one of the domains exactly when the address ends in '@' and it
        return basic.endsWith("@gmail.com") || basic.endsWith("@googlemail.com");
    }

    private static String googleGmail(String email) {
        if (!isGmail(email)) {
            return email;
        }
        int at = email.lastIndexOf('@');
        String local = email.substring(0, at);
        int plus = local.indexOf('+');
        if (plus >= 0) {
            local = local.substring(0, plus);
        }
        return local.replace(".", "") + email.substring(at);
    }
}
