package se.nestit.audience.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.report.ReportFiles;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuilds report.html from the syncs kept in the output directory's runs/: members per audience and "
                    + "destination over time, adds and removes, skip reasons, guardrails, errors and what to do.",
            "Reads no input file and contacts no network."
        })
final class ReportCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "conf/exporter.yaml",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Output directory whose runs/ to read and where to write " + "report.html (overrides 'out').")
    Path out;

    @Option(
            names = "--as-of",
            paramLabel = "DATE|INSTANT",
            description = "The end of the period: the syncs as of this moment or earlier. Default: now.")
    String asOf;

    @Option(
            names = "--since",
            paramLabel = "DAYS",
            defaultValue = "90d",
            converter = Days.class,
            description = "How far back from --as-of the report goes, in days: 90d (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExporterConfig c = ConfigLoader.withSystemEnvironment().load(config);
        Path dir = out != null ? out : c.out();
        Instant to = AsOf.parse(asOf, c.zone());
        int syncs;
        try {
            syncs = ReportFiles.writeHtml(dir, c.zone(), to.minus(since), to);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write " + ReportFiles.HTML + " (" + e.getMessage() + ")", e);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println(dir.resolve(ReportFiles.HTML) + ": " + syncs + (syncs == 1 ? " sync" : " syncs") + " of the last "
                + since.toDays() + " days" + (syncs == 0 ? " (none in " + dir.resolve("runs") + ")" : ""));
        w.flush();
        return ExitCode.OK;
    }

    /** {@code 90d}: a number of days. */
    static final class Days implements ITypeConverter<Duration> {
        private static final Pattern DAYS = Pattern.compile("([1-9][0-9]{0,4})d");

        @Override
        public Duration convert(String value) {
            Matcher m = DAYS.matcher(value);
            if (!m.matches()) {
                throw new TypeConversionException("expected a number of days such as 90d, not '" + value + "'");
            }
            return Duration.ofDays(Integer.parseInt(m.group(1)));
        }
    }
}
