package se.nestit.audience.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlNodeTest {

    private static final String FILE = "audiences/x.yaml";

    private static YamlNode parse(String yaml) {
        return YamlNode.parse(FILE, yaml);
    }

    private static DefinitionException refused(String yaml) {
        return assertThrows(DefinitionException.class, () -> parse(yaml));
    }

    @Test
    void unquotedNoStaysTheTextNoButIsNotAString() {
        // YAML 1.1 reads NO as the boolean false; a country code must survive as written
        YamlNode country = parse("country: NO\n").get("country");

        assertEquals("NO", country.scalarText());
        DefinitionException e = assertThrows(DefinitionException.class, country::string);
        assertEquals(FILE + ": country: expected a string (line 1)", e.getMessage());
    }

    @Test
    void booleanLikeWordsKeepTheirSpelling() {
        YamlNode root = parse("a: yes\nb: Off\nc: TRUE\nd: \"NO\"\n");

        assertEquals("yes", root.get("a").scalarText());
        assertEquals("Off", root.get("b").scalarText());
        assertEquals("TRUE", root.get("c").scalarText());
        assertEquals("NO", root.get("d").string(), "a quoted NO is a plain string");
    }

    @Test
    void numbersKeepTheirTextAndAreNotStrings() {
        YamlNode root = parse("n: 042\nd: 1999.99\n");

        assertEquals("042", root.get("n").scalarText());
        assertThrows(DefinitionException.class, () -> root.get("n").string());
        assertEquals(new BigDecimal("1999.99"), root.get("d").decimal());
    }

    @Test
    void integerRangeIsCheckedWithFilePathAndLine() {
        YamlNode root = parse("consent:\n  max_age_days: 0\n");

        DefinitionException e = assertThrows(
                DefinitionException.class,
                () -> root.get("consent").get("max_age_days").integer(1, 36_500));

        assertEquals(FILE + ": consent.max_age_days: must be between 1 and 36500 but was 0 (line 2)", e.getMessage());
    }

    @Test
    void anUnquotedReferenceInAFlowMappingGetsAHintToQuoteIt() {
        // YAML reads the { of ${...} as the start of another mapping
        DefinitionException e = assertThrows(
                DefinitionException.class, () -> parse("meta: { type: meta, access_token: ${META_TOKEN} }\n"));

        assertEquals(
                FILE
                        + ": not valid YAML (line 1, column 36): while parsing a flow mapping: expected ',' or '}', but got {; "
                        + "a ${VAR} inside { } or [ ] must be quoted: \"${VAR}\"",
                e.getMessage());
        assertEquals(
                "${META_TOKEN}",
                parse("meta: { access_token: \"${META_TOKEN}\" }\n")
                        .get("meta")
                        .get("access_token")
                        .string());
    }

    @Test
    void otherSyntaxErrorsGetNoHintAboutReferences() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> parse("meta: { type: meta, x: {a }\n"));

        assertFalse(e.getMessage().contains("${VAR}"), e.getMessage());
    }

    @Test
    void aDecimalIsNotAWholeNumber() {
        DefinitionException e = assertThrows(
                DefinitionException.class, () -> parse("n: 1.5\n").get("n").integer());

        assertEquals(FILE + ": n: expected a whole number (line 1)", e.getMessage());
    }

    @Test
    void duplicateKeyIsRefusedWithPathAndLine() {
        DefinitionException e = refused("rule:\n  purchased: {}\n  purchased: {}\n");

        assertEquals(FILE + ": rule.purchased: appears twice (line 3)", e.getMessage());
    }

    @Test
    void anAnchorOnAListIsRefused() {
        DefinitionException e = refused("a: 1\nb: &x [1, 2]\n");

        assertEquals(FILE + ": b: anchors and aliases (& and *) are not supported (line 2)", e.getMessage());
    }

    @Test
    void anAnchorOnAMapIsRefused() {
        DefinitionException e = refused("a:\n  b: &x\n    c: 1\n");

        assertEquals(FILE + ": a.b: anchors and aliases (& and *) are not supported (line 2)", e.getMessage());
    }

    @Test
    void anAliasOfAScalarAnchorIsRefused() {
        DefinitionException e = refused("a: &x 1\nb: *x\n");

        assertEquals(FILE + ": b: anchors and aliases (& and *) are not supported (line 2)", e.getMessage());
    }

    @Test
    void anAliasIsRefused() {
        // an alias without its anchor: the refusal must come from the alias itself
        DefinitionException e = refused("a: 1\nb: *x\n");

        assertEquals(FILE + ": b: anchors and aliases (& and *) are not supported (line 2)", e.getMessage());
    }

    @Test
    void aliasBombIsRefusedAtItsFirstAnchorBeforeAnyExpansion() {
        // the classic "billion laughs": 9^9 strings once expanded
        StringBuilder bomb =
                new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        String previous = "a";
        for (char c = 'b'; c <= 'i'; c++) {
            String ref = "*" + previous;
            bomb.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [")
                    .append(String.join(",", List.of(ref, ref, ref, ref, ref, ref, ref, ref, ref)))
                    .append("]\n");
            previous = String.valueOf(c);
        }

        DefinitionException e = refused(bomb.toString());

        assertTrue(e.getMessage().startsWith(FILE + ": a: anchors and aliases"), e.getMessage());
    }

    @Test
    void sixtyFiveLevelsOfNestingAreRead() {
        // the root is level 0; 65 nested lists reach level 64, the deepest allowed
        YamlNode root = parse("[".repeat(65) + "]".repeat(65));

        assertTrue(root.isList());
    }

    @Test
    void nestingDeeperThanSixtyFourLevelsIsRefused() {
        DefinitionException e = refused("[".repeat(66) + "]".repeat(66));

        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("nested deeper than 64 levels"), e.getMessage());
    }

    @Test
    void veryDeepNestingIsRefusedWithoutStackOverflow() {
        DefinitionException e = refused("[".repeat(100_000) + "]".repeat(100_000));

        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
    }

    @Test
    void aSecondDocumentIsRefused() {
        DefinitionException e = refused("id: a\n---\nid: b\n");

        assertEquals(FILE + ": holds more than one YAML document", e.getMessage());
    }

    @Test
    void invalidYamlNamesLineAndColumn() {
        DefinitionException e = refused("id: a\nrule: b: c\n");

        assertTrue(e.getMessage().startsWith(FILE + ": not valid YAML (line 2, column "), e.getMessage());
    }

    @Test
    void invalidYamlIsOneLineThatNamesTheMistakeButDoesNotQuoteTheFile() {
        DefinitionException e = refused("rule:\n  customer: {where: {brand: secret}}\n - x: 1\n");

        assertEquals(
                FILE + ": not valid YAML (line 3, column 2): while parsing a block mapping: expected <block end>, "
                        + "but found '<block sequence start>'",
                e.getMessage());
    }

    @Test
    void invalidYamlNamesTheLineOfTheMistakeNotWhereTheParserStood() {
        DefinitionException e = refused("- id: 1\n  - id: 1\n");

        assertTrue(e.getMessage().startsWith(FILE + ": not valid YAML (line 2, column 3): "), e.getMessage());
    }

    @Test
    void unclosedFlowListNamesWhereParsingStopped() {
        DefinitionException e = refused("destinations: [files, google\n");

        assertTrue(e.getMessage().startsWith(FILE + ": not valid YAML (line "), e.getMessage());
    }

    @Test
    void unknownKeyMessageListsTheAllowedKeys() {
        YamlNode root = parse("id: a\ncolour: red\n");

        DefinitionException e =
                assertThrows(DefinitionException.class, () -> root.fields(List.of("id", "description")));

        assertEquals(FILE + ": colour: unknown key (expected one of id, description) (line 2)", e.getMessage());
    }

    @Test
    void unknownKeyWithOneAllowedKeySaysSo() {
        YamlNode root = parse("customer:\n  wher: {}\n").get("customer");

        DefinitionException e = assertThrows(DefinitionException.class, () -> root.fields(List.of("where")));

        assertEquals(FILE + ": customer.wher: unknown key (expected where) (line 2)", e.getMessage());
    }

    @Test
    void aKeyContainingADotIsAnUnknownKeyNotItsLastSegment() {
        YamlNode root = parse("x.zone: Mars/Base\n");

        DefinitionException e = assertThrows(DefinitionException.class, () -> root.fields(List.of("zone")));

        assertTrue(e.getMessage().contains("x.zone"), e.getMessage());
    }

    @Test
    void aMissingFieldKnowsWhereItWouldHaveBeen() {
        YamlNode purchased =
                parse("rule:\n  purchased:\n    at_least: 2\n").get("rule").get("purchased");

        YamlNode missing = purchased.get("within_days");

        assertTrue(missing.isMissing());
        assertEquals("rule.purchased.within_days", missing.path());
        // a missing node takes the line of its map, which for a block map is the line of its first key
        assertEquals(
                FILE + ": rule.purchased.within_days: expected a number (line 3)",
                assertThrows(DefinitionException.class, missing::integer).getMessage());
    }

    @Test
    void listItemsArePathedByIndex() {
        YamlNode items =
                parse("rule:\n  all:\n    - a: 1\n    - b: x\n").get("rule").get("all");

        YamlNode b = items.items().get(1).get("b");

        assertEquals("rule.all[1].b", b.path());
        assertEquals(4, b.line());
    }

    @Test
    void emptyAndNullValuesReadAsNull() {
        YamlNode root = parse("a:\nb: ~\nc: null\n");

        assertTrue(root.get("a").isNullOrMissing());
        assertTrue(root.get("b").isNullOrMissing());
        assertTrue(root.get("c").isNullOrMissing());
        assertFalse(root.get("a").isMissing());
    }

    @Test
    void emptyDocumentIsAnEmptyMap() {
        assertTrue(parse("").fields().isEmpty());
        assertTrue(parse("# only a comment\n").fields().isEmpty());
    }

    @Test
    void aScalarIsNotAMap() {
        DefinitionException e = assertThrows(
                DefinitionException.class,
                () -> parse("rule: purchased\n").get("rule").fields());

        assertEquals(FILE + ": rule: expected a map of keys and values (line 1)", e.getMessage());
    }

    @Test
    void readNamesTheFileAsGiven(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.yaml");
        Files.writeString(file, "a: 1\na: 2\n");

        DefinitionException e = assertThrows(DefinitionException.class, () -> YamlNode.read(file));

        assertEquals(file + ": a: appears twice (line 2)", e.getMessage());
    }

    @Test
    void readRefusesInvalidUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.yaml");
        Files.write(file, "id: j\u00f6rg\n".getBytes(StandardCharsets.ISO_8859_1));

        DefinitionException e = assertThrows(DefinitionException.class, () -> YamlNode.read(file));

        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    @Test
    void readNamesTheLineOfTheFirstByteThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.yaml");
        Files.write(file, "id: a\ndescription: K\u00f6p\n".getBytes(StandardCharsets.ISO_8859_1));

        DefinitionException e = assertThrows(DefinitionException.class, () -> YamlNode.read(file));

        assertEquals(file + ": line 2: not valid UTF-8", e.getMessage());
    }

    @Test
    void readRefusesASequenceCutOffByTheEndOfTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE2, (byte) 0x82});

        DefinitionException e = assertThrows(DefinitionException.class, () -> YamlNode.read(file));

        assertEquals(file + ": line 1: not valid UTF-8", e.getMessage());
    }

    @Test
    void readRefusesAFileOverOneMebibyte(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, "# " + "x".repeat(1 << 20) + "\n");

        DefinitionException e = assertThrows(DefinitionException.class, () -> YamlNode.read(file));

        assertTrue(e.getMessage().startsWith(file + ": larger than"), e.getMessage());
    }
}
