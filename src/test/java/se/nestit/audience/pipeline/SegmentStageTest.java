package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.AudienceLoader;
import se.nestit.audience.segment.CustomerTotals;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;

class SegmentStageTest {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");
    private static final Function<InputFile, Header> HEADERS = f -> f == InputFile.CUSTOMERS
            ? Header.of(f, Path.of(f.fileName()), new String[] {"customer_id", "email", "country"}, Map.of(), ',')
            : Header.absent(f, Path.of(f.fileName()));
    /** Enough customers to be split across the cores. */
    private static final int CUSTOMERS = 25_001;

    @Test
    void everyAudienceSelectsAsOneLoopOverAllCustomersWould() {
        AudienceLoader loader = new AudienceLoader(List.of("files"), HEADERS);
        List<AudienceDefinition> audiences = List.of(
                loader.load(Path.of("se.yaml"), "rule:\n  customer: { where: { country: SE } }\n"),
                loader.load(Path.of("not-se.yaml"), "rule:\n  not: { customer: { where: { country: SE } } }\n"));
        SegmentProgram program = SegmentProgram.compile(audiences, HEADERS, AS_OF);
        CustomerTable customers = new CustomerTable();
        BitSet swedes = new BitSet();
        GateVerdict[] verdicts = new GateVerdict[CUSTOMERS];
        for (int i = 0; i < CUSTOMERS; i++) {
            customers.add("C" + i, "c" + i + "@example.se", i + 2);
            swedes.set(i, i % 3 == 0);
            verdicts[i] = i % 2 == 0
                    ? GateVerdict.EXPORTABLE
                    : i % 5 == 1 ? GateVerdict.CONSENT_MISSING : GateVerdict.SUPPRESSED;
        }
        customers.setGate(verdicts, i -> null);
        CustomerTotals totals = new CustomerTotals(program, CUSTOMERS, new BitSet[] {swedes});

        List<AudienceResult> results = SegmentStage.evaluate(audiences, program, customers, totals, Progress.NONE);

        assertEquals(2, results.size());
        for (int a = 0; a < 2; a++) {
            boolean swedesWanted = a == 0;
            int[] selected = IntStream.range(0, CUSTOMERS)
                    .filter(i -> swedes.get(i) == swedesWanted)
                    .toArray();
            Map<GateVerdict, Long> skipped = new EnumMap<>(GateVerdict.class);
            for (int i : selected) {
                if (!verdicts[i].isExportable()) {
                    skipped.merge(verdicts[i], 1L, Long::sum);
                }
            }
            AudienceResult r = results.get(a);
            assertEquals(audiences.get(a), r.audience());
            assertEquals(selected.length, r.inSegment());
            assertArrayEquals(
                    IntStream.of(selected).filter(i -> i % 2 == 0).toArray(), r.members(), "ascending, no gap");
            assertEquals(skipped, r.skipped());
        }
    }
}
