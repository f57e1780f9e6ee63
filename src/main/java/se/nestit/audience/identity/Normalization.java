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
