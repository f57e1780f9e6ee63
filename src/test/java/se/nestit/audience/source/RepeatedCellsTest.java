package se.nestit.audience.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedCellsTest {

    /** The second cell of each record of {@code csv}, read through one RepeatedCells that keeps what it was given. */
    private static List<String> read(String csv) {
        RepeatedCells<String> cells = new RepeatedCells<>(text -> "<" + text + ">");
        byte[] b = csv.getBytes(UTF_8);
        ByteRecord record = new ByteRecord((byte) ',');
        List<String> out = new ArrayList<>();
        for (int pos = 0; pos < b.length; ) {
            pos = record.parse(b, pos, b.length, true);
            out.add(cells.get(record, 1));
        }
        return out;
    }

    @Test
    void aRepeatedTextIsReadOnceAndSharedWhetherQuotedOrNot() {
        RepeatedCells<String> cells = new RepeatedCells<>(String::new);
        byte[] b = "1,marketing\n2,\"marketing\"\n".getBytes(UTF_8);
        ByteRecord record = new ByteRecord((byte) ',');
        int next = record.parse(b, 0, b.length, true);
        String first = cells.get(record, 1);
        record.parse(b, next, b.length, true);
        assertSame(first, cells.get(record, 1));
        assertEquals("marketing", first);
    }

    @Test
    void anEscapedCellIsReadFromItsTextNotItsBytes() {
        // the same bytes a""b: unquoted they are the text itself, quoted and escaped they are a"b
        assertEquals(List.of("<a\"\"b>", "<a\"b>", "<a\"\"b>"), read("1,a\"\"b\n2,\"a\"\"b\"\n3,a\"\"b\n"));
    }

    @Test
    void textsPastTheOnesKeptAreStillReadRight() {
        StringBuilder csv = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < RepeatedCells.KEPT + 10; k++) {
                csv.append(k).append(",v").append(k).append('\n');
                expected.add("<v" + k + ">");
            }
        }
        assertEquals(expected, read(csv.toString()));
    }

    @Test
    void aRowWithoutBytesIsReadFromItsText() {
        RepeatedCells<String> cells = new RepeatedCells<>(text -> "<" + text + ">");
        assertEquals("<x>", cells.get(RowView.of(new String[] {"1", "x"}), 1));
    }
}
