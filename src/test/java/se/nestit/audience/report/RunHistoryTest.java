package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    private static final String ID = "0b7e6a52-1c1f-4b5e-9a43-2d7c5e0f9a11";

    @TempDir
    Path out;

    private RunReport sync(String asOf, String startedAt, String runId) {
        return new RunReport(
                asOf, "sync", runId, startedAt, 1.5, Map.of(), Map.of(), Map.of(), null, null, null, Map.of(),
                Map.of());
    }

    @Test
    void aRunIsKeptUnderItsStartCommandAndIdWithACopyOfItsRejects() throws IOException {
        Path rejects = Files.writeString(out.resolve("rejects.csv"), "file,line,reason\norders.csv,7,bad amount\n");
        RunReport report = sync("2026-11-22T00:00:00Z", "2026-11-22T02:15:09.123Z", ID);

        Path run = new RunHistory(out).keep("sync", ID, Instant.parse(report.startedAt()), report, rejects);

        assertEquals(out.resolve("runs/20261122T021509.123Z-sync-" + ID), run);
        assertEquals(Files.readString(rejects), Files.readString(run.resolve("rejects.csv")));
        assertEquals(List.of(report), new RunHistory(out).syncs(Instant.MIN, Instant.MAX));
    }

    @Test
    void pruneDeletesOnlyOurOwnRunsOlderThanKeepDays() throws IOException {
        RunHistory history = new RunHistory(out);
        RunReport report = sync("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", ID);
        Path old = history.keep("sync", ID, NOW.minusSeconds(31 * 86_400L), report, null);
        Path young = history.keep("plan", ID, NOW.minusSeconds(29 * 86_400L), report, null);
        Path oldWithMore = history.keep("verify", ID, NOW.minusSeconds(40 * 86_400L), report, null);
        Files.writeString(oldWithMore.resolve("notes.txt"), "someone's notes");
        Path foreign = Files.createDirectories(out.resolve("runs/20200101T000000Z-backup"));
        Files.writeString(foreign.resolve("report.json"), "{}");
        Path foreignFile = Files.writeString(out.resolve("runs/20200101T000000.000Z-sync-" + ID + ".json"), "{}");

        assertEquals(1, history.prune(30, NOW));

        assertFalse(Files.exists(old));
        assertTrue(Files.exists(young.resolve("report.json")));
        assertTrue(
                Files.exists(oldWithMore.resolve("notes.txt")), "a file a run does not write stays, and its directory");
        assertFalse(Files.exists(oldWithMore.resolve("report.json")));
        assertTrue(Files.exists(foreign.resolve("report.json")), "a directory of another name is not ours");
        assertTrue(Files.exists(foreignFile));
    }

    @Test
    void syncsAreThoseOfThePeriodByAsOfAndAnUnreadableOneIsLeftOut() throws IOException {
        RunHistory history = new RunHistory(out);
        String late = "1a7e6a52-1c1f-4b5e-9a43-2d7c5e0f9a11";
        String early = "2a7e6a52-1c1f-4b5e-9a43-2d7c5e0f9a11";
        String outside = "3a7e6a52-1c1f-4b5e-9a43-2d7c5e0f9a11";
        // started in the other order: a rerun of an earlier night
        history.keep("sync", late, NOW, sync("2026-11-21T00:00:00Z", NOW.toString(), late), null);
        history.keep(
                "sync",
                early,
                NOW.plusSeconds(60),
                sync("2026-11-20T00:00:00Z", NOW.plusSeconds(60).toString(), early),
                null);
        history.keep("sync", outside, NOW, sync("2026-08-01T00:00:00Z", NOW.toString(), outside), null);
        history.keep("plan", ID, NOW, sync("2026-11-21T00:00:00Z", NOW.toString(), ID), null);
        Path broken = history.keep("sync", ID, NOW, sync("2026-11-21T00:00:00Z", NOW.toString(), ID), null);
        Files.writeString(broken.resolve("report.json"), "{\"as_of\": ");

        List<RunReport> syncs =
                history.syncs(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z"));

        assertEquals(List.of(early, late), syncs.stream().map(RunReport::runId).toList());
    }

    @Test
    void aReportWithFieldsOfALaterVersionIsRead() throws IOException {
        Path run = Files.createDirectories(out.resolve("runs/20261122T030000.000Z-sync-" + ID));
        Files.writeString(run.resolve("report.json"), """
                {"as_of": "2026-11-22T00:00:00Z", "command": "sync", "status": "complete", "run_id": "%s",
                 "started_at": "2026-11-22T03:00:00Z", "seconds": 2.0, "audiences": {}, "rejected": {},
                 "destinations": {}, "exit_code": 0}
                """.formatted(ID));

        assertEquals(1, new RunHistory(out).syncs(Instant.MIN, Instant.MAX).size());
    }
}
