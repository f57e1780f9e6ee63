package se.nestit.audience.guardrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.sync.StateException;

class LastSyncTest {

    @TempDir
    Path state;

    @Test
    void nothingBeforeTheFirstSyncThenWhatTheLastOneRecorded() {
        assertEquals(OptionalLong.empty(), LastSync.exportable(state));

        LastSync.record(state, 239, "run-1", "2026-11-22T00:00:00Z");
        LastSync.record(state, 240, "run-2", "2026-11-23T00:00:00Z");

        assertEquals(OptionalLong.of(240), LastSync.exportable(state));
    }

    @Test
    void aDamagedFileIsRefusedNamingItNeverReadAsNothing() throws IOException {
        Files.writeString(state.resolve(LastSync.FILE), "{\"exportable\": \"many\"}");

        StateException e = assertThrows(StateException.class, () -> LastSync.exportable(state));

        assertTrue(e.getMessage().startsWith(state.resolve(LastSync.FILE) + ": unreadable"), e.getMessage());
    }
}
