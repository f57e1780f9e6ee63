package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.report.RunReport.DestinationReport;

/** report.html with the kept syncs read while the run works is the page read at its end. */
class ReportFilesTest {

    private static final int KEEP_DAYS = 30;
    private static final Instant AS_OF = Instant.now().truncatedTo(ChronoUnit.DAYS);

    @TempDir
    Path dir;

    private static String id(int n) {
        return "%08d-1c1f-4b5e-9a43-2d7c5e0f9a11".formatted(n);
    }

    /** A night's sync: matched late, with a message, and its destination's time. */
    private static RunReport sync(int daysAgo, String runId) {
        Instant asOf = AS_OF.minus(Duration.ofDays(daysAgo));
        AudienceDelivery delivered =
                new AudienceDelivery(AudienceStatus.OK, 90 + daysAgo, 10, 2, 0, 88 + daysAgo, "", "61-70%");
        return new RunReport(
                asOf.toString(),
                "sync",
                runId,
                asOf.plusSeconds(3 * 3600 + daysAgo).toString(),
                2.5 + daysAgo / 7.0,
                Map.of(
                        "lapsed",
                        new AudienceReport(120, 90 + daysAgo, Map.of("suppressed", 3L), Map.of("meta", delivered))),
                Map.of("orders.csv", (long) daysAgo),
                Map.of("meta", new DestinationReport(DestinationStatus.OK, "meta", 10, 2, 0, 1.0 / 3, "", Map.of())),
                null,
                null,
                null,
                Map.of("read", 1.5 + daysAgo, "deliver", 0.125),
                Map.of());
    }

    /**
     * Ten nights kept, one of them unreadable, one kept longer ago than the history keeps (pruned at
     * the run's end), and one older than the page's period.
     */
    private Path history(String name) throws IOException {
        Path out = dir.resolve(name);
        RunHistory history = new RunHistory(out);
        for (int daysAgo : new int[] {1, 2, 3, 5, 8, 13, 21, 29, KEEP_DAYS + 4, 100}) {
            RunReport r = sync(daysAgo, id(daysAgo));
            history.keep("sync", r.runId(), Instant.now().minus(Duration.ofDays(daysAgo)), r, null);
        }
        Path broken = history.keep("sync", id(7), Instant.now().minus(Duration.ofDays(7)), sync(7, id(7)), null);
        Files.writeString(broken.resolve(RunHistory.REPORT), "{\"as_of\": ");
        return out;
    }

    @Test
    void thePageOfASyncWithItsHistoryReadAheadIsThePageReadAtItsEnd() throws IOException {
        Path atEnd = history("at-end");
        Path ahead = history("ahead");
        RunReport tonight = sync(0, id(0));

        ReportFiles.ReadAhead reading = ReportFiles.readAhead(ahead, AS_OF);
        ReportFiles.write(ahead, ZoneOffset.UTC, KEEP_DAYS, tonight, null, reading);
        ReportFiles.write(atEnd, ZoneOffset.UTC, KEEP_DAYS, tonight, null, null);

        assertEquals(
                Files.readString(atEnd.resolve(ReportFiles.HTML)), Files.readString(ahead.resolve(ReportFiles.HTML)));
        // the eight readable nights of the period the history still keeps, and tonight
        assertEquals(
                9,
                new RunHistory(ahead)
                        .syncs(AS_OF.minus(ReportFiles.HTML_PERIOD), AS_OF)
                        .size());
    }
}
