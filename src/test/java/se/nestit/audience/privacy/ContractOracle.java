package se.nestit.audience.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The identity and gate rules of DESIGN.md and the README, written out again from the text and
 * nothing else: no production class is used (only {@link MessageDigest}), so that a property
 * comparing the two is a comparison with an independent answer, not the code with itself.
 */
public final class ContractOracle {

    /** The verdicts of the contract's gate, in its order of precedence. */
    public enum Verdict {
        NO_EMAIL,
        INVALID_EMAIL,
        SUPPRESSED,
        CONSENT_UNREADABLE,
        CONSENT_MISSING,
        CONSENT_DENIED,
        CONSENT_WITHDRAWN,
        CONSENT_EXPIRED,
        EXPORTABLE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Leading or trailing Unicode white space (\s under UNICODE_CHARACTER_CLASS) and byte order marks. */
    private static final Pattern PADDING =
            Pattern.compile("^[\\s\\uFEFF]+|[\\s\\uFEFF]+$", Pattern.UNICODE_CHARACTER_CLASS);
    /** The contract's validity test, literally. */
    private static final Pattern VALID =
            Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$", Pattern.UNICODE_CHARACTER_CLASS);

    private ContractOracle() {}

    /** basic: strip Unicode white space (NBSP and BOM included) at both ends, lowercase with Locale.ROOT. */
    public static String basic(String email) {
        return PADDING.matcher(email).replaceAll("").toLowerCase(Locale.ROOT);
    }

    public static boolean isValid(String basicEmail) {
        return VALID.matcher(basicEmail).matches();
    }

    /**
     * google: basic, then for gmail.com and googlemail.com every dot out of the local part and the
     * local part cut at its first '+'; the domain is kept as written (googlemail stays googlemail).
     */
    public static String google(String email) {
        String b = basic(email);
        int at = b.lastIndexOf('@');
        if (at < 0) {
            return b;
        }
        String domain = b.substring(at + 1);
        if (!domain.equals("gmail.com") && !domain.equals("googlemail.com")) {
            return b;
        }
        String local = b.substring(0, at);
        int plus = local.indexOf('+');
        if (plus >= 0) {
            local = local.substring(0, plus);
        }
        return local.replace(".", "") + "@" + domain;
    }

    /** meta: trim and lowercase, i.e. basic. */
    public static String meta(String email) {
        return basic(email);
    }

    /** The profile a destination names: basic, google or meta. */
    public static String normalize(String profile, String email) {
        return switch (profile) {
            case "basic", "meta" -> basic(email);
            case "google" -> google(email);
            default -> throw new IllegalArgumentException(profile);
        };
    }

    /**
     * The README's extension for suppressions: Gmail's mailbox, in which a.b+x@googlemail.com and
     * ab@gmail.com are one (dots and tag dropped, googlemail.com read as gmail.com).
     */
    public static String gmailMailbox(String email) {
        String g = google(email);
        return g.endsWith("@googlemail.com") ? g.substring(0, g.length() - "googlemail.com".length()) + "gmail.com" : g;
    }

    /** SHA-256 of the UTF-8 bytes, lowercase hex. */
    public static String sha256Hex(String normalized) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(normalized.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hash(String profile, String email) {
        return sha256Hex(normalize(profile, email));
    }
}
