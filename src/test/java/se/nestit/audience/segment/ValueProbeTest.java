package se.nestit.audience.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;

/** Where values that no row holds, reported with the closest values the column does hold. */
class ValueProbeTest {

    private static final Map<InputFile, Header> HEADERS = new EnumMap<>(InputFile.class);

    static {
        HEADERS.putAll(AudienceLoaderTest.headers(true));
        HEADERS.put(
                InputFile.CUSTOMERS,
                AudienceLoaderTest.header(
                        InputFile.CUSTOMERS, "customer_id", "email", "first_name", "country", "work_email"));
        // orders.csv: customer_id, ordered_at, category, author, product_id, amount
    }

    private static SegmentProgram program(String... rules) {
        AudienceLoader loader = new AudienceLoader(List.of(), HEADERS::get);
        List<AudienceDefinition> audiences = new java.util.ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            audiences.add(loader.parse(
                    YamlNode.parse("a" + i + ".yaml", "rule:\n" + rules[i].indent(2)), Path.of("a" + i + ".yaml")));
        }
        return SegmentProgram.compile(audiences, HEADERS::get, Instant.parse("2026-11-22T00:00:00Z"));
    }

    private static RowView order(String category, String author) {
        return RowView.of(new String[] {"c1", "2026-11-01", category, author, "p1", "10"});
    }

    @Test
    void aValueNoRowHoldsIsNamedWithTheClosestSeenFirst() {
        ValueProbe probe = program("purchased: { where: { category: [deckare, barnbocker] } }")
                .probe(InputFile.ORDERS);
        for (String category : List.of("Deckare", "fantasy", "Barnb\u00f6cker", "deckare", "kokb\u00f6cker", "barn")) {
            probe.accept(order(category, ""));
        }

        List<ValueProbe.Miss> misses = probe.misses();
        assertEquals(1, misses.size());
        // folded, barnbocker is 0 edits from barnböcker, 4 from kokbocker, 6 from barn, 8 from deckare and fantasy
        // (a tie, in alphabetical order)
        assertEquals(
                new ValueProbe.Miss(
                        InputFile.ORDERS,
                        "category",
                        "barnbocker",
                        List.of("barnb\u00f6cker", "kokb\u00f6cker", "barn", "deckare", "fantasy"),
                        false),
                misses.get(0));
        assertEquals(
                "'barnbocker' matched no row of orders.csv category; seen: barnb\u00f6cker, kokb\u00f6cker, barn, deckare, "
                        + "fantasy",
                misses.get(0).message());
    }

    @Test
    void onlyTheClosestFiveAreNamedAndMoreIsSaid() {
        ValueProbe probe = program("purchased: { where: { category: deckar } }").probe(InputFile.ORDERS);
        for (String category : List.of("a", "bb", "c", "d", "e", "f", "deckare")) {
            probe.accept(order(category, ""));
        }

        // deckare is 1 edit away; a, c, d and e 5 (deckar holds them); f and bb 6
        assertEquals(
                "'deckar' matched no row of orders.csv category; seen: deckare, a, c, d, e…",
                probe.misses().get(0).message());
    }

    @Test
    void valuesSomeRowHoldsAreNotReportedAndDecomposedCellsCount() {
        SegmentProgram program = program("purchased: { where: { author: \"Camilla L\u00e4ckberg\" } }");
        ValueProbe probe = program.probe(InputFile.ORDERS);
        probe.accept(order("deckare", "Camilla La\u0308ckberg"));

        assertEquals(List.of(), probe.misses());
    }

    @Test
    void aFileWithoutRowsSaysSo() {
        assertEquals(
                "'add_to_cart' matched no row of events.csv event; the column is empty",
                program("event: { type: add_to_cart }")
                        .probe(InputFile.EVENTS)
                        .misses()
                        .get(0)
                        .message());
    }

    @Test
    void eventTypesAndCustomerColumnsAreWatchedToo() {
        SegmentProgram program = program("event: { type: add_to_kart }", "customer: { where: { country: sweden } }");
        ValueProbe events = program.probe(InputFile.EVENTS);
        events.accept(RowView.of(new String[] {"c1", "2026-11-01", "add_to_cart", "x"}));
        ValueProbe customers = program.probe(InputFile.CUSTOMERS);
        customers.accept(RowView.of(new String[] {"c1", "a@example.se", "Anna", "SE", ""}));

        assertEquals(
                "'add_to_kart' matched no row of events.csv event; seen: add_to_cart",
                events.misses().get(0).message());
        assertEquals(
                "'sweden' matched no row of customers.csv country; seen: se",
                customers.misses().get(0).message());
    }

    @Test
    void emailNameAndIdColumnsAreNeverWatchedNorTheirValuesPrinted() {
        SegmentProgram program = program(
                "customer: { where: { email: anna@example.se } }",
                "customer: { where: { first_name: Anna, work_email: a@example.se } }",
                "customer: { where: { customer_id: c9 } }");
        ValueProbe probe = program.probe(InputFile.CUSTOMERS);
        probe.accept(RowView.of(new String[] {"c1", "bo@example.se", "Bo", "SE", "bo@work.se"}));

        assertEquals(List.of(), probe.misses());
        assertTrue(ValueProbe.personal("email"));
        assertTrue(ValueProbe.personal("last_name"));
        assertTrue(ValueProbe.personal("phone"));
        assertTrue(ValueProbe.personal("customer_id"));
        assertFalse(ValueProbe.personal("country"));
    }

    @Test
    void theSampleIsBoundedInDistinctValues() {
        ValueProbe probe =
                program("purchased: { where: { category: barnbocker } }").probe(InputFile.ORDERS);
        for (int i = 0; i < ValueProbe.MAX_SAMPLE; i++) {
            probe.accept(order("zzzzzzzzzz" + i, ""));
        }
        probe.accept(order("barnb\u00f6cker", ""));

        ValueProbe.Miss miss = probe.misses().get(0);
        assertFalse(miss.closest().contains("barnb\u00f6cker"), "seen after the sample was full");
        assertTrue(miss.more());
    }

    @Test
    void theSampleIsBoundedInRows() {
        ValueProbe probe =
                program("purchased: { where: { category: barnbocker } }").probe(InputFile.ORDERS);
        for (int i = 0; i < ValueProbe.SAMPLE_ROWS; i++) {
            probe.accept(order("deckare", ""));
        }
        probe.accept(order("barnb\u00f6cker", ""));

        assertEquals(List.of("deckare"), probe.misses().get(0).closest());
    }

    @Test
    void threadsProbesAddUp() {
        SegmentProgram program = program("purchased: { where: { category: [deckare, fantasy, barnbocker] } }");
        ValueProbe one = program.probe(InputFile.ORDERS);
        ValueProbe two = program.probe(InputFile.ORDERS);
        one.accept(order("deckare", ""));
        two.accept(order("fantasy", ""));
        two.accept(order("barnb\u00f6cker", ""));

        List<ValueProbe.Miss> misses = one.add(two).misses();
        assertEquals(1, misses.size());
        assertEquals("barnbocker", misses.get(0).value());
        assertEquals(
                List.of("barnb\u00f6cker", "deckare", "fantasy"), misses.get(0).closest());
    }

    @Test
    void distanceIsLevenshteinOnFoldedText() {
        assertEquals(0, ValueProbe.distance(ValueProbe.fold("Barnb\u00f6cker"), ValueProbe.fold("barnbo\u0308cker")));
        assertEquals(3, ValueProbe.distance("kitten", "sitting"));
        assertEquals(6, ValueProbe.distance("", "abcdef"));
        assertEquals("lackberg", ValueProbe.fold(" L\u00c4CKBERG "));
    }
}
