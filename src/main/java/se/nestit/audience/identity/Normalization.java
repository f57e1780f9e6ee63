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
     * The profile that gives every email the same form as this one, and so the same digest: basic
     * for meta, whose {@link #fromBasic} changes nothing either; else this profile.
     */
    public Normalization sameFormAs() {
        return this == META ? BASIC : this;
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

    /**
     * {@link #basic(String)} of a cell that {@link EmailSyntax#isPlain is plain}: its ASCII
     * lowercased, written into {@code out} from its start (room for {@code to - from} bytes).
     */
    public static void basicPlain(byte[] cell, int from, int to, byte[] out) {
        for (int i = from; i < to; i++) {
            byte b = cell[i];
            out[i - from] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
        }
    }

    /**
     * {@link #fromBasic} of a plain basic form, {@code basic[0..length)}: written into {@code out}
     * (room for {@code length} bytes) when the profile changes it, with its length returned; -1
     * when the profile's form is the basic one itself.
     */
    public int fromBasicPlain(byte[] basic, int length, byte[] out) {
        if (this != GOOGLE || !(endsWith(basic, length, "@gmail.com") || endsWith(basic, length, "@googlemail.com"))) {
            return -1;
        }
        int at = length - 1;
        while (basic[at] != '@') {
            at--;
        }
        int n = 0;
        for (int i = 0; i < at && basic[i] != '+'; i++) {
            if (basic[i] != '.') {
                out[n++] = basic[i];
            }
        }
        System.arraycopy(basic, at, out, n, length - at);
        return n + length - at;
    }

    private static boolean endsWith(byte[] text, int length, String suffix) {
        int from = length - suffix.length();
        if (from < 0) {
            return false;
        }
        for (int k = 0; k < suffix.length(); k++) {
            if (text[from + k] != suffix.charAt(k)) {
                return false;
            }
        }
        return true;
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
