package se.nestit.audience.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import se.nestit.audience.generate.DataGenerator;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a synthetic data set in the input contract's five files: for trying the tool, tests and benchmarks.",
            "About 5 order lines and 30 behaviour events per customer (1,000,000 customers make about 3 GB), "
                    + "~55%% granted consent and every other consent state, a few percent of padded, mixed-case, "
                    + "Gmail-variant, invalid and missing emails, suppressions by id and by email. The same seed "
                    + "gives the same files."
        })
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--customers", paramLabel = "N", required = true, description = "Number of customers.")
    int customers;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the CSV files to.")
    Path out;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--as-of",
            paramLabel = "INSTANT",
            defaultValue = "2026-11-22T00:00:00Z",
            description = "The data ends around this instant (default: ${DEFAULT-VALUE}).")
    Instant asOf;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (customers < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--customers must be at least 1");
        }
        long start = System.nanoTime();
        new DataGenerator(new DataGenerator.Settings(customers, seed, asOf)).write(out, n -> {});
        spec.commandLine()
                .getOut()
                .printf("wrote %,d customers to %s in %.1f s%n", customers, out, (System.nanoTime() - start) / 1e9);
        return ExitCode.OK;
    }
}
