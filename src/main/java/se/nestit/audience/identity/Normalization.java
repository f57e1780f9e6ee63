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

    private static String googleGmail(String email) {
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return email;
        }
        String domain = email.substring(at + 1);
        if (!domain.equals("gmail.com") && !domain.equals("googlemail.com")) {
            return email;
        }
        String local = email.substring(0, at);
        int plus = local.indexOf('+');
        if (plus >= 0) {
            local = local.substring(0, plus);
        }
        return local.replace(".", "") + email.substring(at);
    }
}
