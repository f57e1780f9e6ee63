package se.nestit.audience.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.guardrail.Guardrails;
import se.nestit.audience.guardrail.LastSync;
import se.nestit.audience.pipeline.DesiredSyncJob;
import se.nestit.audience.pipeline.ExportJob;
import se.nestit.audience.pipeline.Progress;
import se.nestit.audience.report.DestinationStatus;
import se.nestit.audience.report.MetricsFile;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.report.SummaryTable;
import se.nestit.audience.sync.Stopping;

/** What sync and plan share: build the job from the options, run it, print the summary, pick the exit code. */
final class Runs {

    private static final Logger log = LoggerFactory.getLogger(Runs.class);

    private Runs() {}

    @SuppressWarnings("try") // the resource is held for the try block, which need not touch it
    static int export(
            CommandSpec spec,
            CommonOptions options,
            GuardrailOptions guardrails,
            ExportJob.Mode mode,
            boolean fullRefresh) {
        ExporterConfig config = guardrails.apply(options.config());
        ExportJob.Options run = new ExportJob.Options(
                mode, options.asOf(config.zone()), options.only(), fullRefresh, guardrails.acceptShrinks());
        if (mode == ExportJob.Mode.PLAN) {
            ExportJob job = new ExportJob(config, run, options.environment(), progress(options));
            int code = finish(spec, job.run(), true);
            job.preview().ifPresent(p -> spec.commandLine().getOut().print(SummaryTable.render(p)));
            spec.commandLine().getOut().flush();
            return code;
        }
        try (Stopping.Running sync = Stopping.running()) {
            return measured(
                    spec,
                    config,
                    true,
                    () -> new ExportJob(config, run, options.environment(), progress(options)).run());
        }
    }

    private static int finish(CommandSpec spec, RunReport report, boolean rejectsListed) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(SummaryTable.render(report, rejectsListed));
        if (report.wasInterrupted()) {
            out.println(SummaryTable.stopped(report));
        }
        out.flush();
        if (report.wasInterrupted()) {
            return ExitCode.STOPPED;
        }
        boolean failed = report.destinations().values().stream().anyMatch(d -> d.status() == DestinationStatus.FAILED);
        boolean tripped =
                report.guardrails() != null && report.guardrails().status().equals(Guardrails.TRIPPED);
        return failed || tripped ? ExitCode.FAILED : ExitCode.OK;
    }

    /** {@code sync --desired}: delivers what a Spark build computed, as of the instant it computed it. */
    @SuppressWarnings("try") // the resource is held for the try block, which need not touch it
    static int desired(
            CommandSpec spec, CommonOptions options, GuardrailOptions guardrails, Path dir, boolean fullRefresh) {
        if (options.selection.asOfGiven() || options.data != null) {
            throw new DefinitionException("--desired takes the data and --as-of the Spark build used; "
                    + "give --data and --as-of to the build");
        }
        ExporterConfig config = guardrails.apply(options.config());
        config.requireFileSource("sync --desired");
        try (Stopping.Running sync = Stopping.running()) {
            return measured(
                    spec,
                    config,
                    false,
                    () -> new DesiredSyncJob(
                                    config,
                                    new DesiredSyncJob.Options(
                                            dir, options.only(), fullRefresh, guardrails.acceptShrinks()),
                                    options.environment())
                            .run());
        }
    }

    /**
     * Runs a sync and leaves its {@code metrics.prom} behind however it ends. A sync that breaks
     * writes one only into an output directory that exists (a first run with a mistake in it leaves
     * nothing, as before), and none when another run holds the lock: that run writes its own.
     */
    private static int measured(
            CommandSpec spec, ExporterConfig config, boolean rejectsListed, Supplier<RunReport> sync) {
        Instant started = Instant.now();
        RunReport report;
        try {
            report = sync.get();
        } catch (RuntimeException e) {
            int code = Main.exitCodeOf(e);
            if (code != ExitCode.LOCKED && Files.isDirectory(config.out())) {
                try {
                    writeMetrics(config, new MetricsFile.Run(started, Instant.now(), code, null));
                } catch (UncheckedIOException written) {
                    // the run's own error is the one to tell
                    log.error("{}", written.getMessage());
                }
            }
            throw e;
        }
        int code = finish(spec, report, rejectsListed);
        writeMetrics(config, new MetricsFile.Run(Instant.parse(report.startedAt()), Instant.now(), code, report));
        return code;
    }

    private static void writeMetrics(ExporterConfig config, MetricsFile.Run run) {
        try {
            MetricsFile.write(config.out(), run, LastSync.recordedAt(config.state()));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    config.out().resolve(MetricsFile.FILE) + ": cannot write the metrics (" + e.getMessage() + ")", e);
        }
    }

    static Progress progress(CommonOptions options) {
        return options.progress() ? new ConsoleProgress() : Progress.NONE;
    }
}
