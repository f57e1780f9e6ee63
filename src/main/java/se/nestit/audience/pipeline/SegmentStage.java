package se.nestit.audience.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.CustomerTotals;
import se.nestit.audience.segment.Facts;
import se.nestit.audience.segment.SegmentProgram;

/**
 * Asks each audience's rule about every customer and splits the selected by the gate's verdict.
 * Customers are split across the cores, as one thread left the other core idle: the rules are
 * stateless, and a slice's members come out ascending, so the slices' members joined in order are
 * the audience's.
 */
final class SegmentStage {

    private SegmentStage() {}

    static List<AudienceResult> evaluate(
            List<AudienceDefinition> audiences,
            SegmentProgram program,
            CustomerTable customers,
            CustomerTotals totals,
            Progress progress) {
        List<Predicate<Facts>> rules =
                audiences.stream().map(a -> program.rule(a.id())).toList();
        int n = customers.size();
        Slices slices = Slices.of(n);
        Selection[][] bySlice = new Selection[slices.count()][];
        try (Progress.Task task = progress.start("audiences", (long) audiences.size() * n)) {
            slices.parallel().forEach(t -> bySlice[t] = select(rules, customers, totals, slices.from(t), slices.to(t)));
            task.advance((long) audiences.size() * n);
        }
        List<AudienceResult> results = new ArrayList<>();
        for (int a = 0; a < audiences.size(); a++) {
            int exported = 0;
            long inSegment = 0;
            Map<GateVerdict, Long> skipped = new EnumMap<>(GateVerdict.class);
            for (Selection[] slice : bySlice) {
                exported += slice[a].exported;
                inSegment += slice[a].inSegment;
                slice[a].skipped.forEach((v, count) -> skipped.merge(v, count, Long::sum));
            }
            int[] members = new int[exported];
            int at = 0;
            for (Selection[] slice : bySlice) {
                System.arraycopy(slice[a].members, 0, members, at, slice[a].exported);
                at += slice[a].exported;
            }
            results.add(new AudienceResult(audiences.get(a), inSegment, members, skipped));
        }
        return results;
    }

    /** One audience's selection among one slice's customers. */
    private static final class Selection {
        private int[] members = new int[64];
        private int exported;
        private long inSegment;
        private final Map<GateVerdict, Long> skipped = new EnumMap<>(GateVerdict.class);

        void add(int customer, GateVerdict v) {
            inSegment++;
            if (v.isExportable()) {
                if (exported == members.length) {
                    members = Arrays.copyOf(members, exported * 2);
                }
                members[exported++] = customer;
            } else {
                skipped.merge(v, 1L, Long::sum);
            }
        }
    }

    /** Every audience's selection among customers {@code [from, to)}, in the audiences' order. */
    private static Selection[] select(
            List<Predicate<Facts>> rules, CustomerTable customers, CustomerTotals totals, int from, int to) {
        Selection[] selections = new Selection[rules.size()];
        Arrays.setAll(selections, a -> new Selection());
        CustomerTotals.Cursor facts = totals.cursor();
        for (int a = 0; a < selections.length; a++) {
            Predicate<Facts> rule = rules.get(a);
            Selection selection = selections[a];
            for (int i = from; i < to; i++) {
                if (rule.test(facts.at(i))) {
                    selection.add(i, customers.verdict(i));
                }
            }
        }
        return selections;
    }
}
