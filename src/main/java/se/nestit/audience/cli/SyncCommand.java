package se.nestit.audience.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import se.nestit.audience.pipeline.ExportJob;

@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Computes every audience and brings each destination up to date: writes the audience files, "
                    + "sends adds and removes to the networks, then commits the sync state.",
            "Writes report.json, report.html and rejects.csv to the output directory, keeps the report in its runs/, "
                    + "and prints a summary."
        })
final class SyncCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Mixin
    GuardrailOptions guardrails;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--full-refresh",
            description = "Replace every network audience's members with the current segment "
                    + "instead of sending the difference (after a lost state, or to be sure).")
    boolean fullRefresh;

    @Option(
            names = "--desired",
            paramLabel = "DIR",
            description = "Sync the network destinations to the desired sets "
                    + "a Spark build wrote (its out/desired directory, copied to a local disk) instead of computing them; "
                    + "reads no input file.")
    Path desired;

    @Override
    public Integer call() {
        return desired != null
                ? Runs.desired(spec, options, guardrails, desired, fullRefresh)
                : Runs.export(spec, options, guardrails, ExportJob.Mode.SYNC, fullRefresh);
    }
}
