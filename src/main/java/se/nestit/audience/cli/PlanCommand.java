package se.nestit.audience.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import se.nestit.audience.pipeline.ExportJob;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Computes every audience and what a sync would add and remove at each destination, and sends nothing: "
                    + "network destinations are compared with the sync state, without contacting them or needing their secrets.",
            "Writes plan.json (report.json stays the latest sync's) and rejects.csv and prints a summary; audience files are "
                    + "not touched. "
                    + "Use --only to preview one audience while building it."
        })
final class PlanCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Mixin
    GuardrailOptions guardrails;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Runs.export(spec, options, guardrails, ExportJob.Mode.PLAN, false);
    }
}
