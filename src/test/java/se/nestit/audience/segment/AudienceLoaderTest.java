package se.nestit.audience.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;

class AudienceLoaderTest {

    private static final String FILE = "audiences/x.yaml";

    /** The example of DESIGN.md, "Audience definitions (contract)". */
    private static final String DESIGN_EXAMPLE = """
            id: lapsed-high-value            # [a-z0-9-]+, unique; defaults to the file name
            description: Spent 2000 or more in the last year but bought nothing in the last 90 days
            destinations: [files, google]    # destination ids from the config; default: all of them
            sync: mirror                     # mirror (adds and removes, default) | add-only
            min_size: 100                    # do not upload an audience smaller than this (default 100)
            rule:
              all:
                - purchased: { within_days: 365, min_amount: 2000 }
                - not: { purchased: { within_days: 90 } }
            """;

    @TempDir
    Path dir;

    static Map<InputFile, Header> headers(boolean withOrders) {
        Map<InputFile, Header> h = new EnumMap<>(InputFile.class);
        h.put(InputFile.CUSTOMERS, header(InputFile.CUSTOMERS, "customer_id", "email", "country", "brand"));
        h.put(InputFile.CONSENTS, header(InputFile.CONSENTS, "customer_id", "purpose", "status", "recorded_at"));
        h.put(InputFile.SUPPRESSIONS, header(InputFile.SUPPRESSIONS, "customer_id", "email"));
        h.put(
                InputFile.ORDERS,
                withOrders
                        ? header(
                                InputFile.ORDERS,
                                "customer_id",
                                "ordered_at",
                                "category",
                                "author",
                                "product_id",
                                "amount")
                        : Header.absent(InputFile.ORDERS, Path.of("data", "orders.csv")));
        h.put(InputFile.EVENTS, header(InputFile.EVENTS, "customer_id", "occurred_at", "event", "category"));
        return h;
    }

    static Header header(InputFile file, String... columns) {
        return Header.of(file, Path.of("data", file.fileName()), columns, Map.of(), ',');
    }

    private final AudienceLoader loader = new AudienceLoader(List.of("files", "google"), headers(true)::get);

    private AudienceDefinition parse(String yaml) {
        return loader.parse(YamlNode.parse(FILE, yaml), Path.of(FILE));
    }

    private DefinitionException refused(String yaml) {
        return assertThrows(DefinitionException.class, () -> parse(yaml));
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static Where where(String column, String... values) {
        return new Where(Map.of(column, new Condition.OneOf(Set.of(values))));
    }

    @Test
    void designExampleLoads() throws IOException {
        Path file = write("lapsed-high-value.yaml", DESIGN_EXAMPLE);

        AudienceDefinition a = loader.load(file);

        assertEquals("lapsed-high-value", a.id());
        assertEquals("Spent 2000 or more in the last year but bought nothing in the last 90 days", a.description());
        assertEquals(List.of("files", "google"), a.destinations());
        assertEquals(SyncMode.MIRROR, a.sync());
        assertEquals(100, a.minSize());
        assertEquals(file, a.file());
        assertEquals(
                new Rule.All(List.of(
                        new Rule.Purchased(Where.ANY_ROW, OptionalInt.of(365), 1, 2_000_000_000L),
                        new Rule.Not(new Rule.Purchased(Where.ANY_ROW, OptionalInt.of(90), 1, 0)))),
                a.rule());
    }

    @Test
    void defaultsWhenOnlyARuleIsGiven() {
        AudienceDefinition a = parse("rule: { purchased: }\n");

        assertEquals("x", a.id(), "id defaults to the file name");
        assertEquals("", a.description());
        assertEquals(List.of("files", "google"), a.destinations(), "all config destinations, in config order");
        assertEquals(SyncMode.MIRROR, a.sync());
        assertEquals(100, a.minSize());
        assertFalse(a.adopt(), "a network audience this job did not create is left alone");
        assertEquals(new Rule.Purchased(Where.ANY_ROW, OptionalInt.empty(), 1, 0), a.rule());
    }

    @Test
    void idDefaultsToTheFileNameOfAYmlFileToo() throws IOException {
        assertEquals(
                "crime-90d",
                loader.load(write("crime-90d.yml", "rule: { purchased: }\n")).id());
    }

    @Test
    void fileNameThatIsNotAValidIdIsRefused() throws IOException {
        Path file = write("Crime_Buyers.yaml", "rule: { purchased: }\n");

        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.load(file));

        assertTrue(e.getMessage().startsWith(file + ": the file name does not make a valid id"), e.getMessage());
    }

    @Test
    void fileNameIsIrrelevantWhenIdIsGiven() throws IOException {
        assertEquals(
                "crime",
                loader.load(write("Crime_Buyers.yaml", "id: crime\nrule: { purchased: }\n"))
                        .id());
    }

    @Test
    void invalidIdIsRefused() {
        DefinitionException e = refused("id: Crime Buyers\nrule: { purchased: }\n");

        assertEquals(FILE + ": id: must be lowercase letters, digits and '-' only (line 1)", e.getMessage());
    }

    @Test
    void duplicateIdsAcrossFilesAreRefused() throws IOException {
        write("a.yaml", "id: crime\nrule: { purchased: }\n");
        Path b = write("b.yaml", "id: crime\nrule: { event: }\n");

        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.loadAll(dir));

        assertEquals(b + ": id 'crime' is already used by " + dir.resolve("a.yaml"), e.getMessage());
    }

    @Test
    void fileNameIdCollidingWithAnExplicitIdIsRefused() throws IOException {
        write("a.yaml", "id: crime\nrule: { purchased: }\n");
        write("crime.yml", "rule: { purchased: }\n");

        assertThrows(DefinitionException.class, () -> loader.loadAll(dir));
    }

    @Test
    void loadAllReadsYamlAndYmlFilesInNameOrderAndNothingElse() throws IOException {
        write("b.yml", "rule: { purchased: }\n");
        write("a.yaml", "rule: { event: }\n");
        write("notes.txt", "not an audience");
        write("c.yaml.bak", "id: [broken");

        List<AudienceDefinition> all = loader.loadAll(dir);

        assertEquals(List.of("a", "b"), all.stream().map(AudienceDefinition::id).toList());
    }

    @Test
    void missingAudiencesDirectoryIsADefinitionError() {
        Path missing = dir.resolve("nope");

        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.loadAll(missing));

        assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
    }

    @Test
    void wrongTypeDeepInARuleNamesFilePathAndLine() {
        DefinitionException e = refused("""
                rule:
                  all:
                    - purchased: { within_days: 365 }
                    - purchased: { within_days: ninety }
                """);

        assertEquals(FILE + ": rule.all[1].purchased.within_days: expected a number (line 4)", e.getMessage());
    }

    @Test
    void errorsReadFromAFileStartWithThatFile() throws IOException {
        Path file = write("x.yaml", "rule:\n  all:\n    - purchased: {}\n    - purchased: { within_days: ninety }\n");

        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.load(file));

        assertEquals(file + ": rule.all[1].purchased.within_days: expected a number (line 4)", e.getMessage());
    }

    @Test
    void unknownTopLevelKeyIsRefused() {
        DefinitionException e = refused("id: a\ndestination: [files]\nrule: { purchased: }\n");

        assertEquals(
                FILE + ": destination: unknown key (expected one of id, description, destinations, sync, "
                        + "min_size, adopt, rule) (line 2)",
                e.getMessage());
    }

    @Test
    void unknownKeyInsideARuleIsRefused() {
        DefinitionException e = refused("rule:\n  purchased: { within_day: 90 }\n");

        assertEquals(
                FILE + ": rule.purchased.within_day: unknown key (expected one of where, within_days, "
                        + "at_least, min_amount) (line 2)",
                e.getMessage());
    }

    @Test
    void unknownRuleKindIsRefused() {
        DefinitionException e = refused("rule:\n  bought: {}\n");

        assertTrue(
                e.getMessage()
                        .startsWith(FILE + ": rule.bought: unknown key (expected one of all, any, not, "
                                + "purchased, event, customer)"),
                e.getMessage());
    }

    @Test
    void ruleWithTwoKeysIsRefused() {
        DefinitionException e = refused("rule:\n  purchased: {}\n  event: {}\n");

        assertEquals(
                FILE + ": rule: expected exactly one of all, any, not, purchased, event, customer but found "
                        + "purchased, event (line 2)",
                e.getMessage());
    }

    @Test
    void emptyRuleMapIsRefused() {
        DefinitionException e = refused("rule: {}\n");

        assertTrue(e.getMessage().startsWith(FILE + ": rule: expected exactly one of"), e.getMessage());
    }

    @Test
    void missingRuleIsRefused() {
        DefinitionException e = refused("id: a\n");

        assertTrue(e.getMessage().startsWith(FILE + ": rule: missing"), e.getMessage());
    }

    @Test
    void emptyAllIsRefused() {
        DefinitionException e = refused("rule:\n  all: []\n");

        assertEquals(FILE + ": rule.all: expected at least one rule (line 2)", e.getMessage());
    }

    @Test
    void anyMustBeAList() {
        DefinitionException e = refused("rule:\n  any: { purchased: {} }\n");

        assertEquals(FILE + ": rule.any: expected a list (line 2)", e.getMessage());
    }

    @Test
    void whereOnAColumnTheFileDoesNotHaveIsRefusedNamingColumnAndFile() {
        DefinitionException e = refused("rule:\n  purchased:\n    where: { genre: crime }\n");

        assertTrue(
                e.getMessage().startsWith(FILE + ": rule.purchased.where.genre: column 'genre' is not in orders.csv"),
                e.getMessage());
    }

    @Test
    void customerWhereIsCheckedAgainstCustomersCsv() {
        // category is an orders/events column, not a customers.csv one
        DefinitionException e = refused("rule:\n  customer: { where: { category: crime } }\n");

        assertTrue(
                e.getMessage()
                        .startsWith(FILE + ": rule.customer.where.category: column 'category' is not in customers.csv"),
                e.getMessage());
    }

    @Test
    void whereColumnNamesAreCaseInsensitive() {
        assertEquals(
                new Rule.Purchased(where("category", "crime"), OptionalInt.empty(), 1, 0),
                parse("rule:\n  purchased: { where: { Category: crime } }\n").rule());
    }

    @Test
    void purchasedNeedsOrdersCsv() {
        AudienceLoader noOrders = new AudienceLoader(List.of("files"), headers(false)::get);

        DefinitionException e = assertThrows(
                DefinitionException.class,
                () -> noOrders.parse(
                        YamlNode.parse(FILE, "rule:\n  not:\n    purchased: { within_days: 90 }\n"), Path.of(FILE)));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                FILE + ": rule.not.purchased: needs orders.csv, which is not in the data directory"),
                e.getMessage());
    }

    @Test
    void aRuleWithoutPurchasedLoadsWithoutOrdersCsv() {
        AudienceLoader noOrders = new AudienceLoader(List.of("files"), headers(false)::get);

        AudienceDefinition a = noOrders.parse(YamlNode.parse(FILE, "rule: { event: { type: view } }\n"), Path.of(FILE));

        assertEquals(new Rule.Event(where("event", "view"), OptionalInt.empty(), 1), a.rule());
    }

    @Test
    void unknownDestinationIsRefused() {
        DefinitionException e = refused("destinations: [files, meta]\nrule: { purchased: }\n");

        assertEquals(
                FILE + ": destinations[1]: unknown destination 'meta' (the config defines files, google) (line 1)",
                e.getMessage());
    }

    @Test
    void destinationListedTwiceIsRefused() {
        DefinitionException e = refused("destinations: [files, files]\nrule: { purchased: }\n");

        assertTrue(e.getMessage().startsWith(FILE + ": destinations[1]: "), e.getMessage());
    }

    @Test
    void aSubsetOfDestinationsIsKept() {
        assertEquals(
                List.of("google"),
                parse("destinations: [google]\nrule: { purchased: }\n").destinations());
    }

    @Test
    void syncAddOnly() {
        assertEquals(
                SyncMode.ADD_ONLY,
                parse("sync: add-only\nrule: { purchased: }\n").sync());
    }

    @Test
    void unknownSyncModeIsRefused() {
        DefinitionException e = refused("sync: add_only\nrule: { purchased: }\n");

        assertEquals(FILE + ": sync: expected mirror or add-only (line 1)", e.getMessage());
    }

    @Test
    void adoptIsTrueOrFalseAndNothingElse() {
        assertTrue(parse("adopt: true\nrule: { purchased: }\n").adopt());
        assertFalse(parse("adopt: false\nrule: { purchased: }\n").adopt());
        assertEquals(
                FILE + ": adopt: expected true or false (line 1)",
                refused("adopt: \"true\"\nrule: { purchased: }\n").getMessage());
        assertEquals(
                FILE + ": adopt: expected true or false (line 1)",
                refused("adopt: yes\nrule: { purchased: }\n").getMessage());
    }

    @Test
    void minSizeMayBeZeroButNotNegative() {
        assertEquals(0, parse("min_size: 0\nrule: { purchased: }\n").minSize());
        assertTrue(refused("min_size: -1\nrule: { purchased: }\n").getMessage().startsWith(FILE + ": min_size: "));
    }

    @Test
    void minAmountWithDecimalsIsExactMillionths() {
        Rule r = parse("rule:\n  purchased: { min_amount: 1999.99 }\n").rule();

        assertEquals(1_999_990_000L, ((Rule.Purchased) r).minAmount());
    }

    @Test
    void minAmountWithSixDecimalsIsKept() {
        assertEquals(
                1L,
                ((Rule.Purchased) parse("rule:\n  purchased: { min_amount: 0.000001 }\n")
                                .rule())
                        .minAmount());
    }

    @Test
    void negativeMinAmountIsRefused() {
        DefinitionException e = refused("rule:\n  purchased: { min_amount: -5 }\n");

        assertEquals(FILE + ": rule.purchased.min_amount: must not be negative (line 2)", e.getMessage());
    }

    @Test
    void minAmountWithSevenDecimalsIsRefused() {
        DefinitionException e = refused("rule:\n  purchased: { min_amount: 0.0000001 }\n");

        assertEquals(FILE + ": rule.purchased.min_amount: has more than 6 decimals (line 2)", e.getMessage());
    }

    @Test
    void minAmountAsTextIsRefused() {
        DefinitionException e = refused("rule:\n  purchased: { min_amount: \"2000\" }\n");

        assertEquals(FILE + ": rule.purchased.min_amount: expected a number (line 2)", e.getMessage());
    }

    @Test
    void withinDaysZeroIsRefused() {
        DefinitionException e = refused("rule:\n  event: { within_days: 0 }\n");

        assertEquals(FILE + ": rule.event.within_days: must be between 1 and 36500 but was 0 (line 2)", e.getMessage());
    }

    @Test
    void atLeastZeroIsRefused() {
        DefinitionException e = refused("rule:\n  purchased: { at_least: 0 }\n");

        assertTrue(e.getMessage().startsWith(FILE + ": rule.purchased.at_least: "), e.getMessage());
    }

    @Test
    void eventTypeBecomesAFilterOnTheEventColumn() {
        Rule r = parse(
                        "rule:\n  event: { type: Add_To_Cart, where: { category: laptops }, within_days: 14, at_least: 2 }\n")
                .rule();

        assertEquals(
                new Rule.Event(
                        new Where(Map.of(
                                "category",
                                new Condition.OneOf(Set.of("laptops")),
                                "event",
                                new Condition.OneOf(Set.of("add_to_cart")))),
                        OptionalInt.of(14),
                        2),
                r);
    }

    @Test
    void eventTypeAndWhereEventTogetherAreRefused() {
        DefinitionException e = refused("rule:\n  event: { type: view, where: { Event: view } }\n");

        assertTrue(
                e.getMessage()
                        .startsWith(FILE + ": rule.event.type: give the event type either as 'type' or as "
                                + "'where: {event: ...}', not both"),
                e.getMessage());
    }

    @Test
    void customerRuleWithoutAWhereIsEveryCustomer() {
        assertEquals(
                new Rule.Customer(Where.ANY_ROW),
                parse("rule:\n  customer: {}\n").rule());
        assertEquals(
                new Rule.Customer(Where.ANY_ROW), parse("rule:\n  customer:\n").rule());
    }

    @Test
    void whereValueMayBeAScalarOrAList() {
        assertEquals(
                new Rule.Customer(where("country", "se")),
                parse("rule:\n  customer: { where: { country: SE } }\n").rule());
        assertEquals(
                new Rule.Customer(where("country", "se", "dk")),
                parse("rule:\n  customer: { where: { country: [SE, \" DK \"] } }\n")
                        .rule());
    }

    @Test
    void whereNumberIsKeptAsWrittenText() {
        // 042 stays "042" (not 42, not 34 as octal): cells are compared as text
        assertEquals(
                new Rule.Purchased(where("product_id", "42", "042"), OptionalInt.empty(), 1, 0),
                parse("rule:\n  purchased: { where: { product_id: [42, 042] } }\n")
                        .rule());
    }

    @Test
    void unquotedNoIsTheCountryNo() {
        assertEquals(
                new Rule.Customer(where("country", "no")),
                parse("rule:\n  customer: { where: { country: NO } }\n").rule());
    }

    @Test
    void whereWithAnEmptyListIsRefused() {
        DefinitionException e = refused("rule:\n  customer: { where: { country: [] } }\n");

        assertEquals(FILE + ": rule.customer.where.country: expected at least one value (line 2)", e.getMessage());
    }

    @Test
    void whereWithAMapValueOtherThanAnOperatorIsRefused() {
        DefinitionException e = refused("rule:\n  customer: { where: { country: { is: SE } } }\n");

        assertEquals(
                FILE + ": rule.customer.where.country.is: unknown key (expected one of in, contains, starts_with, gte, "
                        + "gt, lte, lt) (line 2)",
                e.getMessage());
    }

    @Test
    void whereFilteringOneColumnTwiceIsRefused() {
        DefinitionException e = refused("rule:\n  customer: { where: { country: SE, Country: DK } }\n");

        assertTrue(e.getMessage().startsWith(FILE + ": rule.customer.where.Country: "), e.getMessage());
    }

    @Test
    void emptyWhereIsRefused() {
        DefinitionException e = refused("rule:\n  purchased: { where: {} }\n");

        assertEquals(FILE + ": rule.purchased.where: expected at least one 'column: value' (line 2)", e.getMessage());
    }

    @Test
    void aDottedRuleKeyIsAnUnknownKey() {
        DefinitionException e = refused("rule:\n  x.purchased: {}\n");

        assertTrue(e.getMessage().startsWith(FILE + ": rule.x.purchased: unknown key"), e.getMessage());
    }
}
