package se.nestit.audience.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThrows(IOException.class, () -> AtomicFiles.write(file, w -> {
            w.write("half");
            throw new IOException("No space left on device");
        }));
        assertEquals("old\n", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamedAsSuch() throws IOException {
        Path out = Files.writeString(dir.resolve("out"), "");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(out.resolve("report.json"), w -> w.write("{}")));
        assertEquals(out + ": exists and is not a directory", e.getMessage());
    }
}
