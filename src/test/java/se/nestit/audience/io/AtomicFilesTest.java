package se.nestit.audience.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheFileWholeAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("a/b.csv");
        AtomicFiles.write(file, w -> w.write("old\n"));
        AtomicFiles.write(file, w -> w.write("new\n"));
        assertEquals("new\n", Files.readString(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("b.csv");
        AtomicFiles.write(file, w -> w.write("old\n"));
        assertThrows(
                IOException.class,
                () -> AtomicFiles.write(file, w -> {
                    w.write("half");
                    throw new IOException("No space left on device");
                }));
        assertEquals("old\n", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void temporaryFilesThatKilledRunsLeftAreDeletedOnceTheyAreOld() throws Exception {
        Process gone = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .start();
        gone.waitFor();
        Path old = Files.writeString(dir.resolve(".b.csv.tmp-" + gone.pid()), "half");
        Files.setLastModifiedTime(
                old, FileTime.from(Instant.now().minus(AtomicFiles.LEFTOVER_AGE).minusSeconds(60)));
        Path fresh = Files.writeString(dir.resolve(".b.csv.tmp-" + (gone.pid() + 1_000_000)), "half");
        Path other = Files.writeString(dir.resolve(".c.csv.tmp-" + gone.pid()), "half");
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(old));

        AtomicFiles.write(dir.resolve("b.csv"), w -> w.write("new\n"));

        assertFalse(Files.exists(old), "left by a dead run long ago");
        assertTrue(Files.exists(fresh), "may be a live run's elsewhere");
        assertTrue(Files.exists(other), "another file's");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamedAsSuch() throws IOException {
        Path out = Files.writeString(dir.resolve("out"), "");
        IOException e = assertThrows(
                IOException.class, () -> AtomicFiles.write(out.resolve("report.json"), w -> w.write("{}")));
        assertEquals(out + ": exists and is not a directory", e.getMessage());
    }
}
