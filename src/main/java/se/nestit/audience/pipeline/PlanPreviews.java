package se.nestit.audience.pipeline;

import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.PlanPreview;
import se.nestit.audience.sync.AudiencePlan;

/** Builds {@code plan}'s overlap of audiences and the reasons for the removes it plans. */
final class PlanPreviews {

    private PlanPreviews() {}

    static PlanPreview of(
            List<AudienceResult> results,
            CustomerTable customers,
            CustomerHolders holders,
            Collection<AudiencePlan> plans,
            List<Destination> destinations) {
        return new PlanPreview(
                overlap(results, customers.size()), removals(results, customers, holders, plans, destinations));
    }

    private static Map<String, Map<String, Long>> overlap(List<AudienceResult> results, int customers) {
        Map<String, BitSet> members = new LinkedHashMap<>();
        for (AudienceResult r : results) {
            BitSet set = new BitSet(customers);
            for (int c : r.members()) {
                set.set(c);
            }
            members.put(r.audience().id(), set);
        }
        Map<String, Map<String, Long>> overlap = new LinkedHashMap<>();
        members.forEach((a, in) -> {
            Map<String, Long> row = new LinkedHashMap<>();
            members.forEach((b, other) -> {
                BitSet both = (BitSet) in.clone();
                both.and(other);
                row.put(b, (long) both.cardinality());
            });
            overlap.put(a, row);
        });
        return overlap;
    }

    /** Per audience (in definition order) and destination (in config order), its planned removes by reason. */
    private static Map<String, Map<String, Map<String, Long>>> removals(
            List<AudienceResult> results,
            CustomerTable customers,
            CustomerHolders holders,
            Collection<AudiencePlan> plans,
            List<Destination> destinations) {
        Map<String, Map<String, Map<String, Long>>> removals = new LinkedHashMap<>();
        for (AudienceResult r : results) {
            for (Destination d : destinations) {
                for (AudiencePlan plan : plans) {
                    if (plan.audience().id().equals(r.audience().id())
                            && plan.destination().equals(d.id())
                            && !plan.removes().isEmpty()) {
                        removals.computeIfAbsent(r.audience().id(), k -> new LinkedHashMap<>())
                                .put(d.id(), reasons(plan.removes(), d, customers, holders));
                    }
                }
            }
        }
        return removals;
    }

    private static Map<String, Long> reasons(
            SortedHashes removes, Destination d, CustomerTable customers, CustomerHolders holders) {
        boolean signals = DestinationFactory.needsConsentSignals(d.type());
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < removes.size(); i++) {
            counts.merge(
                    reason(holders.withEmail(d.normalization(), removes.get(i)), signals, customers), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Why a hash would leave. Two customers may share one address: an exportable one decides (it
     * left the segment, or withheld a Google signal), else the gate reason latest in precedence.
     */
    private static String reason(int[] holders, boolean signals, CustomerTable customers) {
        if (holders.length == 0) {
            return PlanPreview.NOT_IN_CUSTOMERS;
        }
        String withheld = null;
        GateVerdict first = null;
        for (int c : holders) {
            GateVerdict v = customers.verdict(c);
            if (v.isExportable()) {
                ConsentSignal s = signals ? customers.withheld(c) : null;
                if (s == null) {
                    return PlanPreview.LEFT_SEGMENT;
                }
                withheld = s.notGranted();
            } else if (first == null || v.compareTo(first) > 0) {
                first = v;
            }
        }
        return withheld != null ? withheld : first.code();
    }
}
