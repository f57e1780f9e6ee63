package se.nestit.audience.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.pipeline.CheckJob;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Checks, without sending any member, that a sync could work: resolves every secret, signs in to each network, "
                    + "reads its account and finds each audience's list or custom audience; checks that file destinations "
                    + "can write their files.",
            "Prints per destination what is ok, what is wrong and what to do; exits 1 if anything is wrong, "
                    + "2 if a destination's settings cannot be read."
        })
final class CheckCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--destination",
            paramLabel = "ID",
            description = "Check this destination only. Default: every destination.")
    String destination;

    @Override
    public Integer call() {
        List<CheckJob.Result> results = new CheckJob(
                        options.config(), Optional.ofNullable(destination), options.only(), options.environment())
                .run();
        PrintWriter out = spec.commandLine().getOut();
        for (CheckJob.Result r : results) {
            out.println(r.destination() + " (" + r.type() + "): " + (r.ok() ? "ok" : "WRONG"));
            for (Finding f : r.findings()) {
                out.println("  " + (f.ok() ? "ok     " : "WRONG  ") + f.subject() + ": " + Main.oneLine(f.found()));
                if (!f.ok()) {
                    out.println("         what to do: " + Main.oneLine(f.advice()));
                }
            }
        }
        out.flush();
        if (results.stream().anyMatch(CheckJob.Result::settingsWrong)) {
            return ExitCode.USAGE;
        }
        return results.stream().allMatch(CheckJob.Result::ok) ? ExitCode.OK : ExitCode.FAILED;
    }
}
