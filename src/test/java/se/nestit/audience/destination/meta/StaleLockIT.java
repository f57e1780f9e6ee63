package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.nestit.audience.destination.meta.CrashFixture.AUDIENCES;
import static se.nestit.audience.destination.meta.CrashFixture.audienceName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.ExporterJar;

/**
 * The packaged jar killed with SIGKILL while it holds the run lock: the lock is the operating
 * system's and dies with the process, so the next run starts, and its log says whose lock it took
 * over.
 */
class StaleLockIT {

    @TempDir
    Path tmp;

    private FakeGraphApi meta;

    @BeforeEach
    void startMeta() throws IOException {
        meta = new FakeGraphApi();
    }

    @AfterEach
    void stopMeta() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests the fake Graph API found wrong");
    }

    @Test
    void aRunKilledWhileHoldingTheLockLeavesNoLockTheNextRunTakesItOverAndSaysSo() throws Exception {
        CrashFixture f = new CrashFixture(tmp, 400).write(meta.endpoint(), 10);
        f.writeData(0);
        AtomicBoolean fired = new AtomicBoolean();
        AtomicReference<ExporterJar> killed = new AtomicReference<>();
        meta.afterUpload(3, () -> {
            fired.set(true);
            killed.get().signalKill(); // in the middle of the sync, the lock held
        });
        killed.set(f.start("killed", null, "sync"));
        assertNotEquals(0, killed.get().waitFor());
        assertTrue(fired.get(), "killed after Meta's third upload request");
        String holder = "pid " + killed.get().pid() + ",";
        String lockFile = Files.readString(f.state.resolve(".lock"));
        assertTrue(lockFile.contains(holder), "the lock file still names the killed run: " + lockFile);

        ExporterJar next = f.start("next", null, "sync");
        int code = next.waitFor();

        assertEquals(0, code, next.err());
        assertTrue(
                next.err()
                        .contains("WARN  " + f.state.resolve(".lock")
                                + ": taking over the lock of a run that ended without releasing it (" + holder),
                next.err());
        for (String audience : AUDIENCES) {
            assertEquals(
                    f.desired(audience, 0),
                    meta.members(meta.audiencesNamed(audienceName(audience)).get(0)),
                    audience);
        }
    }
}
