package se.nestit.audience.pipeline;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * Turns what each destination did into audit trail lines: every hash, the customers behind it
 * and, for adds, the consent record that allowed it. The hashes go from the delivered sets
 * straight into the trail's bytes, with no object per hash.
 */
final class AuditRecorder {

    private final AuditTrail trail;
    private final AuditTrail.Run run;
    private final ConsentPolicy policy;
    private final HashHolders holders;

    /** @param holders finds the customers behind each hash: in this run's customers, or as a Spark build wrote them */
    AuditRecorder(
            AuditTrail trail, String runId, Instant time, Instant asOf, ConsentPolicy policy, HashHolders holders) {
        this.trail = trail;
        this.run = new AuditTrail.Run(runId, time, asOf, policy.purpose(), policy.maxAgeDays());
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
        if (sent.added().isEmpty()
                && sent.removed().isEmpty()
                && sent.refused().isEmpty()
                && sent.pending().isEmpty()) {
            return;
        }
        Map<ConsentSignal, String> purposes = signals ? policy.signals() : Map.of();
        Outcome confirmed = new Outcome(destination, audience.id(), "confirmed", purposes, plannedAdds);
        Outcome refused = new Outcome(destination, audience.id(), "refused", purposes, plannedAdds);
        Outcome pending = new Outcome(destination, audience.id(), "pending", purposes, plannedAdds);
        Target to = new Target(profile, signals, new byte[Sha256.LENGTH]);
        // the lookups are most of the work: done before the trail's lock, destinations do them at once
        List<Found> found = List.of(
                find(to, sent.added(), d -> confirmed.add()),
                find(to, sent.removed(), d -> confirmed.remove()),
                find(to, sent.refused(), refused::of),
                find(to, sent.pending(), pending::of));
        trail.write(run, holders, lines -> found.forEach(f -> f.writeTo(lines)));
    }

    /** Where one delivery's hashes went, with room for the digest being written. */
    private record Target(Normalization profile, boolean signals, byte[] digest) {}

    /** The group of a hash: refused and pending hashes may be adds or removes, as the plan tells. */
    private interface GroupOf {
        AuditTrail.Group of(byte[] digest);
    }

    /** The two groups of one outcome at one destination and audience. */
    private record Outcome(AuditTrail.Group add, AuditTrail.Group remove, SortedHashes plannedAdds) {
        Outcome(
                String destination,
                String audience,
                String outcome,
                Map<ConsentSignal, String> purposes,
                SortedHashes plannedAdds) {
            this(
                    new AuditTrail.Group(destination, audience, "add", outcome, purposes),
                    new AuditTrail.Group(destination, audience, "remove", outcome, purposes),
                    plannedAdds);
        }

        AuditTrail.Group of(byte[] digest) {
            return plannedAdds.contains(digest) ? add : remove;
        }
    }

    /** The group and customers of each hash of one set, found before the trail is written. */
    private record Found(SortedHashes hashes, AuditTrail.Group[] groups, int[] keys, int[] ends) {
        void writeTo(AuditTrail.Lines lines) {
            lines.hashes(groups, hashes, keys, ends);
        }
    }

    private Found find(Target to, SortedHashes hashes, GroupOf group) {
        HashHolders.Search search = holders.search(to.profile(), to.signals());
        AuditTrail.Group[] groups = new AuditTrail.Group[hashes.size()];
        int[] ends = new int[hashes.size()];
        int[] keys = new int[hashes.size()];
        int n = 0;
        for (int i = 0; i < hashes.size(); i++) {
            hashes.get(i, to.digest());
            groups[i] = group.of(to.digest());
            int[] found = search.keys(to.digest(), groups[i].operation().equals("add"));
            if (n + found.length > keys.length) {
                keys = Arrays.copyOf(keys, Math.max(n + found.length, keys.length * 2));
            }
            System.arraycopy(found, 0, keys, n, found.length);
            n += found.length;
            ends[i] = n;
        }
        return new Found(hashes, groups, keys, ends);
    }
}
