package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static se.nestit.audience.destination.meta.CrashFixture.AUDIENCES;
import static se.nestit.audience.destination.meta.CrashFixture.audienceName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.ExporterJar;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.sync.StateStore;

/**
 * The packaged jar when it cannot write: an output or state directory that is a regular file (as
 * root, the tests' user here, taking away write permission stops nothing), and a full disk,
 * played by a file size limit on the child ({@code ulimit -f 1}: no file may grow past 1 KiB;
 * the JVM ignores SIGXFSZ, so a write past it fails with EFBIG, "File too large", as on a full
 * disk a write fails with ENOSPC). Each time the run must say clearly what it could not write and
 * why, end with exit code 1 (README: a destination failed, or the run broke), and leave what an
 * earlier run wrote exactly as it was; and the next run on a sound disk must put everything right.
 */
class DiskTroubleIT {

    private static final int CUSTOMERS = 300;

    @TempDir
    Path tmp;

    private FakeGraphApi meta;
    private CrashFixture f;

    @BeforeEach
    void setUp() throws IOException {
        meta = new FakeGraphApi();
        f = new CrashFixture(tmp, CUSTOMERS).write(meta.endpoint(), 50);
        f.writeData(0);
        ExporterJar first = f.start("first", null, "sync");
        assertEquals(0, first.waitFor(), first.err());
        f.writeData(1); // what the run under test has to send and write
    }

    @AfterEach
    void stopMeta() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests the fake Graph API found wrong");
    }

    @Test
    void anOutputDirectoryThatIsAFileStopsTheRunBeforeAnythingIsSent() throws IOException {
        deleteTree(f.out);
        Files.writeString(f.out, "not a directory\n");
        meta.forgetRequests();

        ExporterJar run = f.start("out-is-a-file", null, "sync");
        int code = run.waitFor();

        // without the audit trail under out/ nothing may be sent: the consent behind it could not be shown
        assertEquals(1, code, run.err());
        assertTrue(
                run.err()
                        .contains("error: " + f.out.resolve("audit") + ": cannot prepare the audit trail (" + f.out
                                + ": exists and is not a directory)"),
                run.err());
        assertEquals("not a directory\n", Files.readString(f.out));
        assertEquals(List.of(), meta.requests(), "nothing sent without an audit trail");
    }

    @Test
    void aStateDirectoryThatIsAFileStopsTheRunBeforeAnythingIsSentOrWritten() throws IOException {
        Map<Path, byte[]> out = snapshot(f.out);
        deleteTree(f.state);
        Files.writeString(f.state, "not a directory\n");
        meta.forgetRequests();

        ExporterJar run = f.start("state-is-a-file", null, "sync");
        int code = run.waitFor();

        assertEquals(1, code, run.err());
        assertTrue(
                run.err()
                        .contains("error: " + f.state.resolve(".lock") + ": cannot take the run lock (" + f.state
                                + ": exists and is not a directory)"),
                run.err());
        assertEquals(List.of(), meta.requests(), "nothing sent without the lock");
        assertSame(out, snapshot(f.out), "the audience files, report.json and rejects.csv of the run before");
        assertTrue(
                Files.readString(f.out.resolve("metrics.prom")).contains("audience_exporter_last_run_exit_code 1"),
                "the failure is in the metrics");
    }

    @Test
    void aFullDiskFailsEveryWriteClearlyLeavesEveryOldFileAsItWasAndSendsNothingItCouldNotRecord() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash plays the full disk with ulimit -f");
        Map<Path, byte[]> out = snapshot(f.out);
        Map<Path, byte[]> state = snapshot(f.state);
        meta.forgetRequests();

        ExporterJar run = f.start("disk-full", "ulimit -f 1", "sync");
        int code = run.waitFor();

        assertEquals(1, code, run.err());
        String err = run.err();
        assertTrue(
                err.contains("files: buyers: " + f.out.resolve("buyers/files.csv") + ": cannot write (File too large)"),
                err);
        assertTrue(
                err.contains("meta: buyers: " + new StateStore(f.state).file("meta", "buyers")
                        + ": cannot write the sync state (File too large)"),
                err);
        assertTrue(err.contains("error: " + f.out + ": cannot write the report (File too large)"), err);
        assertSame(out, snapshot(f.out), "the audience files and report.json of the run before");
        assertSame(state, snapshot(f.state), "the sync state of the run before");
        assertEquals(
                List.of(),
                meta.requests().stream()
                        .filter(r -> r.route() != FakeGraphApi.Route.READ_AUDIENCE)
                        .toList(),
                "nothing sent that the state could not record as in doubt first");
        assertMetaAndStateHold(0);

        ExporterJar next = f.start("after", null, "sync");
        assertEquals(0, next.waitFor(), next.err());
        assertMetaAndStateHold(1);
        for (String audience : AUDIENCES) {
            assertEquals(
                    f.desired(audience, 1),
                    MetaDestinationTest.hex(
                            FileDestination.read(f.out.resolve(audience).resolve("files.csv"))),
                    audience);
        }
    }

    private void assertMetaAndStateHold(int version) {
        StateStore store = new StateStore(f.state);
        for (String audience : AUDIENCES) {
            assertEquals(
                    f.desired(audience, version),
                    meta.members(meta.audiencesNamed(audienceName(audience)).get(0)),
                    audience);
            assertEquals(
                    f.desired(audience, version),
                    MetaDestinationTest.hex(store.load("meta", audience).confirmed()),
                    audience);
        }
    }

    /**
     * Every file under a directory and its bytes, but the lock file, which every run rewrites, and
     * metrics.prom, where even a failed run records its exit code for the scheduler's alerts.
     */
    private static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(".lock"))
                    .filter(p -> !p.getFileName().toString().equals("metrics.prom"))
                    .toList()) {
                files.put(dir.relativize(p), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void assertSame(Map<Path, byte[]> before, Map<Path, byte[]> after, String what) {
        assertEquals(before.keySet(), after.keySet(), what + ": the same files, and no temporary ones left");
        before.forEach((p, bytes) -> assertTrue(Arrays.equals(bytes, after.get(p)), what + ": " + p + " changed"));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
