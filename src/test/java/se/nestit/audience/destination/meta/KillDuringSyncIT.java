package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.nestit.audience.destination.meta.CrashFixture.AUDIENCES;
import static se.nestit.audience.destination.meta.CrashFixture.audienceName;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import se.nestit.audience.cli.ExporterJar;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.destination.meta.FakeGraphApi.Route;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.StateStore;

/**
 * Crash safety: the packaged jar syncs a few thousand customers in three audiences to the
 * loopback Graph API (50 hashes a request, each answered 10 ms late) and is killed with SIGKILL,
 * again and again, at random moments and right after Meta did a request, during plain syncs and
 * during full refreshes. The two versions of the data alternate from run to run, so every run
 * has adds and removes to send, and the people a killed run was adding or removing may be wanted
 * the other way by the next. After every kill the sync state must be readable, claim no hash Meta
 * does not hold, and know of every hash Meta holds (as confirmed or in doubt); the audience files
 * must be whole; the lock must not stop the next run. After all the kills one ordinary run must
 * bring Meta, the state and the files exactly to the audiences worked out from the data.
 *
 * <p>The kills are drawn from a seed, printed in the test's name; {@code -Dcrash.seed=N} replays
 * one. A timed kill is a fraction of the duration of an uninterrupted run measured first, so a
 * replay kills at the same fractions of a run, not at the same instructions; a kill after the n-th
 * upload request Meta did is exact. Each kill is printed with how far the run had got.
 */
class KillDuringSyncIT {

    private static final long DEFAULT_SEED = 20_261_122L;
    private static final int CUSTOMERS = 3000;
    private static final int PER_REQUEST = 50;
    private static final long UPLOAD_DELAY_MILLIS = 10;
    /** Kills during plain syncs: at random moments, and every fifth one right after an upload request. */
    private static final int SYNC_KILLS = 25;
    /** Kills during {@code sync --full-refresh}, every third one right after a batch of the session. */
    private static final int REFRESH_KILLS = 6;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeGraphApi meta;
    private final Map<String, Integer> outcomes = new TreeMap<>();

    @BeforeEach
    void startMeta() throws IOException {
        meta = new FakeGraphApi();
        meta.answerUploadsAfter(UPLOAD_DELAY_MILLIS);
    }

    @AfterEach
    void stopMeta() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests the fake Graph API found wrong");
    }

    static Stream<Long> seed() {
        return Stream.of(Long.getLong("crash.seed", DEFAULT_SEED));
    }

    @ParameterizedTest(name = "seed {0} (replay: mvn verify -Dcrash.seed={0})")
    @MethodSource("seed")
    void killedAnywhereTheStateNeverClaimsWhatMetaDoesNotHoldAndOneRunRepairsEverything(long seed) throws Exception {
        Random random = new Random(seed);
        CrashFixture f = new CrashFixture(tmp, CUSTOMERS).write(meta.endpoint(), PER_REQUEST);
        // two runs left alone: they show how long a run takes here, to spread the kills over
        long first = uninterrupted(f, 0, "first");
        long change = uninterrupted(f, 1, "change");
        log("seed %d; uninterrupted: a first sync took %d ms, a sync of the other version %d ms", seed, first, change);

        int version = 0;
        for (int k = 1; k <= SYNC_KILLS; k++) {
            version = (k - 1) % 2;
            f.writeData(version);
            String what = k % 5 == 0
                    ? killAfterUpload(f, "sync-" + k, 1 + random.nextInt(25))
                    : killAt(f, "sync-" + k, (long) (random.nextDouble() * change));
            log("kill %2d/%d, sync, data version %d: %s", k, SYNC_KILLS, version, what);
            assertSafe(f, "after kill " + k + " (" + what + ")");
        }
        for (int k = 1; k <= REFRESH_KILLS; k++) {
            version = (k - 1) % 2;
            f.writeData(version);
            // a full refresh sends every hash again, as much as a first sync
            String what = k % 3 == 0
                    ? killAfterUpload(f, "refresh-" + k, 1 + random.nextInt(70), "--full-refresh")
                    : killAt(f, "refresh-" + k, (long) (random.nextDouble() * first), "--full-refresh");
            log("kill %2d/%d, sync --full-refresh, data version %d: %s", k, REFRESH_KILLS, version, what);
            assertSafe(f, "after full-refresh kill " + k + " (" + what + ")");
        }

        log("outcomes: %s", outcomes);

        int last = 1 - version;
        f.writeData(last);
        ExporterJar rerun = f.start("rerun", null, "sync");
        assertEquals(0, rerun.waitFor(), "the run after the kills: " + rerun.err());
        for (String audience : AUDIENCES) {
            Set<String> desired = f.desired(audience, last);
            List<String> ids = meta.audiencesNamed(audienceName(audience));
            assertEquals(1, ids.size(), audience + ": one custom audience at Meta, whatever the kills");
            assertEquals(desired, meta.members(ids.get(0)), audience + ": Meta's members after the rerun");
            AudienceState state = new StateStore(f.state).load("meta", audience);
            assertEquals(
                    desired, MetaDestinationTest.hex(state.confirmed()), audience + ": the sync state after the rerun");
            assertFalse(state.replaceUnfinished(), audience);
            assertEquals(List.of(), state.pending(), audience);
            assertTrue(
                    state.inDoubt().isEmpty(), audience + ": " + state.inDoubt().size() + " hashes still in doubt");
            assertEquals(
                    desired,
                    MetaDestinationTest.hex(
                            FileDestination.read(f.out.resolve(audience).resolve("files.csv"))),
                    audience + ": the audience file after the rerun");
        }
        var destinations = JSON.readTree(f.out.resolve("report.json").toFile()).path("destinations");
        assertEquals("ok", destinations.path("meta").path("status").asText(), destinations.toString());
        assertEquals("ok", destinations.path("files").path("status").asText(), destinations.toString());
        log(
                "after the kills one run brought Meta, the state and the files to the desired audiences (%s hashes)",
                AUDIENCES.stream()
                        .map(a -> a + " " + f.desired(a, 0).size() + "/"
                                + f.desired(a, 1).size())
                        .toList());
        log("temporary files left behind by killed runs: %s", temporaryFiles(f));
    }

    // ---- kills ----

    /** Starts a run and kills it {@code millis} after its start, unless it ended before. */
    private String killAt(CrashFixture f, String name, long millis, String... more) {
        meta.forgetRequests();
        ExporterJar run = f.start(name, null, "sync", more);
        if (run.waitFor(millis)) {
            assertEquals(0, run.exitValue(), name + " ended on its own, but not well: " + run.err());
            outcomes.merge("timed: ended before the kill", 1, Integer::sum);
            return "ended on its own before " + millis + " ms (" + uploads() + ")";
        }
        run.kill();
        boolean started = !meta.requests().isEmpty();
        outcomes.merge(
                started ? "timed: killed while talking to Meta" : "timed: killed before its first call to Meta",
                1,
                Integer::sum);
        return "killed at " + millis + " ms, " + uploads();
    }

    /** Starts a run and kills it right after Meta did its {@code n}-th upload request, before Meta answers. */
    private String killAfterUpload(CrashFixture f, String name, int n, String... more) {
        meta.forgetRequests();
        AtomicBoolean fired = new AtomicBoolean();
        ExporterJar run = startKilledAfterUpload(f, name, n, fired, more);
        int code = run.waitFor();
        meta.afterUpload(0, null);
        if (!fired.get()) {
            assertEquals(0, code, name + " ended on its own, but not well: " + run.err());
            outcomes.merge("after a request: ended before it", 1, Integer::sum);
            return "ended on its own with fewer than " + n + " upload requests (" + uploads() + ")";
        }
        outcomes.merge("after a request: killed", 1, Integer::sum);
        return "killed right after Meta did upload request " + n + ", before it answered";
    }

    private ExporterJar startKilledAfterUpload(
            CrashFixture f, String name, int n, AtomicBoolean fired, String... more) {
        AtomicReference<ExporterJar> run = new AtomicReference<>();
        meta.afterUpload(n, () -> {
            fired.set(true);
            run.get().signalKill();
        });
        run.set(f.start(name, null, "sync", more));
        return run.get();
    }

    private String uploads() {
        return "Meta had done " + meta.requests(Route.REMOVE_USERS).size() + " removes, "
                + meta.requests(Route.ADD_USERS).size() + " adds, "
                + meta.requests(Route.REPLACE_USERS).size() + " replace batches in this run";
    }

    // ---- what must hold after any kill ----

    private void assertSafe(CrashFixture f, String when) throws IOException {
        meta.endOpenSessions(); // as Meta does long before the next nightly run
        StateStore store = new StateStore(f.state);
        for (String audience : AUDIENCES) {
            AudienceState state = store.load("meta", audience); // a kill never leaves a damaged state
            List<String> ids = meta.audiencesNamed(audienceName(audience));
            assertTrue(ids.size() <= 1, when + ": " + audience + ": a second custom audience at Meta " + ids);
            assertEquals(List.of(), state.pending(), when + ": " + audience + ": Meta's calls leave nothing pending");
            if (!state.isNew() && !ids.isEmpty()) {
                assertEquals(ids.get(0), state.remote().get(MetaAudienceClient.AUDIENCE_ID), when + ": " + audience);
            }
            if (state.replaceUnfinished()) {
                continue; // the state claims nothing: the next run replaces the members whole
            }
            Set<String> held = ids.isEmpty() ? Set.of() : meta.members(ids.get(0));
            Set<String> claimed = MetaDestinationTest.hex(state.confirmed());
            Set<String> claimedNotHeld = minus(claimed, held);
            assertTrue(
                    claimedNotHeld.isEmpty(),
                    when + ": " + audience + ": the state claims " + claimedNotHeld.size()
                            + " hashes Meta does not hold (of " + claimed.size() + " claimed, " + held.size()
                            + " held), such as "
                            + first(claimedNotHeld) + ": a run that wants them back would never send them");
            Set<String> heldUnknown = minus(minus(held, claimed), MetaDestinationTest.hex(state.inDoubt()));
            assertTrue(
                    heldUnknown.isEmpty(),
                    when + ": " + audience + ": Meta holds " + heldUnknown.size()
                            + " hashes the state neither claims nor has in doubt, such as " + first(heldUnknown)
                            + ": a withdrawal of their consent would never remove them");
        }
        for (String audience : AUDIENCES) {
            Path file = f.out.resolve(audience).resolve("files.csv");
            if (Files.exists(file)) {
                Set<String> content = MetaDestinationTest.hex(FileDestination.read(file));
                assertTrue(
                        content.equals(f.desired(audience, 0)) || content.equals(f.desired(audience, 1)),
                        when + ": " + file + " is neither version's audience: half a file?");
            }
        }
        if (Files.exists(f.out.resolve("report.json"))) {
            JSON.readTree(f.out.resolve("report.json").toFile()); // whole, or the previous one
        }
        assertLockFree(f.state, when);
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static List<String> first(Set<String> hashes) {
        return hashes.stream().limit(3).toList();
    }

    /** A run killed while it writes a file leaves its temporary file (.name.tmp-pid) beside it: harmless, but litter. */
    private static List<Path> temporaryFiles(CrashFixture f) throws IOException {
        try (Stream<Path> out = Files.walk(f.out);
                Stream<Path> state = Files.walk(f.state)) {
            return Stream.concat(out, state)
                    .filter(p -> p.getFileName().toString().contains(".tmp-"))
                    .map(f.root::relativize)
                    .toList();
        }
    }

    /** What the next run does first: the operating system's lock on the lock file must be free. */
    static void assertLockFree(Path state, String when) throws IOException {
        Path file = state.resolve(".lock");
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            assertNotNull(lock, when + ": the killed run's lock stops the next run");
            lock.release();
        }
    }

    // ---- runs left alone ----

    /** A run of this data version that is not killed; returns how long it took, start to end. */
    private long uninterrupted(CrashFixture f, int version, String name) throws IOException {
        f.writeData(version);
        long start = System.nanoTime();
        ExporterJar run = f.start(name, null, "sync");
        assertEquals(0, run.waitFor(), name + ": " + run.err());
        long millis = (System.nanoTime() - start) / 1_000_000;
        for (String audience : AUDIENCES) {
            assertEquals(
                    f.desired(audience, version),
                    meta.members(meta.audiencesNamed(audienceName(audience)).get(0)),
                    name + ": " + audience);
        }
        return millis;
    }

    private void log(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("[KillDuringSyncIT] " + line);
    }
}
