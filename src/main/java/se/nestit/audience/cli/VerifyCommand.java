package se.nestit.audience.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.pipeline.VerifyJob;
import se.nestit.audience.report.SummaryTable;
import se.nestit.audience.report.VerifyReport;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Proves the consent behind every hash the destinations hold: re-reads the inputs, runs the consent "
                    + "gate at --as-of, and checks that each hash belongs to at least one customer who passes it.",
            "Writes verify.json and prints one line per finding: customer_ids, reasons, the consent record that decided, "
                    + "when the hash was sent and what to do (never an email).",
            "Exits 1 when a hash was never allowed, 4 when every finding is a consent that changed after its hash was "
                    + "sent (the next sync removes it), else 0."
        })
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExporterConfig config = options.config();
        VerifyReport report =
                new VerifyJob(config, options.asOf(config.zone()), options.only(), Runs.progress(options)).run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(SummaryTable.render(report));
        out.flush();
        return switch (report.status()) {
            case "ok" -> ExitCode.OK;
            case "changed" -> ExitCode.CHANGED_SINCE_SYNC;
            default -> ExitCode.FAILED;
        };
    }
}
