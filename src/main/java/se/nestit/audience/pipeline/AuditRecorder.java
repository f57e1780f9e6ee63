package se.nestit.audience.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * Turns what each destination did into audit trail lines: every hash, the customers behind it
 * and, for adds, the consent record that allowed it.
 */
final class AuditRecorder {

    private static final int BATCH = 10_000;

    private final AuditTrail trail;
    private final String runId;
    private final Instant time;
    private final Instant asOf;
    private final ConsentPolicy policy;
    private final HashHolders holders;

    /** @param holders finds the customers behind each hash: in this run's customers, or as a Spark build wrote them */
    AuditRecorder(
            AuditTrail trail, String runId, Instant time, Instant asOf, ConsentPolicy policy, HashHolders holders) {
        this.trail = trail;
        this.runId = runId;
        this.time = time;
        this.asOf = asOf;
        this.policy = policy;
        this.holders = holders;
    }

    /**
     * Records one audience's delivery at one destination.
     *
     * @param plannedAdds the plan's adds, to tell refused and pending adds from removes
     * @param signals whether the destination takes Google's consent signals: then each line names them too
     */
    void record(
            String destination,
            Normalization profile,
            AudienceDefinition audience,
            Delivery.Sent sent,
            SortedHashes plannedAdds,
            boolean signals) {
        List<AuditEntry> batch = new ArrayList<>();
        Target to = new Target(destination, profile, audience, signals);
        add(batch, to, sent.added(), h -> "add", "confirmed");
        add(batch, to, sent.removed(), h -> "remove", "confirmed");
        add(batch, to, sent.refused(), h -> plannedAdds.contains(h) ? "add" : "remove", "refused");
        add(batch, to, sent.pending(), h -> plannedAdds.contains(h) ? "add" : "remove", "pending");
        if (!batch.isEmpty()) {
            trail.write(batch);
        }
    }

    private interface Operation {
        String of(byte[] digest);
    }

    private record Target(String destination, Normalization profile, AudienceDefinition audience, boolean signals) {}

    private void add(List<AuditEntry> batch, Target to, SortedHashes hashes, Operation operation, String outcome) {
        for (int i = 0; i < hashes.size(); i++) {
            byte[] digest = hashes.get(i);
            String op = operation.of(digest);
            batch.add(new AuditEntry(
                    runId,
                    time,
                    asOf,
                    to.destination(),
                    to.audience().id(),
                    op,
                    outcome,
                    hashes.hex(i),
                    policy.purpose(),
                    policy.maxAgeDays(),
                    holders.of(to.profile(), digest, op.equals("add"), to.signals()),
                    to.signals() ? policy.signals() : Map.of()));
            if (batch.size() == BATCH) {
                trail.write(batch);
                batch.clear();
            }
        }
    }
}
