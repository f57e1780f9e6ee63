package se.nestit.audience.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A cell read as bytes is in a filter's values exactly when its text is: ValueSet.contains is the oracle. */
class CellInPropertiesTest {

    @Property(tries = 3000)
    boolean theBytePathAnswersAsTheStringPathDoes(
            @ForAll("texts") String cell,
            @ForAll("texts") String value,
            @ForAll("texts") String other,
            @ForAll boolean quoted) {
        ValueSet values = new ValueSet(List.of(value, other));
        byte[] line = ("7," + (quoted ? "\"" + cell + "\"" : cell) + ",x\n").getBytes(UTF_8);
        ByteRecord record = new ByteRecord((byte) ',');
        record.parse(line, 0, line.length, true);
        return record.cellIn(1, values) == values.contains(cell);
    }

    /**
     * Rows read one after another into one record, which remembers the answers for cells that are not
     * plain ASCII: the same cell asked of another set, and other cells in its place, answer afresh.
     */
    @Property(tries = 300)
    boolean aRecordReadingManyRowsAnswersEachAsTheStringPathDoes(
            @ForAll("rows") List<String> cells, @ForAll("texts") String value, @ForAll("texts") String other) {
        List<ValueSet> sets = List.of(
                new ValueSet(List.of(value)), new ValueSet(List.of(value, other)), new ValueSet(List.of(other)));
        ByteRecord record = new ByteRecord((byte) ',');
        for (String cell : cells) {
            byte[] line = ("7," + cell + ",x\n").getBytes(UTF_8);
            record.parse(line, 0, line.length, true);
            for (ValueSet values : sets) {
                if (record.cellIn(1, values) != values.contains(cell)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Many rows of a few cells, most of them not plain ASCII, so that cells repeat and share slots. */
    @Provide
    Arbitrary<List<String>> rows() {
        return texts().filter(t -> !t.contains(",") && !t.contains("\""))
                .list()
                .ofMinSize(1)
                .ofMaxSize(12)
                .flatMap(pool -> Arbitraries.of(pool).list().ofMaxSize(200));
    }

    /**
     * Words whose lowercase or composed form is another, Unicode white space, letters that lowercase to
     * ASCII, and the bytes around A to Z, in cells longer than a word.
     */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of(
                        "Camilla",
                        "camilla",
                        " ",
                        "Läckberg",
                        "LÄCKBERG",
                        "läckberg",
                        "La\u0308ckberg",
                        "ä",
                        "Ä",
                        "a\u0308",
                        "\u00A0",
                        "\u2003",
                        "\t",
                        "\uFEFF",
                        "İ",
                        "i",
                        "\u212A",
                        "k",
                        "Σ",
                        "σ",
                        "ς",
                        "x",
                        // the letters' edges, which case folding must leave alone or fold
                        "@AZ[`az{",
                        "@az[`az{",
                        "crime-fiction",
                        "CRIME-FICTION")
                .list()
                .ofMaxSize(4)
                .map(words -> String.join("", words));
    }
}
