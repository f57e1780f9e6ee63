package se.nestit.audience.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import se.nestit.audience.cli.Main;

/**
 * {@code spark-submit --class se.nestit.audience.spark.SparkBuild audience-exporter.jar build ...}:
 * the entry point for groups whose data outgrows one machine. Only this package uses Spark, which
 * spark-submit provides; the jar's own entry point never loads it.
 */
@Command(
        name = "spark-submit --class se.nestit.audience.spark.SparkBuild audience-exporter.jar",
        mixinStandardHelpOptions = true,
        description = "Computes the audiences on a Spark cluster; 'sync --desired' then delivers them to the networks.",
        subcommands = {BuildCommand.class, CommandLine.HelpCommand.class},
        footer = {
            "",
            "Exit codes: 0 success, 1 a file could not be written, 2 bad usage, configuration, audience "
                    + "definition or input."
        })
public final class SparkBuild implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command line and returns its exit code; for tests. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return Main.withErrorHandling(new CommandLine(new SparkBuild()));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: build");
    }
}
