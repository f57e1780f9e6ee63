package se.nestit.audience.consent;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import se.nestit.audience.source.ConsentRecord;

/**
 * Keeps, per customer, only the consent record that decides: the latest one of the policy's purpose
 * (and brand) recorded at or before {@code as_of}. Records are offered one by one as the file is
 * read, so the whole consent history is never held in memory.
 */
public final class ConsentLedger {

    private final ConsentPolicy policy;
    private final Instant asOf;
    private final Map<String, ConsentRecord> latest = new HashMap<>();

    public ConsentLedger(ConsentPolicy policy, Instant asOf) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.asOf = Objects.requireNonNull(asOf, "asOf");
    }

    public void offer(ConsentRecord record) {
        if (record.recordedAt().isAfter(asOf)
                || !policy.coversPurpose(record.purpose())
                || !policy.coversBrand(record.brand())) {
            return;
        }
        latest.merge(record.customerId(), record, (old, now) -> now.supersedes(old) ? now : old);
    }

    /** The deciding record for a customer, or null when there is none (which is never consent). */
    public ConsentRecord decidingRecord(String customerId) {
        return latest.get(customerId);
    }
}
