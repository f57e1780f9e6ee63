package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.nestit.audience.destination.meta.CrashFixture.AUDIENCES;
import static se.nestit.audience.destination.meta.CrashFixture.audienceName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.ExporterJar;
import se.nestit.audience.destination.meta.FakeGraphApi.Route;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.StateStore;

/**
 * A sync of the packaged jar gets SIGTERM (systemctl stop, Kubernetes) in the middle of its uploads
 * to the loopback Graph API. It must finish the request in flight, start no other, commit what
 * Meta confirmed, write a report marked {@code interrupted}, release its lock and exit with 143;
 * the next run then sends only what is left.
 */
class StopDuringSyncIT {

    private static final int CUSTOMERS = 3000;
    private static final int PER_REQUEST = 50;
    private static final int STOP_AFTER_UPLOAD = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeGraphApi meta;

    @BeforeEach
    void startMeta() throws IOException {
        meta = new FakeGraphApi();
        meta.answerUploadsAfter(50); // slow answers: the signal comes while one is in flight
    }

    @AfterEach
    void stopMeta() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests the fake Graph API found wrong");
    }

    @Test
    void sigtermMidUploadCommitsWhatMetaConfirmedReportsInterruptedAndTheNextRunSendsOnlyTheRest() throws IOException {
        CrashFixture f = new CrashFixture(tmp, CUSTOMERS).write(meta.endpoint(), PER_REQUEST);
        f.writeData(0);

        AtomicReference<ExporterJar> run = new AtomicReference<>();
        meta.afterUpload(STOP_AFTER_UPLOAD, () -> run.get().signalTerm());
        run.set(f.start("stopped", null, "sync"));
        int code = run.get().waitFor();

        assertEquals(
                143,
                code,
                "exit code of a sync stopped by SIGTERM; its log:\n" + run.get().err());
        // the request in flight was answered; no other was started
        assertEquals(STOP_AFTER_UPLOAD, meta.requests(Route.ADD_USERS).size(), "upload requests made");
        String out = run.get().out();
        assertTrue(out.contains("STOPPED on request") && out.contains("The next sync continues from there."), out);

        JsonNode report = JSON.readTree(f.out.resolve("report.json").toFile());
        assertEquals("interrupted", report.path("status").asText(), report.toString());
        JsonNode metaReport = report.path("destinations").path("meta");
        assertEquals("interrupted", metaReport.path("status").asText(), metaReport.toString());

        StateStore store = new StateStore(f.state);
        Map<String, Set<String>> heldAfterStop = new TreeMap<>();
        long held = 0;
        for (String audience : AUDIENCES) {
            List<String> ids = meta.audiencesNamed(audienceName(audience));
            Set<String> members = ids.isEmpty() ? Set.of() : meta.members(ids.get(0));
            AudienceState state = store.load("meta", audience);
            // the in-flight request was answered, so the state knows exactly what Meta holds
            assertEquals(
                    members,
                    MetaDestinationTest.hex(state.confirmed()),
                    audience + ": the state claims what Meta holds");
            assertEquals(List.of(), state.pending(), audience);
            heldAfterStop.put(audience, members);
            held += members.size();
        }
        assertEquals(STOP_AFTER_UPLOAD * PER_REQUEST, held, "every hash of the requests made is held at Meta");
        assertEquals(held, metaReport.path("adds").asLong(), "the report counts what was confirmed: " + metaReport);
        KillDuringSyncIT.assertLockFree(f.state, "after the stop");

        meta.forgetRequests();
        ExporterJar next = f.start("next", null, "sync");
        assertEquals(0, next.waitFor(), "the run after the stop: " + next.err());
        long desired = 0;
        long sent = 0;
        for (String audience : AUDIENCES) {
            Set<String> want = f.desired(audience, 0);
            desired += want.size();
            String id = meta.audiencesNamed(audienceName(audience)).get(0);
            assertEquals(want, meta.members(id), audience + " after the next run");
            List<String> added = meta.requests(Route.ADD_USERS).stream()
                    .filter(r -> id.equals(r.audienceId()))
                    .flatMap(r -> r.data().stream())
                    .toList();
            assertEquals(
                    Set.of(),
                    intersection(added, heldAfterStop.get(audience)),
                    audience + ": confirmed hashes sent again");
            sent += added.size();
        }
        assertEquals(desired - held, sent, "the next run sends only what is left");
        assertEquals(
                "complete",
                JSON.readTree(f.out.resolve("report.json").toFile())
                        .path("status")
                        .asText());
    }

    private static Set<String> intersection(List<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }
}
