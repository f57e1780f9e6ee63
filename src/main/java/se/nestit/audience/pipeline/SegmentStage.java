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

/** Asks each audience's rule about every customer and splits the selected by the gate's verdict. */
final class SegmentStage {

    private SegmentStage() {}

    static List<AudienceResult> evaluate(
            List<AudienceDefinition> audiences,
            SegmentProgram program,
            CustomerTable customers,
            CustomerTotals totals,
            Progress progress) {
        List<AudienceResult> results = new ArrayList<>();
        CustomerTotals.Cursor facts = totals.cursor();
        try (Progress.Task task = progress.start("audiences", (long) audiences.size() * customers.size())) {
            for (AudienceDefinition a : audiences) {
                Predicate<Facts> rule = program.rule(a.id());
                int[] members = new int[64];
                int exported = 0;
                long inSegment = 0;
                Map<GateVerdict, Long> skipped = new EnumMap<>(GateVerdict.class);
                for (int i = 0; i < customers.size(); i++) {
                    if (!rule.test(facts.at(i))) {
                        continue;
                    }
                    inSegment++;
                    GateVerdict v = customers.verdict(i);
                    if (v.isExportable()) {
                        if (exported == members.length) {
                            members = Arrays.copyOf(members, exported * 2);
                        }
                        members[exported++] = i;
                    } else {
                        skipped.merge(v, 1L, Long::sum);
                    }
                }
                task.advance(customers.size());
                results.add(new AudienceResult(a, inSegment, Arrays.copyOf(members, exported), skipped));
            }
        }
        return results;
    }
}
