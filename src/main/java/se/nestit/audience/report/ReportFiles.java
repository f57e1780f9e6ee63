package se.nestit.audience.report;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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
        write(out, zone, keepDays, report, rejects, null);
    }

    /**
     * As {@link #write(Path, ZoneId, int, RunReport, Path)}, with the kept syncs {@code report.html}
     * shows read ahead.
     *
     * @param ahead what {@link #readAhead} started for this sync, or null to read the history now
     */
    public static void write(Path out, ZoneId zone, int keepDays, RunReport report, Path rejects, ReadAhead ahead)
            throws IOException {
        boolean sync = report.command().equals("sync");
        ReportWriter.write(out.resolve(sync ? SYNC_REPORT : PLAN_REPORT), report);
        // read to the end before this run is kept, which the reading would otherwise find too
        List<RunHistory.Kept> earlier = sync && ahead != null ? ahead.read() : null;
        Path run = keep(
                out, keepDays, report.command(), report.runId(), Instant.parse(report.startedAt()), report, rejects);
        if (sync) {
            Instant asOf = Instant.parse(report.asOf());
            Instant from = asOf.minus(HTML_PERIOD);
            List<RunReport> syncs = earlier == null
                    ? new RunHistory(out).syncs(from, asOf)
                    : withOwn(earlier, run.resolve(RunHistory.REPORT));
            writeHtml(out, zone, syncs, from, asOf);
        }
    }

    /**
     * The syncs to show: those read ahead and the run's own, as it was kept, by {@code as_of} and
     * start; a report the history's pruning deleted since is left out, as it would not have been read.
     */
    private static List<RunReport> withOwn(List<RunHistory.Kept> earlier, Path own) throws IOException {
        List<RunHistory.Kept> all = new ArrayList<>(earlier);
        all.add(new RunHistory.Kept(own, RunHistory.read(Files.readAllBytes(own))));
        List<RunReport> shown = new ArrayList<>();
        for (RunHistory.Kept k : all) {
            if (Files.isRegularFile(k.file())) {
                shown.add(k.report());
            }
        }
        return RunHistory.inOrder(shown);
    }

    /**
     * Starts reading the kept syncs the {@code report.html} of a sync as of {@code asOf} shows, on a
     * thread of its own: the run's end then only adds the run's own report. Reading them there took
     * a tenth of a second or more (Jackson builds its readers and writers of a report on first use),
     * while the run's end is one thread's work on an otherwise idle machine.
     */
    public static ReadAhead readAhead(Path out, Instant asOf) {
        return new ReadAhead(new RunHistory(out), asOf.minus(HTML_PERIOD), asOf);
    }

    /** The kept syncs of a period, being read; see {@link #readAhead}. */
    public static final class ReadAhead {

        private final FutureTask<List<RunHistory.Kept>> kept;

        private ReadAhead(RunHistory history, Instant from, Instant to) {
            kept = new FutureTask<>(() -> {
                // the report's writer, built here once, is the one report.json is written with
                ReportWriter.JSON.writerFor(RunReport.class);
                return history.kept(from, to);
            });
            Thread reader = new Thread(kept, "report-history");
            reader.setDaemon(true);
            reader.start();
        }

        private List<RunHistory.Kept> read() throws IOException {
            try {
                return kept.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the run history");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException("reading the run history failed", e.getCause());
            }
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
        return writeHtml(out, zone, new RunHistory(out).syncs(from, to), from, to);
    }

    private static int writeHtml(Path out, ZoneId zone, List<RunReport> syncs, Instant from, Instant to)
            throws IOException {
        String html = HtmlReport.render(syncs, zone, from, to);
        AtomicFiles.write(out.resolve(HTML), w -> w.write(html));
        return syncs.size();
    }

    /** Keeps a run's report, prunes the history, and returns the run's directory. */
    private static Path keep(
            Path out, int keepDays, String command, String runId, Instant started, Object report, Path rejects)
            throws IOException {
        RunHistory history = new RunHistory(out);
        Path run = history.keep(command, runId, started, report, rejects);
        try {
            history.prune(keepDays, Instant.now());
        } catch (IOException e) {
            // the old reports stay a night longer; the next run prunes them
            log.warn("{}: cannot prune the run history ({})", out.resolve(RunHistory.DIRECTORY), e.getMessage());
        }
        return run;
    }
}
