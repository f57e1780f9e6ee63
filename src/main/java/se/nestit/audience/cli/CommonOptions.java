package se.nestit.audience.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.ExporterConfig;

/** The options every command takes; flags override the config file. */
final class CommonOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "conf/exporter.yaml",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Directory with customers.csv, consents.csv, "
                    + "suppressions.csv, orders.csv and events.csv (overrides 'data' in the config).")
    Path data;

    @Option(
            names = "--audiences",
            paramLabel = "DIR",
            description = "Directory of audience definitions, *.yaml (overrides 'audiences' in the config).")
    Path audiences;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Output directory for audience files, report.json and rejects.csv (overrides 'out').")
    Path out;

    @Option(
            names = "--state",
            paramLabel = "DIR",
            description = "Directory of the network destinations' sync state and the run lock (overrides 'state').")
    Path state;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--no-progress", description = "Do not draw progress bars, even on a terminal.")
    boolean noProgress;

    ExporterConfig config() {
        ExporterConfig c = environment().load(config);
        if (data != null) {
            c.requireFileSource("--data");
        }
        return c.withPaths(
                data != null ? data : c.data(),
                audiences != null ? audiences : c.audiences(),
                out != null ? out : c.out(),
                state != null ? state : c.state());
    }

    ConfigLoader environment() {
        return ConfigLoader.withSystemEnvironment();
    }

    Instant asOf(ZoneId zone) {
        return selection.asOf(zone);
    }

    Set<String> only() {
        return selection.only();
    }

    @SuppressWarnings("SystemConsoleNull") // Java 17: null when not on a terminal (Java 22 needs Console.isTerminal)
    boolean progress() {
        return !noProgress && System.console() != null;
    }
}
