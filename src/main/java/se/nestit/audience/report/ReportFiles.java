package se.nestit.audience.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.io.AtomicFiles;

/**
 * Where a run's report goes: {@code report.json} is the latest sync's and {@code plan.json} the
 * latest plan's, so a plan never hides what the night did; every run also keeps its report in
 * {@code runs/}, and a sync rewrites {@code report.html} from them.
 */
public final class ReportFiles {

    public static final String SYNC_REPORT = "report.json";
    public static final String PLAN_REPORT = "plan.json";
    public static final String HTML = "report.html";
    /** The period the {@code report.html} a sync writes covers, up to the sync's {@code as_of}. */
    public static final Duration HTML_PERIOD = Duration.ofDays(90);

    private static final Logger log = LoggerFactory.getLogger(ReportFiles.class);

    private ReportFiles() {}

    /**
     * Writes a sync's or a plan's report where it belongs, keeps it in the history, and for a sync
     * rewrites {@code report.html}.
     *
     * @param rejects the {@code rejects.csv} the run wrote, or null when it wrote none
     */
    public static void write(Path out, ZoneId zone, int keepDays, RunReport report, Path rejects) throws IOException {
        boolean sync = report.command().equals("sync");
        ReportWriter.write(out.resolve(sync ? SYNC_REPORT : PLAN_REPORT), report);
        RunHistory history = keep(
                out, keepDays, report.command(), report.runId(), Instant.parse(report.startedAt()), report, rejects);
        if (sync) {
            Instant asOf = Instant.parse(report.asOf());
            writeHtml(out, zone, history, asOf.minus(HTML_PERIOD), asOf);
        }
    }

    /** Keeps a verify run's report in the history. */
    public static void keepVerify(Path out, int keepDays, Instant started, VerifyReport report) throws IOException {
        keep(out, keepDays, "verify", UUID.randomUUID().toString(), started, report, null);
    }

    /**
     * Rewrites {@code report.html} from the syncs in the history whose {@code as_of} lies in {@code [from, to]}.
     *
     * @return how many syncs it shows
     */
    public static int writeHtml(Path out, ZoneId zone, Instant from, Instant to) throws IOException {
        return writeHtml(out, zone, new RunHistory(out), from, to);
    }

    private static int writeHtml(Path out, ZoneId zone, RunHistory history, Instant from, Instant to)
            throws IOException {
        List<RunReport> syncs = history.syncs(from, to);
        String html = HtmlReport.render(syncs, zone, from, to);
        AtomicFiles.write(out.resolve(HTML), w -> w.write(html));
        return syncs.size();
    }

    private static RunHistory keep(
            Path out, int keepDays, String command, String runId, Instant started, Object report, Path rejects)
            throws IOException {
        RunHistory history = new RunHistory(out);
        history.keep(command, runId, started, report, rejects);
        try {
            history.prune(keepDays, Instant.now());
        } catch (IOException e) {
            // the old reports stay a night longer; the next run prunes them
            log.warn("{}: cannot prune the run history ({})", out.resolve(RunHistory.DIRECTORY), e.getMessage());
        }
        return history;
    }
}
