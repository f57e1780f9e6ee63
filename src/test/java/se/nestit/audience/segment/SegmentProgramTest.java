package se.nestit.audience.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;

/**
 * Rules compiled against real headers and evaluated on hand-built rows and totals. Times are
 * microseconds since the epoch, computed with {@code date -u -d <instant> +%s}.
 */
class SegmentProgramTest {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");
    private static final long AS_OF_MICROS = 1_795_305_600_000_000L; // date -u -d 2026-11-22T00:00:00Z +%s
    private static final long DAYS_90_BEFORE = 1_787_529_600_000_000L; // date -u -d 2026-08-24T00:00:00Z +%s
    private static final long ONE_DAY = 86_400_000_000L;

    // orders.csv: customer_id, ordered_at, category, author, product_id, amount
    private static final Map<InputFile, Header> HEADERS = AudienceLoaderTest.headers(true);
    private static final AudienceLoader LOADER = new AudienceLoader(List.of("files"), HEADERS::get);

    private static AudienceDefinition audience(String id, String rule) {
        return LOADER.parse(YamlNode.parse(id + ".yaml", "rule:\n" + rule.indent(2)), Path.of(id + ".yaml"));
    }

    private static SegmentProgram compile(AudienceDefinition... definitions) {
        return SegmentProgram.compile(List.of(definitions), HEADERS::get, AS_OF);
    }

    /** An order line or event as a reader hands it on. */
    private record ActivityRow(long at, long amount, String[] cells) {}

    private static ActivityRow order(long at, String category, String amount) {
        return new ActivityRow(at, Long.parseLong(amount), new String[] {"c", "", category, "", "", ""});
    }

    private static ActivityRow order(long at) {
        return order(at, "crime-fiction", "0");
    }

    private static ActivityRow event(long at, String type, String category) {
        return new ActivityRow(at, 0, new String[] {"c", "", type, category});
    }

    /** What the runner does with one row of one customer: only rows in time, only matching counters. */
    private static void feed(
            SegmentProgram program, CustomerTotals totals, int customer, InputFile file, ActivityRow row) {
        if (!program.inTime(row.at())) {
            return;
        }
        for (ActivityCounter c : program.counters(file)) {
            if (counts(c, row)) {
                totals.count(c, customer, row.amount());
            }
        }
    }

    private static boolean counts(ActivityCounter c, ActivityRow row) {
        return c.counts(RowView.of(row.cells()), row.at());
    }

    private static CustomerTotals totals(SegmentProgram program, int customers) {
        return new CustomerTotals(program, customers, new BitSet[program.customerFilterCount()]);
    }

    private static List<Integer> selected(SegmentProgram program, String id, CustomerTotals totals) {
        List<Integer> out = new ArrayList<>();
        CustomerTotals.Cursor cursor = totals.cursor();
        for (int i = 0; i < totals.customers(); i++) {
            if (program.selects(id, cursor.at(i))) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void asOfIsKeptInMicros() {
        assertEquals(AS_OF_MICROS, compile(audience("a", "purchased:")).asOf());
    }

    @Test
    void rowExactlyNinetyDaysBeforeAsOfIsOutsideTheWindow() {
        // within_days: N means as_of - N days < timestamp <= as_of
        SegmentProgram program = compile(audience("a", "purchased: { within_days: 90 }"));
        ActivityCounter counter = program.counters(InputFile.ORDERS).get(0);

        assertEquals(DAYS_90_BEFORE, counter.after());
        assertFalse(counts(counter, order(DAYS_90_BEFORE)));
        assertTrue(counts(counter, order(DAYS_90_BEFORE + 1)));
    }

    @Test
    void rowAtAsOfIsInTimeAndOneMicrosecondLaterIsNot() {
        SegmentProgram program = compile(audience("a", "purchased: { within_days: 90 }"));
        ActivityCounter counter = program.counters(InputFile.ORDERS).get(0);

        assertTrue(program.inTime(order(AS_OF_MICROS).at()));
        assertTrue(counts(counter, order(AS_OF_MICROS)));
        assertFalse(program.inTime(order(AS_OF_MICROS + 1).at()));
    }

    @Test
    void withoutWindowEveryRowUpToAsOfCounts() {
        SegmentProgram program = compile(audience("a", "purchased:"));
        ActivityCounter counter = program.counters(InputFile.ORDERS).get(0);
        CustomerTotals totals = totals(program, 2);

        feed(program, totals, 0, InputFile.ORDERS, order(-ONE_DAY * 365 * 30)); // 1940
        feed(program, totals, 1, InputFile.ORDERS, order(AS_OF_MICROS + 1)); // after as_of: never

        assertTrue(counts(counter, order(Long.MIN_VALUE + 1)));
        assertEquals(List.of(0), selected(program, "a", totals));
    }

    @Test
    void windowsCountWholeDaysOf24Hours() {
        SegmentProgram program = compile(audience("a", "event: { within_days: 1 }"));

        assertEquals(
                AS_OF_MICROS - ONE_DAY,
                program.counters(InputFile.EVENTS).get(0).after());
    }

    @Test
    void atLeastIsReachedExactlyAtTheThreshold() {
        SegmentProgram program =
                compile(audience("a", "purchased: { where: { category: crime-fiction }, at_least: 3 }"));
        CustomerTotals totals = totals(program, 3);
        for (int i = 0; i < 3; i++) {
            feed(program, totals, 0, InputFile.ORDERS, order(AS_OF_MICROS - i));
        }
        for (int i = 0; i < 2; i++) {
            feed(program, totals, 1, InputFile.ORDERS, order(AS_OF_MICROS - i));
        }
        // customer 2: three orders, but one of another category
        feed(program, totals, 2, InputFile.ORDERS, order(AS_OF_MICROS));
        feed(program, totals, 2, InputFile.ORDERS, order(AS_OF_MICROS));
        feed(program, totals, 2, InputFile.ORDERS, order(AS_OF_MICROS, "fantasy", "0"));

        assertEquals(List.of(0), selected(program, "a", totals));
    }

    @Test
    void minAmountIsReachedExactlyAtTheThreshold() {
        SegmentProgram program = compile(audience("a", "purchased: { within_days: 365, min_amount: 2000 }"));
        CustomerTotals totals = totals(program, 4);
        // 1999.99 + 0.01 = 2000 exactly, in millionths
        feed(program, totals, 0, InputFile.ORDERS, order(AS_OF_MICROS, "x", "1999990000"));
        feed(program, totals, 0, InputFile.ORDERS, order(AS_OF_MICROS, "x", "10000"));
        // 1999.999999: one millionth short
        feed(program, totals, 1, InputFile.ORDERS, order(AS_OF_MICROS, "x", "1999999999"));
        // 2500 bought, 600 returned: 1900
        feed(program, totals, 2, InputFile.ORDERS, order(AS_OF_MICROS, "x", "2500000000"));
        feed(program, totals, 2, InputFile.ORDERS, order(AS_OF_MICROS, "x", "-600000000"));
        // 5000, but more than 365 days ago
        feed(program, totals, 3, InputFile.ORDERS, order(AS_OF_MICROS - 365 * ONE_DAY, "x", "5000000000"));

        assertEquals(List.of(0), selected(program, "a", totals));
    }

    @Test
    void withoutMinAmountTheSumMustStillReachZero() {
        // the contract's default min_amount is 0: lines that add up to less are returns, not purchases
        SegmentProgram program = compile(audience("a", "purchased: {}"));
        CustomerTotals totals = totals(program, 3);
        feed(program, totals, 0, InputFile.ORDERS, order(AS_OF_MICROS, "x", "-100000000"));
        feed(program, totals, 1, InputFile.ORDERS, order(AS_OF_MICROS, "x", "200000000"));
        feed(program, totals, 1, InputFile.ORDERS, order(AS_OF_MICROS, "x", "-200000000"));
        feed(program, totals, 2, InputFile.ORDERS, order(AS_OF_MICROS, "x", "0"));

        assertEquals(List.of(1, 2), selected(program, "a", totals));
    }

    @Test
    void amountsTooLargeToAddUpStayOnTheirSideOfMinAmount() {
        SegmentProgram program = compile(audience("a", "purchased: { min_amount: 2000 }"));
        CustomerTotals totals = totals(program, 2);
        // the largest amounts orders.csv may hold, ten times: more than a long holds in millionths
        for (int i = 0; i < 10; i++) {
            feed(program, totals, 0, InputFile.ORDERS, order(AS_OF_MICROS, "x", "999999999999999999"));
            feed(program, totals, 1, InputFile.ORDERS, order(AS_OF_MICROS, "x", "-999999999999999999"));
        }

        assertEquals(List.of(0), selected(program, "a", totals));
    }

    @Test
    void totalsTooLargeToAddUpStayOnTheirSideOfMinAmountOnManyThreads() throws InterruptedException {
        SegmentProgram program = compile(audience("a", "purchased: { min_amount: 2000 }"));
        CustomerTotals totals = totals(program, 3);
        ActivityCounter counter = program.counters(InputFile.ORDERS).get(0);
        List<Thread> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                await(start);
                for (int i = 0; i < 250_000; i++) {
                    totals.count(counter, 0, 999_999_999_999_999_999L);
                    totals.count(counter, 1, -999_999_999_999_999_999L);
                }
                for (int i = 0; i < 2_500_000; i++) {
                    totals.count(counter, 2, 0);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertEquals(List.of(0), selected(program, "a", totals));
        CustomerTotals.Cursor cursor = totals.cursor();
        assertEquals(1_000_000, cursor.at(0).count(counter.slot()), "no count lost to another thread");
        assertEquals(10_000_000, cursor.at(2).count(counter.slot()), "no count lost to another thread");
        assertEquals(Long.MAX_VALUE, cursor.at(0).amount(counter.slot()));
        assertEquals(Long.MIN_VALUE, cursor.at(1).amount(counter.slot()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void identicalPurchasedLeavesInTwoAudiencesShareOneCounter() {
        SegmentProgram program = compile(
                audience("a", "purchased: { where: { category: crime-fiction }, within_days: 90 }"),
                audience("b", "not:\n  purchased: { where: { Category: \" Crime-Fiction \" }, within_days: 90 }"));

        assertEquals(1, program.counters().size());
    }

    @Test
    void leavesDifferingInWindowFilterOrFileHaveTheirOwnCounters() {
        SegmentProgram program = compile(
                audience("a", "purchased: { where: { category: crime-fiction }, within_days: 90 }"),
                audience("b", "purchased: { where: { category: crime-fiction }, within_days: 30 }"),
                audience("c", "purchased: { where: { category: fantasy }, within_days: 90 }"),
                audience("d", "event: { where: { category: crime-fiction }, within_days: 90 }"),
                audience("e", "purchased: { where: { category: crime-fiction } }"));

        assertEquals(5, program.counters().size());
        assertEquals(4, program.counters(InputFile.ORDERS).size());
        assertEquals(1, program.counters(InputFile.EVENTS).size());
    }

    @Test
    void aSharedCounterSumsAmountsWhenAnyOfItsRulesNeedsThem() {
        // the first rule alone would not need amounts; the second, same rows, does
        SegmentProgram program = compile(
                audience("count", "purchased: { within_days: 90 }"),
                audience("spend", "purchased: { within_days: 90, min_amount: 100 }"));
        CustomerTotals totals = totals(program, 2);
        feed(program, totals, 0, InputFile.ORDERS, order(AS_OF_MICROS, "x", "150000000"));
        feed(program, totals, 1, InputFile.ORDERS, order(AS_OF_MICROS, "x", "50000000"));

        assertEquals(1, program.counters().size());
        assertTrue(program.counters().get(0).sumsAmounts());
        assertEquals(List.of(0, 1), selected(program, "count", totals));
        assertEquals(List.of(0), selected(program, "spend", totals));
    }

    @Test
    void allAnyAndNotCombine() {
        SegmentProgram program =
                compile(audience("lapsed", """
                        all:
                          - purchased: { within_days: 365 }
                          - not: { purchased: { within_days: 90 } }"""), audience("engaged", """
                        any:
                          - purchased: { within_days: 90 }
                          - event: { type: view, within_days: 30, at_least: 2 }"""), audience("nobody-recent", """
                        not:
                          any:
                            - purchased: { within_days: 90 }
                            - event: { within_days: 90 }"""));
        CustomerTotals totals = totals(program, 5);
        long days200 = AS_OF_MICROS - 200 * ONE_DAY;
        long days10 = AS_OF_MICROS - 10 * ONE_DAY;
        // 0: ordered 200 days ago only
        feed(program, totals, 0, InputFile.ORDERS, order(days200));
        // 1: ordered 200 and 10 days ago
        feed(program, totals, 1, InputFile.ORDERS, order(days200));
        feed(program, totals, 1, InputFile.ORDERS, order(days10));
        // 2: two views 10 days ago, no orders
        feed(program, totals, 2, InputFile.EVENTS, event(days10, "view", "crime"));
        feed(program, totals, 2, InputFile.EVENTS, event(days10, " VIEW ", "crime"));
        // 3: one view and one add_to_cart 10 days ago
        feed(program, totals, 3, InputFile.EVENTS, event(days10, "view", "crime"));
        feed(program, totals, 3, InputFile.EVENTS, event(days10, "add_to_cart", "crime"));
        // 4: nothing at all

        assertEquals(List.of(0), selected(program, "lapsed", totals));
        assertEquals(List.of(1, 2), selected(program, "engaged", totals));
        assertEquals(List.of(0, 4), selected(program, "nobody-recent", totals));
    }

    @Test
    void countsFilledByHandDriveTheSelection() {
        SegmentProgram program = compile(audience("a", """
                all:
                  - purchased: { at_least: 2 }
                  - not: { event: { type: unsubscribe_click } }"""));
        ActivityCounter orders = program.counters(InputFile.ORDERS).get(0);
        ActivityCounter unsubscribes = program.counters(InputFile.EVENTS).get(0);
        CustomerTotals totals = totals(program, 3);
        totals.count(orders, 0, 0);
        totals.count(orders, 0, 0);
        totals.count(orders, 1, 0);
        totals.count(orders, 1, 0);
        totals.count(unsubscribes, 1, 0);
        totals.count(orders, 2, 0);

        assertEquals(List.of(0), selected(program, "a", totals));
    }

    @Test
    void customerWhereFilterMatchesTheCustomersOwnRow() {
        // customers.csv: customer_id, email, country, brand
        SegmentProgram program =
                compile(audience("a", "customer: { where: { brand: nestit-tech, country: [SE, NO, FI, DK] } }"));

        assertEquals(1, program.customerFilterCount());
        assertTrue(program.customerMatches(0, RowView.of(new String[] {"c1", "a@example.com", "SE", "nestit-tech"})));
        assertTrue(program.customerMatches(0, RowView.of(new String[] {"c2", "b@example.com", " no ", "NestIT-Tech"})));
        assertFalse(program.customerMatches(0, RowView.of(new String[] {"c3", "c@example.com", "DE", "nestit-tech"})));
        assertFalse(program.customerMatches(0, RowView.of(new String[] {"c4", "d@example.com", "SE", "nestit-books"})));
        assertFalse(program.customerMatches(0, RowView.of(new String[] {"c5", "e@example.com", "", "nestit-tech"})));
    }

    @Test
    void customerFlagsDriveTheSelection() {
        SegmentProgram program = compile(audience("a", """
                all:
                  - customer: { where: { country: SE } }
                  - not: { customer: { where: { brand: nestit-books } } }"""));
        List<String[]> rows = List.of(
                new String[] {"c0", "", "SE", "nestit-tech"},
                new String[] {"c1", "", "SE", "nestit-books"},
                new String[] {"c2", "", "DK", "nestit-tech"});
        BitSet[] flags = new BitSet[program.customerFilterCount()];
        for (int slot = 0; slot < flags.length; slot++) {
            flags[slot] = new BitSet();
            for (int i = 0; i < rows.size(); i++) {
                flags[slot].set(i, program.customerMatches(slot, RowView.of(rows.get(i))));
            }
        }

        CustomerTotals totals = new CustomerTotals(program, rows.size(), flags);

        assertEquals(2, program.customerFilterCount());
        assertEquals(List.of(0), selected(program, "a", totals));
    }

    @Test
    void identicalCustomerFiltersShareOneSlot() {
        SegmentProgram program = compile(
                audience("a", "customer: { where: { country: SE } }"),
                audience("b", "customer: { where: { Country: \" se \" } }"));

        assertEquals(1, program.customerFilterCount());
    }

    @Test
    void whereMatchingIsTrimmedAndCaseInsensitive() {
        SegmentProgram program = compile(audience("a", "purchased: { where: { category: crime-fiction } }"));
        ActivityCounter counter = program.counters(InputFile.ORDERS).get(0);

        assertTrue(counts(counter, order(AS_OF_MICROS, " Crime-Fiction ", "0")));
        assertTrue(counts(counter, order(AS_OF_MICROS, "CRIME-FICTION\u00A0", "0")));
        assertFalse(counts(counter, order(AS_OF_MICROS, "crime fiction", "0")));
        assertFalse(counts(counter, order(AS_OF_MICROS, "crime-fiction-2", "0")));
        assertFalse(counts(counter, order(AS_OF_MICROS, "", "0")));
    }

    @Test
    void unquotedNoInAWhereMatchesTheCountryNo() {
        SegmentProgram program = compile(audience("a", "customer: { where: { country: NO } }"));

        assertTrue(program.customerMatches(0, RowView.of(new String[] {"c1", "", "no", ""})));
        assertTrue(program.customerMatches(0, RowView.of(new String[] {"c1", "", "NO", ""})));
        assertFalse(
                program.customerMatches(0, RowView.of(new String[] {"c1", "", "false", ""})),
                "NO is not the boolean false");
    }

    @Test
    void numericWhereValueIsMatchedAsText() {
        // orders.csv: customer_id, ordered_at, category, author, product_id, amount
        SegmentProgram program = compile(audience("a", "purchased: { where: { product_id: 42 } }"));
        ActivityCounter counter = program.counters(InputFile.ORDERS).get(0);

        assertTrue(counts(counter, new ActivityRow(AS_OF_MICROS, 0, new String[] {"c", "", "", "", "42", ""})));
        assertTrue(counts(counter, new ActivityRow(AS_OF_MICROS, 0, new String[] {"c", "", "", "", " 42 ", ""})));
        assertFalse(counts(counter, new ActivityRow(AS_OF_MICROS, 0, new String[] {"c", "", "", "", "042", ""})));
        assertFalse(counts(counter, new ActivityRow(AS_OF_MICROS, 0, new String[] {"c", "", "", "", "42.0", ""})));
    }

    @Test
    void eventTypeFiltersTheEventColumn() {
        SegmentProgram program =
                compile(audience("a", "event: { type: add_to_cart, where: { category: [laptops, monitors] } }"));
        ActivityCounter counter = program.counters(InputFile.EVENTS).get(0);

        assertTrue(counts(counter, event(AS_OF_MICROS, "Add_To_Cart", "Monitors")));
        assertFalse(counts(counter, event(AS_OF_MICROS, "product_view", "monitors")));
        assertFalse(counts(counter, event(AS_OF_MICROS, "add_to_cart", "books")));
    }

    @Test
    void askingForAnAudienceNotInTheProgramIsAnError() {
        SegmentProgram program = compile(audience("a", "purchased:"));
        CustomerTotals totals = totals(program, 1);

        assertThrows(
                IllegalArgumentException.class,
                () -> program.selects("b", totals.cursor().at(0)));
        assertThrows(IllegalArgumentException.class, () -> program.rule("b"));
    }

    @Test
    void totalsRefuseAWrongNumberOfCustomerFlagSets() {
        SegmentProgram program = compile(audience("a", "customer: { where: { country: SE } }"));

        assertThrows(IllegalArgumentException.class, () -> new CustomerTotals(program, 1, new BitSet[0]));
    }

    @Test
    void countersOfAFileNoRuleNeedsAreEmpty() {
        SegmentProgram program = compile(audience("a", "customer: { where: { country: SE } }"));

        assertEquals(List.of(), program.counters(InputFile.ORDERS));
        assertEquals(List.of(), program.counters(InputFile.EVENTS));
    }
}
