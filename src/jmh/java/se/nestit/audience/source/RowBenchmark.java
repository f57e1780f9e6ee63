package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** The per-row work of reading a behaviour event: cut the record, find the customer, read the time. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RowBenchmark {

    private static final String ROW = "C0123456,2026-10-14T08:31:07Z,product_view,B1-42,fantasy,https://bokhornan.se/p/B1-42\n";
    private static final String QUOTED = "C0123456,2026-10-14T08:31:07Z,search,,fantasy,\"https://bokhornan.se/s?q=a,b\"\n";

    private final byte[] plain = ROW.repeat(64).getBytes(StandardCharsets.UTF_8);
    private final byte[] quoted = QUOTED.repeat(64).getBytes(StandardCharsets.UTF_8);
    private final ByteRecord record = new ByteRecord((byte) ',');
    private final Timestamps timestamps = new Timestamps(ZoneId.of("UTC"));
    private final CustomerIndex customers = new CustomerIndex();

    @Setup
    public void setUp() {
        for (int i = 0; i < 1_000_000; i++) {
            customers.add(String.format("C%07d", i));
        }
    }

    /** Cutting 64 plain records into cells. */
    @Benchmark
    public int parsePlainRecords() {
        int pos = 0;
        int cells = 0;
        while (pos < plain.length) {
            pos = record.parse(plain, pos, plain.length, true);
            cells += record.width();
        }
        return cells;
    }

    /** Cutting 64 records with a quoted cell (the general RFC 4180 path). */
    @Benchmark
    public int parseQuotedRecords() {
        int pos = 0;
        int cells = 0;
        while (pos < quoted.length) {
            pos = record.parse(quoted, pos, quoted.length, true);
            cells += record.width();
        }
        return cells;
    }

    /** Cutting 64 records, finding each one's customer among a million and reading its time. */
    @Benchmark
    public void parseLookUpAndTime(Blackhole out) {
        int pos = 0;
        while (pos < plain.length) {
            pos = record.parse(plain, pos, plain.length, true);
            out.consume(customers.indexOf(plain, record.start(0), record.end(0)));
            out.consume(timestamps.micros(plain, record.start(1), record.end(1)));
        }
    }
}
