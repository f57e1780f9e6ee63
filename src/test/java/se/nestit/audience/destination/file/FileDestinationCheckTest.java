package se.nestit.audience.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;

/** {@code check} of a file destination: can each audience's file be written, without writing it. */
class FileDestinationCheckTest {

    private static final AudienceDefinition FANS = new AudienceDefinition(
            "fans", "", List.of("files"), SyncMode.MIRROR, 0, new Rule.Customer(Where.ANY_ROW), Path.of("fans.yaml"));

    @TempDir
    Path tmp;

    @Test
    void anOutputDirectoryNotYetMadeIsFineWhenItsParentCanBeWritten() {
        Path out = tmp.resolve("out");

        List<Finding> findings = new FileDestination("files", Normalization.BASIC, out).check(List.of(FANS));

        assertEquals(
                List.of(Finding.ok(
                        "audience fans", "can write " + out.toAbsolutePath().resolve("fans/files.csv"))),
                findings);
        assertFalse(Files.exists(out), "check writes nothing");
    }

    @Test
    void anOutputPathThatIsAFileIsWrong() throws IOException {
        Path out = Files.writeString(tmp.resolve("out"), "not a directory");

        Finding f = new FileDestination("files", Normalization.BASIC, out)
                .check(List.of(FANS))
                .get(0);

        assertFalse(f.ok());
        assertEquals(out.toAbsolutePath() + " is not a directory this user can write", f.found());
        assertTrue(f.advice().contains("set 'out'"), f.advice());
    }
}
