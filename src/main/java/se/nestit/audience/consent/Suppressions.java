package se.nestit.audience.consent;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import se.nestit.audience.identity.EmailSyntax;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.WhiteSpace;
import se.nestit.audience.source.CustomerLookup;

/**
 * Customers who must never be exported, by customer_id or by email, whatever the reason (erasure,
 * objection, opt-out, restriction) and whatever the date.
 *
 * <p>Emails match after basic normalization, as the contract says, and also as the mailbox Gmail
 * delivers to: {@code A.B+x@googlemail.com} and {@code ab@gmail.com} are one mailbox and one person
 * to Google, so an objection under one spelling must not let the other through.
 */
public final class Suppressions {

    /** Bits of {@link #filter}: 32 KB that stay in a core's cache, where the email set's table and entries do not. */
    private static final int FILTER_BITS = 1 << 18;

    private static final long FILTER_START = 0xCBF29CE484222325L;
    private static final String GMAIL = "@gmail.com";

    private final Set<String> customerIds = new HashSet<>();
    private final Set<String> emails = new HashSet<>();
    /**
     * Two bits set per email held, from the hash of its characters ({@link #filterHash}): a cell
     * whose bits are not both set is not held, which most cells learn without a string or a lookup.
     */
    private final long[] filter = new long[FILTER_BITS / 64];

    /** Adds one suppression row; either value may be empty, not both (the reader rejects that row). */
    public void add(String customerId, String email) {
        String id = WhiteSpace.strip(customerId);
        if (!id.isEmpty()) {
            customerIds.add(id);
        }
        addEmail(email);
    }

    /**
     * Lets a suppression by customer_id follow the person: when this customer_id is suppressed, its
     * email is suppressed on every other customer record too (an erased C1 must not come back as
     * C2 with the same address). Offer every customer record before asking {@link #covers}.
     */
    public void followPerson(String customerId, String rawEmail) {
        if (customerIds.contains(customerId)) {
            addEmail(rawEmail);
        }
    }

    /**
     * {@link #followPerson} for every customer at once: asks for the few suppressed ids rather than
     * offering each of a million customers.
     *
     * @param rawEmail the email cell of a customer at an index of {@code customers}
     */
    public void followPersons(CustomerLookup customers, IntFunction<String> rawEmail) {
        customersIn(customers).stream().forEach(i -> addEmail(rawEmail.apply(i)));
    }

    /** The customers at indexes of {@code customers} whose customer_id is suppressed: what {@link #covers} asks by id. */
    public BitSet customersIn(CustomerLookup customers) {
        BitSet suppressed = new BitSet();
        for (String id : customerIds) {
            int i = customers.indexOf(id);
            if (i >= 0) {
                suppressed.set(i);
            }
        }
        return suppressed;
    }

    private void addEmail(String email) {
        String basic = Normalization.basic(email);
        if (!basic.isEmpty()) {
            hold(basic);
            hold(gmailMailbox(basic));
        }
    }

    private void hold(String email) {
        emails.add(email);
        long h = FILTER_START;
        for (int i = 0; i < email.length(); i++) {
            h = filterStep(h, email.charAt(i));
        }
        setFilterBits(filterHash(h));
    }

    /** @param basicEmail the customer's email after basic normalization */
    public boolean covers(String customerId, String basicEmail) {
        if (customerIds.contains(customerId) || emails.contains(basicEmail)) {
            return true;
        }
        // any other address is its own mailbox, looked up already
        return Normalization.isGmail(basicEmail) && emails.contains(gmailMailbox(basicEmail));
    }

    /**
     * {@link #covers} by the email alone, for a cell that {@link EmailSyntax#isPlain is plain} and
     * {@link EmailSyntax#isValidPlain valid}: its bytes lowercased are its basic form, and its
     * Gmail mailbox is spelled from them without a string. A string is made only when the filter
     * cannot rule the cell out, and then the held emails decide exactly as {@link #covers} does.
     */
    public boolean coversPlain(byte[] cell, int from, int to) {
        long h = FILTER_START;
        for (int i = from; i < to; i++) {
            h = filterStep(h, lower(cell[i]));
        }
        if (mayHold(filterHash(h)) && emails.contains(basic(cell, from, to))) {
            return true;
        }
        if (!endsWith(cell, from, to, "@gmail.com") && !endsWith(cell, from, to, "@googlemail.com")) {
            return false;
        }
        // Google's mailbox: the local part up to its first '+' without dots, on gmail.com (a valid cell has one '@')
        long m = FILTER_START;
        boolean tagged = false;
        int i = from;
        for (; cell[i] != '@'; i++) {
            tagged |= cell[i] == '+';
            if (!tagged && cell[i] != '.') {
                m = filterStep(m, lower(cell[i]));
            }
        }
        for (int k = 0; k < GMAIL.length(); k++) {
            m = filterStep(m, GMAIL.charAt(k));
        }
        return mayHold(filterHash(m)) && emails.contains(gmailMailbox(basic(cell, from, to)));
    }

    /** FNV-1a over characters, which for ASCII are the bytes. */
    private static long filterStep(long h, int c) {
        return (h ^ c) * 0x100000001B3L;
    }

    private static long filterHash(long h) {
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 32);
    }

    private void setFilterBits(long hash) {
        int a = (int) hash & (FILTER_BITS - 1);
        int b = (int) (hash >>> 40) & (FILTER_BITS - 1);
        filter[a >>> 6] |= 1L << a;
        filter[b >>> 6] |= 1L << b;
    }

    private boolean mayHold(long hash) {
        int a = (int) hash & (FILTER_BITS - 1);
        int b = (int) (hash >>> 40) & (FILTER_BITS - 1);
        return (filter[a >>> 6] & (1L << a)) != 0 && (filter[b >>> 6] & (1L << b)) != 0;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** A plain cell's basic form: its ASCII lowercased. */
    private static String basic(byte[] cell, int from, int to) {
        byte[] lowered = new byte[to - from];
        Normalization.basicPlain(cell, from, to, lowered);
        return new String(lowered, StandardCharsets.US_ASCII);
    }

    private static boolean endsWith(byte[] cell, int from, int to, String suffix) {
        int n = suffix.length();
        if (to - from < n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (lower(cell[to - n + k]) != suffix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Google's spelling of a Gmail address, on gmail.com whichever of Google's two domains it used. */
    private static String gmailMailbox(String basicEmail) {
        // basic normalization is idempotent (NormalizationTest), so the Google profile starts from here
        String google = Normalization.GOOGLE.fromBasic(basicEmail);
        return google.endsWith("@googlemail.com")
                ? google.substring(0, google.length() - "googlemail.com".length()) + "gmail.com"
                : google;
    }
}
