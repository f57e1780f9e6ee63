package se.nestit.audience.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RequiredCells;
import se.nestit.audience.source.RowView;

/** The operators of {@code where} besides equality: what they read, what they match, what they refuse. */
class WhereOperatorsTest {

    private static final String FILE = "audiences/x.yaml";
    private static final Map<InputFile, Header> HEADERS = new EnumMap<>(InputFile.class);

    static {
        HEADERS.putAll(AudienceLoaderTest.headers(true));
        // orders.csv: customer_id, ordered_at, category, amount, quantity
        HEADERS.put(
                InputFile.ORDERS,
                AudienceLoaderTest.header(
                        InputFile.ORDERS, "customer_id", "ordered_at", "category", "amount", "quantity"));
        // events.csv: customer_id, occurred_at, event, url
        HEADERS.put(
                InputFile.EVENTS,
                AudienceLoaderTest.header(InputFile.EVENTS, "customer_id", "occurred_at", "event", "url"));
    }

    private static final AudienceLoader LOADER = new AudienceLoader(List.of("files"), HEADERS::get);

    private static Rule rule(String rule) {
        return LOADER.parse(YamlNode.parse(FILE, "rule:\n" + rule.indent(2)), Path.of(FILE))
                .rule();
    }

    private static Condition condition(String rule, String column) {
        Rule r = rule(rule);
        Where where = r instanceof Rule.Purchased p
                ? p.where()
                : r instanceof Rule.Event e ? e.where() : ((Rule.Customer) r).where();
        return where.columns().get(column);
    }

    private static SegmentProgram program(String rule) {
        return SegmentProgram.compile(
                List.of(new AudienceDefinition("x", "", List.of(), SyncMode.MIRROR, 0, rule(rule), Path.of(FILE))),
                HEADERS::get,
                Instant.parse("2026-11-22T00:00:00Z"));
    }

    /** The rule's only filter, compiled against its file's header. */
    private static RowFilter filter(String rule) {
        return program(rule).counters().get(0).filter();
    }

    private static boolean order(RowFilter filter, String category, String amount, String quantity) {
        return filter.matches(RowView.of(new String[] {"c1", "2026-11-01", category, amount, quantity}));
    }

    private static boolean amount(RowFilter filter, String amount) {
        return order(filter, "deckare", amount, "1");
    }

    private static boolean url(RowFilter filter, String url) {
        return filter.matches(RowView.of(new String[] {"c1", "2026-11-01", "page_view", url}));
    }

    private static String refused(String rule) {
        return assertThrows(DefinitionException.class, () -> rule(rule)).getMessage();
    }

    @Test
    void operatorsAreReadIntoConditionsInComparedForm() {
        assertEquals(
                new Condition.Contains("kampanj"),
                condition("event: { where: { url: { contains: \" Kampanj \" } } }", "url"));
        assertEquals(
                new Condition.StartsWith("https://shop.se/"),
                condition("event: { where: { url: { starts_with: HTTPS://shop.se/ } } }", "url"));
        assertEquals(
                new Condition.OneOf(Set.of("deckare", "fantasy")),
                condition("purchased: { where: { category: { in: [Deckare, fantasy] } } }", "category"));
        assertEquals(
                new Condition.Range(100_000_000L, 499_999_999L),
                condition("purchased: { where: { amount: { gte: 100, lt: 500 } } }", "amount"));
        assertEquals(
                new Condition.Range(100_000_001L, 500_000_000L),
                condition("purchased: { where: { amount: { gt: 100, lte: 500.00 } } }", "amount"));
        assertEquals(
                new Condition.Range(2_000_000L, Long.MAX_VALUE),
                condition("purchased: { where: { quantity: { gte: 2 } } }", "quantity"));
        assertEquals(
                new Condition.Range(Long.MIN_VALUE, -1L),
                condition("purchased: { where: { amount: { lt: 0 } } }", "amount"));
    }

    @Test
    void gteAndLtIncludeTheLowerBoundAndExcludeTheUpper() {
        RowFilter f = filter("purchased: { where: { amount: { gte: 100, lt: 500 } } }");

        assertFalse(amount(f, "99.999999"));
        assertTrue(amount(f, "100"));
        assertTrue(amount(f, " 100.000 "));
        assertTrue(amount(f, "499.999999"));
        assertFalse(amount(f, "500"));
        assertFalse(amount(f, "500.000001"));
        assertFalse(amount(f, "-200"));
    }

    @Test
    void gtAndLteExcludeTheLowerBoundAndIncludeTheUpper() {
        RowFilter f = filter("purchased: { where: { amount: { gt: 100, lte: 500 } } }");

        assertFalse(amount(f, "100"));
        assertTrue(amount(f, "100.000001"));
        assertTrue(amount(f, "500"));
        assertFalse(amount(f, "500.000001"));
    }

    @Test
    void anEmptyOrUnreadableCellMatchesNoRange() {
        RowFilter below = filter("purchased: { where: { amount: { lt: 1 } } }");

        assertFalse(amount(below, ""), "an empty amount is no number, though it adds 0 to sums");
        assertFalse(amount(below, "  "));
        assertFalse(amount(below, "1e-3"));
        // a decimal comma compares as its value: the row check has already refused it in a file written with points
        assertTrue(amount(below, "0,5"));
        assertTrue(amount(below, "0.5"));
    }

    @Test
    void quantityIsCompared() {
        RowFilter f = filter("purchased: { where: { quantity: { gte: 2 } } }");

        assertFalse(order(f, "deckare", "10", "1"));
        assertTrue(order(f, "deckare", "10", "2"));
        assertTrue(order(f, "deckare", "10", "12"));
    }

    @Test
    void startsWithMatchesAUrlWithTrackingParameters() {
        RowFilter f = filter("event: { where: { url: { starts_with: \"https://shop.se/kampanj\" } } }");

        assertTrue(url(f, "https://shop.se/kampanj"));
        assertTrue(url(f, "https://shop.se/kampanj?utm_source=newsletter&utm_medium=email"));
        assertTrue(url(f, " HTTPS://Shop.se/Kampanj?x=1"), "trimmed and case-insensitive, as equality");
        assertFalse(url(f, "http://shop.se/kampanj"));
        assertFalse(url(f, "https://shop.se/"));
        assertFalse(url(f, "https://other.se/?r=https://shop.se/kampanj"));
    }

    @Test
    void containsMatchesAnywhereInTheCell() {
        RowFilter f = filter("event: { where: { url: { contains: L\u00e4ckberg } } }");

        assertTrue(url(f, "https://shop.se/forfattare/camilla-l\u00e4ckberg/isprinsessan"));
        assertTrue(url(f, "https://shop.se/sok?q=LA\u0308CKBERG"), "decomposed and uppercase");
        assertFalse(url(f, "https://shop.se/sok?q=lackberg"));
    }

    @Test
    void inIsEqualityToAnyOfTheValues() {
        RowFilter f = filter("purchased: { where: { category: { in: [deckare, Barnb\u00f6cker] } } }");

        assertTrue(order(f, "Deckare", "1", "1"));
        assertTrue(order(f, "barnbo\u0308cker", "1", "1"));
        assertFalse(order(f, "fantasy", "1", "1"));
        assertFalse(order(f, "deckare-pocket", "1", "1"));
    }

    @Test
    void operatorsCombineWithEqualityOnOtherColumns() {
        RowFilter f = filter("purchased: { where: { category: deckare, amount: { gte: 200 } } }");

        assertTrue(order(f, "deckare", "200", "1"));
        assertFalse(order(f, "deckare", "199.99", "1"));
        assertFalse(order(f, "fantasy", "200", "1"));
    }

    @Test
    void badOperatorsAreRefusedWithTheirPathAndLine() {
        assertEquals(
                FILE + ": rule.purchased.where.category.like: unknown key (expected one of in, contains, starts_with, "
                        + "gte, gt, lte, lt) (line 2)",
                refused("purchased: { where: { category: { like: deck } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.category: gte compares numbers, and only amount and quantity of "
                        + "orders.csv hold numbers (line 2)",
                refused("purchased: { where: { category: { gte: 1 } } }"));
        assertEquals(
                FILE + ": rule.event.where.url: lt compares numbers, and only amount and quantity of "
                        + "orders.csv hold numbers (line 2)",
                refused("event: { where: { url: { lt: 1 } } }"));
        assertEquals(
                FILE + ": rule.event.where.url: expected one of in, contains, starts_with alone but found contains, "
                        + "starts_with (line 2)",
                refused("event: { where: { url: { contains: a, starts_with: b } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.amount: expected at most one lower bound (gte, gt) and one upper bound "
                        + "(lte, lt) (line 2)",
                refused("purchased: { where: { amount: { gte: 1, gt: 2 } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.amount: no number is gte 500 and lt 100 (line 2)",
                refused("purchased: { where: { amount: { gte: 500, lt: 100 } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.amount: no number is gt 5 and lt 5.000001 (line 2)",
                refused("purchased: { where: { amount: { gt: 5, lt: 5.000001 } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.amount.gte: has more than 6 decimals (line 2)",
                refused("purchased: { where: { amount: { gte: 0.0000001 } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.amount: a bound is too large (line 2)",
                refused("purchased: { where: { amount: { gt: 9223372036854.775807 } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.amount.lt: is too large (line 2)",
                refused("purchased: { where: { amount: { lt: 1e30 } } }"));
        assertTrue(refused("purchased: { where: { amount: { gte: ten } } }")
                .startsWith(FILE + ": rule.purchased.where.amount.gte: expected a number"));
        assertEquals(
                FILE + ": rule.event.where.url.contains: empty text matches every cell (line 2)",
                refused("event: { where: { url: { contains: \" \" } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.category.in: expected a list of values (line 2)",
                refused("purchased: { where: { category: { in: deckare } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.category.in: expected at least one value (line 2)",
                refused("purchased: { where: { category: { in: [] } } }"));
        assertEquals(
                FILE + ": rule.purchased.where.category: expected a value, a list of values or one of in, contains, "
                        + "starts_with, gte, gt, lte, lt (line 2)",
                refused("purchased: { where: { category: {} } }"));
    }

    @Test
    void aRangeMakesItsColumnRequiredSoThatAnUnreadableCellRejectsItsRowInsteadOfMatchingNothing() {
        assertEquals(
                RequiredCells.NONE,
                program("purchased: { where: { category: deckare } }").requiredCells());
        assertEquals(
                new RequiredCells(true, false),
                program("purchased: { where: { amount: { gte: 100 } } }").requiredCells());
        assertEquals(
                new RequiredCells(true, false),
                program("purchased: { min_amount: 100 }").requiredCells());
        // inside a not, a row matching nothing would let its customer in: the row is rejected instead
        assertEquals(
                new RequiredCells(false, true),
                program("not: { purchased: { where: { quantity: { gte: 2 } } } }")
                        .requiredCells());
        assertEquals(
                RequiredCells.NONE,
                program("purchased: { where: { quantity: 2 } }").requiredCells(),
                "equality compares text, as for any column");
    }
}
