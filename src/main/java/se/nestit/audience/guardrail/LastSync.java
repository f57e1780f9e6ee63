package se.nestit.audience.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import se.nestit.audience.io.AtomicFiles;
import se.nestit.audience.sync.StateException;

/**
 * The figures of the last completed sync that the next run's guardrails compare with, kept beside
 * the sync state in {@code <state>/last-sync.json}. Only a sync that completed with no guardrail
 * tripped and no destination failed records them, so a broken night never becomes the measure of
 * the next.
 */
public final class LastSync {

    static final String FILE = "last-sync.json";
    private static final String EXPORTABLE = "exportable";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LastSync() {}

    /** Exportable customers at the last completed sync; empty before the first. */
    public static OptionalLong exportable(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        try {
            JsonNode count = JSON.readTree(file.toFile()).path(EXPORTABLE);
            if (!count.canConvertToExactIntegral() || count.asLong() < 0) {
                throw new IOException("no count of exportable customers");
            }
            return OptionalLong.of(count.asLong());
        } catch (IOException e) {
            throw new StateException(
                    file + ": unreadable (" + e.getMessage() + "); delete it, and the next sync checks "
                            + "exportable customers against nothing and records them afresh",
                    e);
        }
    }

    /**
     * When the last completed sync recorded its figures, by the file's modification time; empty
     * before the first or when it cannot be read.
     */
    public static Optional<Instant> recordedAt(Path stateDir) {
        try {
            return Optional.of(Files.getLastModifiedTime(stateDir.resolve(FILE)).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void record(Path stateDir, long exportable, String runId, String asOf) {
        Path file = stateDir.resolve(FILE);
        ObjectNode figures = JSON.createObjectNode()
                .put(EXPORTABLE, exportable)
                .put("run_id", runId)
                .put("as_of", asOf);
        try {
            AtomicFiles.write(file, w -> w.write(JSON.writeValueAsString(figures) + "\n"));
        } catch (IOException e) {
            throw new StateException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
