package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The table keeps emails as bytes: each must come back as the very cell that was read. */
class CustomerTableTest {

    @Test
    void everyEmailComesBackAsReadWhateverItsCharactersAndLength() {
        List<String> cells = List.of(
                " Åsa.Öberg@Exempel.se\u00A0",
                "",
                "\uFEFFanna@exempel.se",
                "\uD83D\uDE00@emoji.example",
                "x".repeat(70_000) + "@long.example",
                "bo@exempel.se");
        CustomerTable table = new CustomerTable();
        for (int i = 0; i < 3000; i++) {
            assertEquals(i, table.add("C" + i, cells.get(i % cells.size()), i + 2L));
        }
        assertEquals(-1, table.add("C7", "other@exempel.se", 9000));
        for (int i = 0; i < 3000; i++) {
            assertEquals(cells.get(i % cells.size()), table.email(i), "customer " + i);
            assertEquals(i + 2L, table.line(i));
        }
    }
}
