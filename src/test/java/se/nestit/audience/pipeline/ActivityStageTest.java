package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.segment.ActivityCounter;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.AudienceLoader;
import se.nestit.audience.segment.CustomerTotals;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.Rejects;
import se.nestit.audience.source.Timestamps;

/**
 * Orders and events read on many threads count into the run's totals exactly as on one thread,
 * on files of several chunks each (so that several threads read at once).
 */
@Timeout(120)
class ActivityStageTest {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");
    private static final int CUSTOMERS = 1000;
    private static final String ORDERS_HEADER = "customer_id,ordered_at,category,author,amount\n";

    @TempDir
    Path dir;

    /** Crime-fiction order lines and their amounts in millionths, fantasy product views: counted as written. */
    private long crimeLines;

    private long crimeMicros;
    private long fantasyViews;

    @BeforeEach
    void writeCustomers() throws IOException {
        StringBuilder customers = new StringBuilder("customer_id,email\n");
        StringBuilder consents = new StringBuilder("customer_id,purpose,status,recorded_at\n");
        for (int c = 0; c < CUSTOMERS; c++) {
            customers.append("c").append(c).append(",c").append(c).append("@example.com\n");
            consents.append("c").append(c).append(",marketing,granted,2026-01-01\n");
        }
        write("customers.csv", customers);
        write("consents.csv", consents);
        write("suppressions.csv", new StringBuilder("customer_id,email\n"));
    }

    @Test
    void sixteenThreadsCountWhatOneThreadCounts() throws IOException {
        StringBuilder orders = new StringBuilder(ORDERS_HEADER);
        for (int i = 0; orders.length() < 2.5 * DataSet.CHUNK_BYTES; i++) {
            appendOrder(orders, i);
        }
        write("orders.csv", orders);
        writeEvents();

        Totals one = read(1);
        Totals sixteen = read(16);

        assertEquals(List.of(crimeLines, crimeMicros, fantasyViews), sixteen.sums());
        assertTrue(one.equals(sixteen), "some customer's totals differ");
    }

    /**
     * A quoted line break right before a chunk's start (8 MB in, on any number of threads) makes
     * the parallel pass guess wrong: orders.csv is read again on one thread, and what the first pass
     * counted counts no more.
     */
    @Test
    void aFileReadAgainAfterAWrongChunkStartCountsEachRowOnce() throws IOException {
        String quotedStart = "c1,2026-10-01T00:00:00Z,crime-fiction,\"a";
        StringBuilder orders = new StringBuilder(ORDERS_HEADER);
        int breakAt = ORDERS_HEADER.length() + DataSet.CHUNK_BYTES - 1;
        int i = 0;
        while (orders.length() + quotedStart.length() + order(i).length() < breakAt) {
            appendOrder(orders, i++);
        }
        int padding = breakAt - orders.length() - quotedStart.length();
        orders.append(quotedStart).append("a".repeat(padding));
        orders.append("\nb\",10.00\n");
        crimeLines++;
        crimeMicros += 10_000_000;
        assertEquals('\n', orders.charAt(breakAt), "the quoted line break ends the first chunk");
        while (orders.length() < 2.5 * DataSet.CHUNK_BYTES) {
            appendOrder(orders, i++);
        }
        write("orders.csv", orders);
        writeEvents();

        Totals sixteen = read(16);

        assertEquals(List.of(crimeLines, crimeMicros, fantasyViews), sixteen.sums());
        assertTrue(read(1).equals(sixteen), "some customer's totals differ");
    }

    /** Order line {@code i}: every customer in turn, every other one crime fiction, amounts 0.50 to 499.50. */
    private static String order(int i) {
        return "c" + (i % CUSTOMERS) + ",2026-0" + (1 + i % 9) + "-1" + (i % 10) + "T10:00:00Z,"
                + (i % 2 == 0 ? "crime-fiction" : "fantasy") + ",Someone," + (i % 500) + ".50\n";
    }

    private void appendOrder(StringBuilder orders, int i) {
        orders.append(order(i));
        if (i % 2 == 0) {
            crimeLines++;
            crimeMicros += (i % 500) * 1_000_000L + 500_000;
        }
    }

    private void writeEvents() throws IOException {
        StringBuilder events = new StringBuilder("customer_id,occurred_at,event,category\n");
        for (int i = 0; events.length() < 2.5 * DataSet.CHUNK_BYTES; i++) {
            boolean counted = i % 3 != 0;
            fantasyViews += counted ? 1 : 0;
            events.append("c")
                    .append(i % CUSTOMERS)
                    .append(",2026-11-0")
                    .append(1 + i % 9)
                    .append("T10:00:00Z,")
                    .append(counted ? "product_view" : "add_to_cart")
                    .append(",fantasy\n");
        }
        write("events.csv", events);
    }

    /**
     * Every counter's count and amount of every customer, in counter order.
     *
     * @param counts per counter, per customer
     * @param amounts per counter that sums amounts, per customer
     */
    private record Totals(List<List<Integer>> counts, List<List<Long>> amounts) {

        /** Crime-fiction lines, their amounts and fantasy views, over all customers. */
        List<Long> sums() {
            return List.of(
                    counts.get(0).stream().mapToLong(Integer::longValue).sum(),
                    amounts.get(0).stream().mapToLong(Long::longValue).sum(),
                    counts.get(1).stream().mapToLong(Integer::longValue).sum());
        }
    }

    private Totals read(int threads) {
        try (DataSet data = DataSet.open(dir, Map.of(), Map.of(), new Timestamps(ZoneId.of("UTC")), new Rejects())) {
            AudienceLoader loader = new AudienceLoader(List.of("files"), data::header);
            SegmentProgram program = SegmentProgram.compile(
                    List.of(
                            audience(
                                    loader,
                                    "crime",
                                    "purchased: { where: { category: crime-fiction }, min_amount: 100 }"),
                            audience(loader, "fantasy", "event: { type: product_view, where: { category: fantasy } }")),
                    data::header,
                    AS_OF);
            CustomerStage customers = new CustomerStage(data, program, ConsentPolicy.DEFAULT, AS_OF, Progress.NONE);
            customers.read();
            CustomerTotals totals =
                    new CustomerTotals(program, customers.customers().size(), customers.customerFlags());
            ActivityStage.Counts counts =
                    new ActivityStage(data, program, customers.customers(), totals, threads, Progress.NONE).read();
            assertEquals(0, counts.orders().unknownCustomer() + counts.events().unknownCustomer());
            List<ActivityCounter> counters = List.of(
                    program.counters(InputFile.ORDERS).get(0),
                    program.counters(InputFile.EVENTS).get(0));
            CustomerTotals.Cursor cursor = totals.cursor();
            List<List<Integer>> perCounter = counters.stream()
                    .map(c -> IntStream.range(0, CUSTOMERS)
                            .mapToObj(i -> cursor.at(i).count(c.slot()))
                            .toList())
                    .toList();
            List<List<Long>> amounts = List.of(IntStream.range(0, CUSTOMERS)
                    .mapToObj(i -> cursor.at(i).amount(counters.get(0).slot()))
                    .toList());
            return new Totals(perCounter, amounts);
        }
    }

    private static AudienceDefinition audience(AudienceLoader loader, String id, String rule) {
        return loader.load(Path.of(id + ".yaml"), "rule:\n" + rule.indent(2));
    }

    private void write(String name, CharSequence text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
