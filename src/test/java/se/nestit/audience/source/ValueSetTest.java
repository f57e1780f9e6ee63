package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A value typed with composed letters ({@code ä} as U+00E4) and one typed decomposed ({@code a}
 * then U+0308, as macOS and some exports write it) are the same value, in a where filter, in a
 * data cell and in a header name.
 */
class ValueSetTest {

    private static final String COMPOSED = "L\u00e4ckberg";
    private static final String DECOMPOSED = "La\u0308ckberg";

    /** A cell as the byte reader holds it, compared the way the rules compare it. */
    private static boolean bytesIn(String cell, ValueSet values) {
        byte[] b = (cell + "\n").getBytes(StandardCharsets.UTF_8);
        ByteRecord r = new ByteRecord((byte) ',');
        r.parse(b, 0, b.length, true);
        return r.cellIn(0, values);
    }

    @Test
    void composedAndDecomposedSpellingsAreDifferentStringsToBeginWith() {
        assertFalse(COMPOSED.equals(DECOMPOSED));
        assertEquals(COMPOSED, Normalizer.normalize(DECOMPOSED, Normalizer.Form.NFC));
    }

    @Test
    void aDecomposedCellMatchesAComposedValueAndTheOtherWayRound() {
        ValueSet composed = new ValueSet(List.of(COMPOSED));
        ValueSet decomposed = new ValueSet(List.of(DECOMPOSED));

        for (ValueSet values : List.of(composed, decomposed)) {
            assertTrue(values.contains(COMPOSED));
            assertTrue(values.contains(DECOMPOSED));
            assertTrue(values.contains(" LA\u0308CKBERG "));
            assertTrue(bytesIn(COMPOSED, values));
            assertTrue(bytesIn(DECOMPOSED, values));
            assertTrue(bytesIn("\"" + DECOMPOSED + "\"", values));
            assertFalse(values.contains("Lackberg"), "the accent is not dropped");
            assertFalse(bytesIn("Lackberg", values));
        }
    }

    @Test
    void comparableFormIsComposed() {
        assertEquals("l\u00e4ckberg", ValueSet.comparable(DECOMPOSED));
        assertEquals("\u00e5sa", ValueSet.comparable("A\u030asa"));
        // the Angstrom sign is canonically the letter Å
        assertEquals("\u00e5sa", ValueSet.comparable("\u212bsa"));
    }

    @Test
    void everyCharBelowTheCombiningMarksIsAlreadyComposed() {
        // why nfc may skip the normalizer for such text
        for (char c = 0; c < '\u0300'; c++) {
            String s = "a" + c + "b";
            assertTrue(Normalizer.isNormalized(s, Normalizer.Form.NFC), () -> "U+" + Integer.toHexString(s.charAt(1)));
        }
    }

    @Test
    void aHeaderNameMatchesInEitherForm() {
        Header header = Header.of(
                InputFile.CUSTOMERS,
                Path.of("customers.csv"),
                new String[] {"customer_id", "email", "la\u0308n"},
                Map.of(),
                ',');

        assertEquals(2, header.indexOf("l\u00e4n"));
        assertEquals(2, header.indexOf("LA\u0308N"));
        assertTrue(header.columns().contains("l\u00e4n"));
    }
}
