package se.nestit.audience.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.pipeline.ExportJob;
import se.nestit.audience.pipeline.Progress;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.report.SummaryTable;

/** What sync and plan share: build the job from the options, run it, print the summary, pick the exit code. */
final class Runs {

    private Runs() {}

    static int export(CommandSpec spec, CommonOptions options, ExportJob.Mode mode, boolean fullRefresh) {
        ExporterConfig config = options.config();
        ExportJob.Options run = new ExportJob.Options(mode, options.asOf(config.zone()), options.only(), fullRefresh);
        RunReport report = new ExportJob(config, run, options.environment(), progress(options)).run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(SummaryTable.render(report));
        out.flush();
        boolean failed = report.destinations().values().stream().anyMatch(d -> d.status().equals("failed"));
        return failed ? ExitCode.FAILED : ExitCode.OK;
    }

    static Progress progress(CommonOptions options) {
        return options.progress() ? new ConsoleProgress() : Progress.NONE;
    }
}
