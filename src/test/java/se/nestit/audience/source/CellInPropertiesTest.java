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
