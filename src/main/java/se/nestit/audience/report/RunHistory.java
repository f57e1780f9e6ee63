package se.nestit.audience.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.io.AtomicFiles;

/**
 * {@code <out>/runs}: every run's report, in a directory of its own named
 * {@code <started-at>-<command>-<run-id>} ({@code 20261122T031500.042Z-sync-<uuid>}), with the rows it rejected.
 * The start is to the millisecond, so that the names sort as the runs started.
 * Directories of another name are someone else's and never touched.
 */
public final class RunHistory {

    public static final String DIRECTORY = "runs";
    public static final String REPORT = "report.json";
    public static final String REJECTS = "rejects.csv";

    private static final Logger log = LoggerFactory.getLogger(RunHistory.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile(
            "(\\d{8}T\\d{6}\\.\\d{3}Z)-(sync|plan|verify)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Reads reports written by this version or a later one, which may carry fields this one does not know.
     * Built on first use, by the thread that reads the history (see {@link ReportFiles#readAhead}), not by
     * whoever names this class: building it takes Jackson's look at every report class.
     */
    private static final class Reader {
        static final ObjectReader RUN_REPORT =
                ReportWriter.JSON.readerFor(RunReport.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private final Path dir;

    public RunHistory(Path out) {
        this.dir = out.resolve(DIRECTORY);
    }

    /**
     * Keeps one run's report and a copy of the rows it rejected.
     *
     * @param rejects the run's {@code rejects.csv}, or null when it wrote none
     * @return the run's directory
     */
    public Path keep(String command, String runId, Instant startedAt, Object report, Path rejects) throws IOException {
        Path run = dir.resolve(STAMP.format(startedAt) + "-" + command + "-" + runId);
        if (!NAME.matcher(run.getFileName().toString()).matches()) {
            throw new IllegalArgumentException("not a run's name: " + run.getFileName());
        }
        ReportWriter.write(run.resolve(REPORT), report);
        if (rejects != null) {
            AtomicFiles.writeBytes(run.resolve(REJECTS), out -> Files.copy(rejects, out));
        }
        return run;
    }

    /**
     * Deletes the runs started more than {@code keepDays} before {@code now}: in each, the files a
     * run writes, then the directory if that left it empty. Anything else stays, and says so.
     *
     * @return how many runs were deleted
     */
    public int prune(int keepDays, Instant now) throws IOException {
        Instant oldest = now.minus(Duration.ofDays(keepDays));
        int deleted = 0;
        for (Path run : runs()) {
            Instant started = startedAt(run);
            if (!started.isBefore(oldest)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(run)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                            && (name.equals(REPORT)
                                    || name.equals(REJECTS)
                                    || name.startsWith("." + REPORT + ".tmp-")
                                    || name.startsWith("." + REJECTS + ".tmp-"))) {
                        Files.delete(f);
                    }
                }
            }
            try (DirectoryStream<Path> rest = Files.newDirectoryStream(run)) {
                if (rest.iterator().hasNext()) {
                    log.warn("{}: kept, it holds files a run does not write", run);
                    continue;
                }
            }
            AtomicFiles.delete(run);
            deleted++;
        }
        return deleted;
    }

    /**
     * The reports of the syncs whose {@code as_of} lies in {@code [from, to]}, by {@code as_of} and then
     * by start. A report that cannot be read is left out with a warning: the history shows what it can.
     */
    public List<RunReport> syncs(Instant from, Instant to) throws IOException {
        return inOrder(kept(from, to).stream().map(Kept::report).toList());
    }

    /** A kept sync's report and the file it was read from. */
    record Kept(Path file, RunReport report) {}

    /** The reports {@link #syncs} gives, in the order of their directories, with their files. */
    List<Kept> kept(Instant from, Instant to) throws IOException {
        List<Kept> reports = new ArrayList<>();
        for (Path run : runs()) {
            Matcher m = NAME.matcher(run.getFileName().toString());
            Path file = run.resolve(REPORT);
            if (!m.matches() || !m.group(2).equals("sync") || !Files.isRegularFile(file)) {
                continue;
            }
            RunReport report;
            try {
                report = Reader.RUN_REPORT.readValue(file.toFile());
            } catch (IOException e) {
                log.warn("{}: left out of the history, cannot be read ({})", file, e.getMessage());
                continue;
            }
            Instant asOf = Instant.parse(report.asOf());
            if (!asOf.isBefore(from) && !asOf.isAfter(to)) {
                reports.add(new Kept(file, report));
            }
        }
        return reports;
    }

    /** The reports by {@code as_of} and then by start. */
    static List<RunReport> inOrder(List<RunReport> reports) {
        List<RunReport> sorted = new ArrayList<>(reports);
        sorted.sort(Comparator.comparing((RunReport r) -> Instant.parse(r.asOf()))
                .thenComparing(r -> Instant.parse(r.startedAt())));
        return sorted;
    }

    /** A report as {@link #syncs} would read it back from the JSON it was kept as. */
    static RunReport read(byte[] json) throws IOException {
        return Reader.RUN_REPORT.readValue(json);
    }

    /** The run directories, by start. */
    private List<Path> runs() throws IOException {
        List<Path> runs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return runs;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            for (Path p : all) {
                if (NAME.matcher(p.getFileName().toString()).matches()
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    runs.add(p);
                }
            }
        }
        runs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return runs;
    }

    private static Instant startedAt(Path run) {
        Matcher m = NAME.matcher(run.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a run's name: " + run.getFileName());
        }
        return STAMP.parse(m.group(1), Instant::from);
    }
}
