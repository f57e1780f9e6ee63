package se.nestit.audience.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * Turns what each destination did into audit trail lines: every hash, the customers behind it
 * (found by hashing them the destination's way) and, for adds, the consent record that allowed it.
 */
final class AuditRecorder {

    private static final int BATCH = 10_000;

    private final AuditTrail trail;
    private final String runId;
    private final Instant time;
    private final Instant asOf;
    private final ConsentPolicy policy;
    private final CustomerTable customers;
    private final Map<Normalization, ProfileHashes> exportable;
    private final Map<Normalization, ProfileHashes> everyone = new EnumMap<>(Normalization.class);

    /** @param exportable per profile, the hashes of the exported customers (every add's customers are there) */
    AuditRecorder(AuditTrail trail, String runId, Instant time, Instant asOf, ConsentPolicy policy, CustomerTable customers,
            Map<Normalization, ProfileHashes> exportable) {
        this.trail = trail;
        this.runId = runId;
        this.time = time;
        this.asOf = asOf;
        this.policy = policy;
        this.customers = customers;
        this.exportable = exportable;
    }

    /**
     * Records one audience's delivery at one destination.
     *
     * @param plannedAdds the plan's adds, to tell refused and pending adds from removes
     */
    void record(String destination, Normalization profile, AudienceDefinition audience, Delivery.Sent sent, SortedHashes plannedAdds) {
        List<AuditEntry> batch = new ArrayList<>();
        add(batch, destination, profile, audience, sent.added(), h -> "add", "confirmed");
        add(batch, destination, profile, audience, sent.removed(), h -> "remove", "confirmed");
        add(batch, destination, profile, audience, sent.refused(), h -> plannedAdds.contains(h) ? "add" : "remove", "refused");
        add(batch, destination, profile, audience, sent.pending(), h -> plannedAdds.contains(h) ? "add" : "remove", "pending");
        if (!batch.isEmpty()) {
            trail.write(batch);
        }
    }

    private interface Operation {
        String of(byte[] digest);
    }

    private void add(List<AuditEntry> batch, String destination, Normalization profile, AudienceDefinition audience,
            SortedHashes hashes, Operation operation, String outcome) {
        for (int i = 0; i < hashes.size(); i++) {
            byte[] digest = hashes.get(i);
            String op = operation.of(digest);
            batch.add(new AuditEntry(runId, time, asOf, destination, audience.id(), op, outcome, hashes.hex(i),
                    policy.purpose(), policy.maxAgeDays(), holders(profile, digest, op.equals("add"))));
            if (batch.size() == BATCH) {
                trail.write(batch);
                batch.clear();
            }
        }
    }

    private List<AuditEntry.Holder> holders(Normalization profile, byte[] digest, boolean add) {
        ProfileHashes hashes = exportable.get(profile);
        int[] found = add && hashes != null ? hashes.customersWith(digest) : new int[0];
        if (found.length == 0) {
            // a remove, or an add settled from an earlier run: look among every customer
            found = everyone(profile).customersWith(digest);
        }
        List<AuditEntry.Holder> holders = new ArrayList<>(found.length);
        for (int c : found) {
            GateVerdict v = customers.verdict(c);
            holders.add(new AuditEntry.Holder(customers.id(c), v.code(), customers.consent(c)));
        }
        return holders;
    }

    /** Every customer with a usable email, hashed the profile's way: only needed for removes. */
    private synchronized ProfileHashes everyone(Normalization profile) {
        return everyone.computeIfAbsent(profile, p -> {
            BitSet withEmail = new BitSet(customers.size());
            for (int i = 0; i < customers.size(); i++) {
                GateVerdict v = customers.verdict(i);
                if (v != GateVerdict.NO_EMAIL && v != GateVerdict.INVALID_EMAIL) {
                    withEmail.set(i);
                }
            }
            return HashStage.hash(customers, Map.of(p, withEmail), Progress.NONE).get(p);
        });
    }
}
