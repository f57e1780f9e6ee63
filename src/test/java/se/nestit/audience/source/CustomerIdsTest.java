package se.nestit.audience.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An @ anywhere in a customer_id cell's bytes stops the run, and nothing else does. */
class CustomerIdsTest {

    private static final Header HEADER = Header.of(
            InputFile.EVENTS,
            Path.of("events.csv"),
            new String[] {"customer_id", "occurred_at", "event"},
            Map.of(),
            ',');

    @Test
    void anAtAtEveryPlaceOfIdsOfEveryLengthIsRefused() {
        for (int length = 1; length <= 20; length++) {
            for (int at = 0; at < length; at++) {
                char[] id = "C123456789ÖABCDEFGHIJ".substring(0, length).toCharArray();
                id[at] = '@';
                byte[] row = ("x," + new String(id) + ",y").getBytes(UTF_8);
                int to = row.length - 2;
                InputException e = assertThrows(
                        InputException.class, () -> CustomerIds.refuseEmail(row, 2, to, HEADER, 0, 7), new String(id));
                assertTrue(e.getMessage().startsWith("events.csv: line 7, column 1 (customer_id)"), e.getMessage());
            }
        }
    }

    @Test
    void idsWithoutAnAtPassAndAnAtOutsideTheCellIsNotTheCells() {
        for (int length = 0; length <= 20; length++) {
            byte[] row = ("@@," + "C123456789ÖABCDEFGHIJ".substring(0, length) + ",@@@@@@@@").getBytes(UTF_8);
            int to = row.length - 9;
            assertDoesNotThrow(() -> CustomerIds.refuseEmail(row, 3, to, HEADER, 0, 7));
        }
    }

    @Test
    void aRecordWithoutItsLineAsksForItInsteadOfNamingNone() {
        byte[] row = "a@b".getBytes(UTF_8);
        assertThrows(CsvChunk.LineNeeded.class, () -> CustomerIds.refuseEmail(row, 0, 3, HEADER, 0, -1));
    }
}
