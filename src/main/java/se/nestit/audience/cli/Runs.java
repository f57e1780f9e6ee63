package se.nestit.audience.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.guardrail.Guardrails;
import se.nestit.audience.pipeline.DesiredSyncJob;
import se.nestit.audience.pipeline.ExportJob;
import se.nestit.audience.pipeline.Progress;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.report.SummaryTable;
import se.nestit.audience.sync.Stopping;

/** What sync and plan share: build the job from the options, run it, print the summary, pick the exit code. */
final class Runs {

    private Runs() {}

    @SuppressWarnings("try") // the resource is held for the try block, which need not touch it
    static int export(CommandSpec spec, CommonOptions options, GuardrailOptions guardrails, ExportJob.Mode mode,
            boolean fullRefresh) {
        ExporterConfig config = guardrails.apply(options.config());
        ExportJob.Options run = new ExportJob.Options(mode, options.asOf(config.zone()), options.only(), fullRefresh,
                guardrails.acceptShrinks());
        try (Stopping.Running sync = mode == ExportJob.Mode.SYNC ? Stopping.running() : () -> { }) {
            RunReport report = new ExportJob(config, run, options.environment(), progress(options)).run();
            return finish(spec, report, true);
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
        boolean failed = report.destinations().values().stream().anyMatch(d -> d.status().equals("failed"));
        boolean tripped = report.guardrails() != null && report.guardrails().status().equals(Guardrails.TRIPPED);
        return failed || tripped ? ExitCode.FAILED : ExitCode.OK;
    }

    /** {@code sync --desired}: delivers what a Spark build computed, as of the instant it computed it. */
    @SuppressWarnings("try") // the resource is held for the try block, which need not touch it
    static int desired(CommandSpec spec, CommonOptions options, GuardrailOptions guardrails, Path dir, boolean fullRefresh) {
        if (options.selection.asOfGiven() || options.data != null) {
            throw new DefinitionException("--desired takes the data and --as-of the Spark build used; "
                    + "give --data and --as-of to the build");
        }
        ExporterConfig config = guardrails.apply(options.config());
        try (Stopping.Running sync = Stopping.running()) {
            RunReport report = new DesiredSyncJob(config, new DesiredSyncJob.Options(dir, options.only(), fullRefresh,
                    guardrails.acceptShrinks()), options.environment()).run();
            return finish(spec, report, false);
        }
    }

    static Progress progress(CommonOptions options) {
        return options.progress() ? new ConsoleProgress() : Progress.NONE;
    }
}
