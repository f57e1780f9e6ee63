package se.nestit.audience.spark;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import se.nestit.audience.cli.SelectionOptions;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.report.DestinationStatus;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.report.SummaryTable;

@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Computes every audience on a Spark cluster: writes the file destinations' audience files and report.json "
                    + "under --out, as sync does, and for the network destinations their desired sets under "
                    + "--out/desired, which 'sync --desired' then delivers.",
            "--data and --out may be any path Hadoop reaches (file:, hdfs:, s3a:, gs:)."
        })
final class BuildCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "conf/exporter.yaml",
            description = "Configuration file, on the driver's disk (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
            names = "--data",
            paramLabel = "DIR|URI",
            description = "Directory of the input files: customers.csv ... "
                    + "or customers.parquet ... (overrides 'data' in the config).")
    String data;

    @Option(
            names = "--audiences",
            paramLabel = "DIR",
            description = "Directory of audience definitions, on the driver's disk (overrides 'audiences').")
    Path audiences;

    @Option(names = "--out", paramLabel = "DIR|URI", description = "Output directory (overrides 'out').")
    String out;

    @Mixin
    SelectionOptions selection;

    @Option(
            names = "--format",
            paramLabel = "csv|parquet",
            description =
                    "How the input files are stored. Default: parquet when there is a customers.parquet and no customers.csv.")
    String format;

    @Option(
            names = "--part-size",
            paramLabel = "BYTES",
            defaultValue = "33554432",
            description = "How much of a CSV file one task reads (default: ${DEFAULT-VALUE}).")
    long partSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExporterConfig loaded = ConfigLoader.withSystemEnvironment().load(config);
        loaded.requireFileSource("the Spark build");
        ExporterConfig c = loaded.withPaths(
                loaded.data(), audiences != null ? audiences : loaded.audiences(), loaded.out(), loaded.state());
        BuildJob.Format f = format == null
                ? null
                : switch (format) {
                    case "csv" -> BuildJob.Format.CSV;
                    case "parquet" -> BuildJob.Format.PARQUET;
                    default ->
                        throw new ParameterException(
                                spec.commandLine(), "--format: expected csv or parquet but was '" + format + "'");
                };
        if (partSize < 1) {
            throw new ParameterException(spec.commandLine(), "--part-size must be at least 1");
        }
        BuildJob.Settings settings = new BuildJob.Settings(
                c,
                data != null ? data : c.data().toString(),
                out != null ? out : c.out().toString(),
                selection.asOf(c.zone()),
                selection.only(),
                f,
                partSize);
        boolean running = SparkSession.getActiveSession().isDefined()
                || SparkSession.getDefaultSession().isDefined();
        SparkSession session =
                SparkSession.builder().appName("audience-exporter build").getOrCreate();
        try {
            RunReport report = new BuildJob(session, settings).run();
            spec.commandLine().getOut().print(SummaryTable.render(report, false));
            spec.commandLine().getOut().flush();
            return report.destinations().values().stream().anyMatch(d -> d.status() == DestinationStatus.FAILED)
                    ? 1
                    : 0;
        } finally {
            if (!running) {
                session.stop();
            }
        }
    }
}
