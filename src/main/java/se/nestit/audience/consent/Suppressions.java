package se.nestit.audience.consent;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
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

    private final Set<String> customerIds = new HashSet<>();
    private final Set<String> emails = new HashSet<>();

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
        for (String id : customerIds) {
            int i = customers.indexOf(id);
            if (i >= 0) {
                addEmail(rawEmail.apply(i));
            }
        }
    }

    private void addEmail(String email) {
        String basic = Normalization.basic(email);
        if (!basic.isEmpty()) {
            emails.add(basic);
            emails.add(gmailMailbox(basic));
        }
    }

    /** @param basicEmail the customer's email after basic normalization */
    public boolean covers(String customerId, String basicEmail) {
        if (customerIds.contains(customerId) || emails.contains(basicEmail)) {
            return true;
        }
        // any other address is its own mailbox, looked up already
        return Normalization.isGmail(basicEmail) && emails.contains(gmailMailbox(basicEmail));
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
