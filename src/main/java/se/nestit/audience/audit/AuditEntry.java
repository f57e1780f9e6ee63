package se.nestit.audience.audit;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.source.ConsentRecord;

/**
 * One line of the audit trail: one hash one run sent to one destination for one audience, what
 * became of it, and the customers behind it with, for adds, the consent that allowed it.
 *
 * @param operation {@code add} or {@code remove}
 * @param outcome {@code confirmed}, {@code refused} (sent again next run) or {@code pending}
 * @param purpose the consent purpose the run required
 * @param maxAgeDays how old a grant could be at the run
 * @param signalPurposes at a Google destination, the purpose each of Google's consent signals was
 *     decided on; empty elsewhere
 */
public record AuditEntry(
        String runId,
        Instant time,
        Instant asOf,
        String destination,
        String audience,
        String operation,
        String outcome,
        String hash,
        String purpose,
        int maxAgeDays,
        List<Holder> customers,
        Map<ConsentSignal, String> signalPurposes) {

    public AuditEntry {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(purpose, "purpose");
        customers = List.copyOf(customers);
        signalPurposes = signalPurposes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(signalPurposes));
    }

    /** An entry of a destination that takes no consent signals. */
    public AuditEntry(
            String runId,
            Instant time,
            Instant asOf,
            String destination,
            String audience,
            String operation,
            String outcome,
            String hash,
            String purpose,
            int maxAgeDays,
            List<Holder> customers) {
        this(
                runId,
                time,
                asOf,
                destination,
                audience,
                operation,
                outcome,
                hash,
                purpose,
                maxAgeDays,
                customers,
                Map.of());
    }

    /**
     * A customer behind the hash: the gate's verdict at the run and the consent record that
     * decided it (null when there was none); at a Google destination also the record that decided
     * each consent signal (a signal without one is missing from the map).
     */
    public record Holder(
            String customerId, String verdict, ConsentRecord consent, Map<ConsentSignal, ConsentRecord> signals) {
        public Holder {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(verdict, "verdict");
            signals = signals.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(signals));
        }

        public Holder(String customerId, String verdict, ConsentRecord consent) {
            this(customerId, verdict, consent, Map.of());
        }
    }
}
