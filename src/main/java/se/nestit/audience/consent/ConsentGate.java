package se.nestit.audience.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import se.nestit.audience.identity.EmailSyntax;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

/**
 * Decides whether one customer record may be exported at all. Free of I/O so that every runner
 * (single machine or Spark) applies the very same rules.
 */
public final class ConsentGate {

    private final Instant expiredAtOrBefore;

    public ConsentGate(ConsentPolicy policy, Instant asOf) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(asOf, "asOf");
        this.expiredAtOrBefore = asOf.minus(Duration.ofDays(policy.maxAgeDays()));
    }

    /**
     * @param customerId the record's customer_id
     * @param rawEmail the email cell as read
     * @param suppressions everyone who must not be exported
     * @param consent the deciding consent record from {@link ConsentLedger}, or null when none
     * @param consentUnreadable whether a rejected consents.csv row may have decided instead ({@link ConsentLedger#unreadable})
     */
    public GateVerdict decide(
            String customerId,
            String rawEmail,
            Suppressions suppressions,
            ConsentRecord consent,
            boolean consentUnreadable) {
        return consent == null
                ? decide(customerId, rawEmail, suppressions, null, null, consentUnreadable)
                : decide(customerId, rawEmail, suppressions, consent.status(), consent.recordedAt(), consentUnreadable);
    }

    /**
     * The same from the deciding record's status and recorded_at, both null when there is none: a
     * million customers are decided without making their records ({@link ConsentLedger#status}).
     */
    public GateVerdict decide(
            String customerId,
            String rawEmail,
            Suppressions suppressions,
            ConsentStatus status,
            Instant recordedAt,
            boolean consentUnreadable) {
        String email = Normalization.basic(rawEmail);
        if (email.isEmpty()) {
            return GateVerdict.NO_EMAIL;
        }
        if (!EmailSyntax.isValid(email)) {
            return GateVerdict.INVALID_EMAIL;
        }
        if (suppressions.covers(customerId, email)) {
            return GateVerdict.SUPPRESSED;
        }
        return consent(status, recordedAt, consentUnreadable);
    }

    /**
     * The same decision from the email cell's UTF-8 bytes, for a cell that {@link
     * EmailSyntax#isPlain is plain}; null for any other cell, which {@link #decide(String, String,
     * Suppressions, ConsentStatus, Instant, boolean)} decides. Nearly every customer is decided
     * here without a string made of their id or address.
     *
     * @param idSuppressed whether the customer's customer_id is suppressed ({@link Suppressions#customersIn})
     */
    public GateVerdict decidePlain(
            byte[] email,
            int from,
            int to,
            boolean idSuppressed,
            Suppressions suppressions,
            ConsentStatus status,
            Instant recordedAt,
            boolean consentUnreadable) {
        if (!EmailSyntax.isPlain(email, from, to)) {
            return null;
        }
        if (!EmailSyntax.isValidPlain(email, from, to)) {
            return GateVerdict.INVALID_EMAIL;
        }
        if (idSuppressed || suppressions.coversPlain(email, from, to)) {
            return GateVerdict.SUPPRESSED;
        }
        return consent(status, recordedAt, consentUnreadable);
    }

    /** The verdict of the consent itself, for a customer whose email passed and who is not suppressed. */
    private GateVerdict consent(ConsentStatus status, Instant recordedAt, boolean consentUnreadable) {
        if (consentUnreadable) {
            // a withdrawal typed 'revoked' must not leave the older grant in charge
            return GateVerdict.CONSENT_UNREADABLE;
        }
        if (status == null) {
            return GateVerdict.CONSENT_MISSING;
        }
        return switch (status) {
            case DENIED -> GateVerdict.CONSENT_DENIED;
            case WITHDRAWN -> GateVerdict.CONSENT_WITHDRAWN;
            case GRANTED ->
                recordedAt.isAfter(expiredAtOrBefore) ? GateVerdict.EXPORTABLE : GateVerdict.CONSENT_EXPIRED;
        };
    }
}
