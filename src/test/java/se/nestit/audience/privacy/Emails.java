package se.nestit.audience.privacy;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Email cells drawn from a small pool of mailboxes so that generated customers collide often: the
 * same address under several customer_ids, case and padding variants (NBSP, BOM, ideographic space,
 * line breaks), Gmail's dot, +tag and googlemail.com spellings of one mailbox, look-alikes that are
 * other mailboxes (dots outside Gmail, gmail.se), and empty or invalid cells.
 */
public final class Emails {

    /** Local parts of Gmail mailboxes, canonical (no dots, no tag). */
    static final List<String> GMAIL_LOCALS = List.of("annalind", "bo", "kim");

    /** Addresses outside Gmail: dots and tags are part of the mailbox there. */
    static final List<String> OTHER_MAILBOXES = List.of(
            "bo@example.se",
            "b.o@example.se",
            "bo+x@example.se",
            "cecilia@outlook.com",
            "åsa@exempel.se",
            "anna.lind@hotmail.com",
            "annalind@gmail.se",
            "a.b@mail.gmail.com",
            "kim@googlemail.se");

    static final List<String> EMPTY = List.of("", " ", "\u00A0", "\uFEFF", "\t \u3000");

    static final List<String> INVALID = List.of(
            "anna lind@gmail.com",
            "no-at-sign.se",
            "two@@x.se",
            "a@b",
            "olof@gmail",
            "stina@yahoo,se",
            "anna\u00A0lind@gmail.com",
            "@hotmail.com",
            "bo@example.",
            "\"quoted\"@x");

    /**
     * Valid by the contract's test but odd: a tag or dots alone as the Gmail local part (nothing is
     * left of it in Google's form), a zero-width space (not white space), a dotted capital I.
     */
    static final List<String> ODD =
            List.of("+news@gmail.com", ".@gmail.com", "..+x@googlemail.com", "\u200Bbo@example.se", "İSAK@x.se");

    static final List<String> PADDING = List.of(
            "", "", "", "", " ", "\u00A0", "\t", "\uFEFF", "\u3000", "\u2007", "\u202F", "\u2028", "\n", " \u00A0 ");

    private Emails() {}

    /** An email cell as a customers.csv or suppressions.csv export might hold it. */
    public static Arbitrary<String> cells() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, spellings()),
                Tuple.of(1, Arbitraries.of(EMPTY)),
                Tuple.of(2, Arbitraries.of(INVALID)),
                Tuple.of(1, Arbitraries.of(ODD)));
    }

    /** A valid address from the pool, in some spelling. */
    public static Arbitrary<String> spellings() {
        Arbitrary<String> mailbox = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(GMAIL_LOCALS).map(l -> l + "@gmail.com")),
                Tuple.of(2, Arbitraries.of(OTHER_MAILBOXES)));
        return Combinators.combine(mailbox, Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as(Emails::respell);
    }

    /**
     * Another spelling of {@code email}, chosen by {@code how}: for a Gmail mailbox other dots, maybe
     * a +tag, maybe googlemail.com; for any address another case and other padding. The result is
     * the same mailbox by the README's suppression rule.
     */
    public static String respell(String email, int how) {
        String b = ContractOracle.basic(email);
        String mailbox = ContractOracle.gmailMailbox(b);
        if (mailbox.endsWith("@gmail.com") && !mailbox.startsWith("@")) {
            String domain = (how >>> 11 & 0x3) == 0 ? "googlemail.com" : "gmail.com";
            return spell(mailbox.substring(0, mailbox.indexOf('@')), domain, how);
        }
        return pad((how >>> 13) & 0xF) + cased(b, (how >>> 17) & 0x3) + pad((how >>> 19) & 0xF);
    }

    /**
     * One spelling, chosen by {@code how}, of the Gmail mailbox {@code canonicalLocal} on
     * {@code domain} (gmail.com or googlemail.com, kept): dots, maybe a +tag, a case, padding.
     */
    public static String spell(String canonicalLocal, String domain, int how) {
        String address = dotted(canonicalLocal, how & 0xFF) + tag((how >>> 8) & 0x7) + "@" + domain;
        return pad((how >>> 13) & 0xF) + cased(address, (how >>> 17) & 0x3) + pad((how >>> 19) & 0xF);
    }

    /**
     * A Gmail local part with dots: bit {@code i % 6} of the mask puts one after character i, bit 6
     * one at the end, bit 7 one at the start; all bits set doubles them.
     */
    static String dotted(String local, int mask) {
        String dot = mask == 0xFF ? ".." : ".";
        StringBuilder s = new StringBuilder((mask & 0x80) != 0 ? dot : "");
        for (int i = 0; i < local.length(); i++) {
            s.append(local.charAt(i));
            if (i < local.length() - 1 ? (mask >>> (i % 6) & 1) != 0 : (mask & 0x40) != 0) {
                s.append(dot);
            }
        }
        return s.toString();
    }

    static String tag(int k) {
        return switch (k) {
            case 1 -> "+news";
            case 2 -> "+x.y";
            case 3 -> "+";
            case 4 -> "+a+b";
            default -> "";
        };
    }

    static String pad(int k) {
        return PADDING.get(k % PADDING.size());
    }

    static String cased(String s, int mode) {
        return switch (mode) {
            case 1 -> s.toUpperCase(Locale.ROOT);
            case 2 -> capitalized(s);
            default -> s;
        };
    }

    private static String capitalized(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == '.' || c == '@' || c == '+';
        }
        return out.toString();
    }
}
