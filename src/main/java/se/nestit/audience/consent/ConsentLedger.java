package se.nestit.audience.consent;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import se.nestit.audience.identity.WhiteSpace;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentSink;

/**
 * Keeps, per customer, only the consent record that decides: the latest one of the policy's purpose
 * (and brand) recorded at or before {@code as_of}. Records are offered one by one as the file is
 * read, so the whole consent history is never held in memory. It also keeps who has a rejected row
 * that may have been about this consent, which the gate does not guess at.
 */
public final class ConsentLedger implements ConsentSink {

    private final ConsentPolicy policy;
    private final Instant asOf;
    private final Map<String, ConsentRecord> latest = new HashMap<>();
    private final Set<String> unreadable = new HashSet<>();

    public ConsentLedger(ConsentPolicy policy, Instant asOf) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.asOf = Objects.requireNonNull(asOf, "asOf");
    }

    @Override
    public void offer(ConsentRecord record) {
        if (record.recordedAt().isAfter(asOf)
                || !policy.coversPurpose(record.purpose())
                || !policy.coversBrand(record.brand())) {
            return;
        }
        latest.merge(record.customerId(), record, (old, now) -> now.supersedes(old) ? now : old);
    }

    /**
     * A rejected row counts when it may have been about this consent: its purpose is the policy's
     * or cannot be read, and its brand, when it has one, is in scope. Its date does not matter:
     * it may be the very thing that cannot be read.
     */
    @Override
    public void offerUnreadable(String customerId, String purpose, String brand) {
        if ((WhiteSpace.strip(purpose).isEmpty() || policy.coversPurpose(purpose)) && policy.coversBrand(brand)) {
            unreadable.add(customerId);
        }
    }

    /** Whether a consents.csv row of this customer that may have decided was rejected. */
    public boolean unreadable(String customerId) {
        return unreadable.contains(customerId);
    }

    /** The deciding record for a customer, or null when there is none (which is never consent). */
    public ConsentRecord decidingRecord(String customerId) {
        return latest.get(customerId);
    }
}
