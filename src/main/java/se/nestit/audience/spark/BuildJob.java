package se.nestit.audience.spark;

import com.opencsv.ICSVWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.desired.DesiredLayout;
import se.nestit.audience.desired.DesiredManifest;
import se.nestit.audience.desired.HolderFile;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.report.ReportWriter;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.report.RunReport.CustomerReport;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.AudienceLoader;
import se.nestit.audience.segment.CustomerFacts;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputException;
import se.nestit.audience.source.InputFile;

/**
 * The Spark build: reads the inputs in parts on the cluster, brings each customer's row, deciding
 * consent and activity counts together by customer_id, decides every customer with the
 * single-machine gate, rules and hashing, and writes what {@code sync} with file destinations
 * writes, plus the desired sets {@code sync --desired} delivers to the networks.
 *
 * <p>The desired sets, for the networks and for file destinations alike, are sorted on the cluster
 * and streamed to the driver one range of digests at a time: a file destination's audience is
 * planned against the file it replaces by merging the sorted streams with that file as they pass.
 * The driver holds nothing that grows with the audience; the rows never leave the cluster.
 */
final class BuildJob {

    /** How the input files are stored. */
    enum Format {
        CSV,
        PARQUET
    }

    /**
     * @param data the directory (any Hadoop path) of the input files
     * @param out the output directory (any Hadoop path)
     * @param format null to tell by the files present
     * @param rangeBytes how much of a CSV file one task reads
     */
    record Settings(
            ExporterConfig config,
            String data,
            String out,
            Instant asOf,
            Set<String> only,
            Format format,
            long rangeBytes) {}

    private static final Logger log = LoggerFactory.getLogger(BuildJob.class);
    private static final String DESIRED = "desired/";

    private final SparkSession spark;
    private final Settings settings;
    private final ExporterConfig config;
    private final JavaSparkContext jsc;
    private final Broadcast<SerializableConfiguration> hadoop;
    private final Map<String, Double> timings = new LinkedHashMap<>();

    BuildJob(SparkSession spark, Settings settings) {
        this.spark = spark;
        this.settings = settings;
        this.config = settings.config();
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
    }

    /** The run's customers, decided, and what the parts of the input files came to. */
    private record Evaluation(JavaRDD<CustomerOutcome> outcomes, long[] tally, Map<InputFile, PartTotals> parts) {}

    /** This build's identity, and when it started: {@code nanoStart} times it. */
    private record Run(String id, Instant started, long nanoStart) {}

    /** The selected audiences, and the text of each one's definition file by its path. */
    private record Selection(List<AudienceDefinition> audiences, Map<String, String> definitions) {}

    /**
     * The normalization profiles hashes are made in, in the order of the digests' indexes, and the
     * network destinations with the profile of each.
     */
    private record Profiles(List<Normalization> all, Map<String, Normalization> networks) {
        int index(Normalization p) {
            return all.indexOf(p);
        }
    }

    /** What the build read and made, for the desired sets. */
    private record Built(Map<InputFile, InputSource> sources, Evaluation evaluation, RunReport report) {}

    RunReport run() throws IOException {
        config.requireSignalsOnTheGatePurpose("the Spark build");
        config.requireDefaultDialect("the Spark build");
        Run run = new Run(UUID.randomUUID().toString(), Instant.now(), System.nanoTime());
        Map<InputFile, InputSource> sources = open();
        Map<InputFile, String> paths = new EnumMap<>(InputFile.class);
        Map<InputFile, String[]> headerCells = new EnumMap<>(InputFile.class);
        for (InputFile f : InputFile.values()) {
            InputSource s = sources.get(f);
            paths.put(f, s == null ? f.fileName() : s.path);
            if (s != null) {
                headerCells.put(f, s.headerCells());
            }
        }
        Map<InputFile, Header> headers =
                Header.all(f -> java.nio.file.Path.of(paths.get(f)), headerCells::get, config.columns());
        List<AudienceDefinition> audiences = AudienceLoader.select(
                new AudienceLoader(config.destinationIds(), headers::get).loadAll(config.audiences()), settings.only());
        Map<String, String> definitions = new LinkedHashMap<>();
        for (AudienceDefinition a : audiences) {
            definitions.put(a.file().toString(), Files.readString(a.file()));
        }
        Map<String, Normalization> profileOf = new LinkedHashMap<>();
        config.destinations().forEach(d -> profileOf.put(d.id(), DestinationFactory.normalization(d)));
        List<Normalization> profiles =
                profileOf.values().stream().distinct().sorted().toList();
        RunSpec spec = new RunSpec(
                definitions,
                config.destinationIds(),
                headerCells,
                paths,
                config.columns(),
                config.zone(),
                settings.asOf(),
                config.consent(),
                profiles);
        // compiled here first, so that a rule naming a column the data lacks stops the run before any task
        SegmentProgram program = spec.compiled().program();

        long t = System.nanoTime();
        Evaluation evaluation = evaluate(spec, sources, program, audiences.size());
        t = lap("evaluate", t);

        HadoopDirectory out = new HadoopDirectory(settings.out(), hadoop.value().value());
        Map<String, DestinationReport> destinationReports = new LinkedHashMap<>();
        Map<String, Map<String, AudienceDelivery>> deliveries = new LinkedHashMap<>();
        if (config.destinations().stream().anyMatch(d -> d.type().equals(FileDestination.TYPE))) {
            for (DestinationSettings d : config.destinations()) {
                if (d.type().equals(FileDestination.TYPE)) {
                    FileOutput files = new FileOutput(
                            new FileDestination(d.id(), profileOf.get(d.id()), FileDestination.format(d), out));
                    int profile = profiles.indexOf(profileOf.get(d.id()));
                    JavaRDD<String> exportable = sorted(evaluation.outcomes(), profile, o -> true);
                    destinationReports.put(
                            d.id(),
                            files.write(
                                    audiences,
                                    a -> {
                                        int audience = audiences.indexOf(a);
                                        JavaRDD<String> desired =
                                                sorted(evaluation.outcomes(), profile, o -> o.selected()[audience]);
                                        return desired::toLocalIterator;
                                    },
                                    exportable::toLocalIterator,
                                    deliveries));
                }
            }
            t = lap("files", t);
        }

        Map<InputFile, Long> rejected = rejected(evaluation);
        RunReport report = report(run, audiences, evaluation, rejected, destinationReports, deliveries);
        Map<String, Normalization> networks = new LinkedHashMap<>();
        config.destinations().stream()
                .filter(d -> !d.type().equals(FileDestination.TYPE))
                .forEach(d -> networks.put(d.id(), profileOf.get(d.id())));
        if (!networks.isEmpty()) {
            writeDesired(
                    out,
                    run,
                    new Selection(audiences, definitions),
                    new Profiles(profiles, networks),
                    new Built(sources, evaluation, report));
            lap("desired", t);
        }
        report = withTimings(report, run.nanoStart());
        RunReport written = report;
        out.writeBytes("report.json", stream -> {
            ReportWriter.JSON.writeValue(stream, written);
            stream.write('\n');
        });
        evaluation.outcomes().unpersist(false);
        return report;
    }

    // ---- reading

    private Map<InputFile, InputSource> open() throws IOException {
        Path data = new Path(settings.data());
        FileSystem fs = data.getFileSystem(hadoop.value().value());
        Format format = settings.format() != null
                ? settings.format()
                : !fs.exists(new Path(data, InputFile.CUSTOMERS.fileName()))
                                && fs.exists(new Path(data, parquetName(InputFile.CUSTOMERS)))
                        ? Format.PARQUET
                        : Format.CSV;
        Map<InputFile, InputSource> sources = new EnumMap<>(InputFile.class);
        for (InputFile f : InputFile.values()) {
            InputSource source;
            if (format == Format.CSV) {
                source = CsvSource.open(jsc, hadoop, f, new Path(data, f.fileName()), settings.rangeBytes());
            } else {
                Path path = new Path(data, parquetName(f));
                if (!fs.exists(path)) {
                    if (f.mustExist()) {
                        throw new InputException(f.notFound(path, parquetName(f)));
                    }
                    source = null;
                } else {
                    source = ParquetSource.open(
                            spark,
                            f,
                            path.toString(),
                            fs.getContentSummary(path).getLength());
                }
            }
            if (source == null) {
                log.warn(
                        "{} not found: read as empty",
                        new Path(data, format == Format.CSV ? f.fileName() : parquetName(f)));
            } else {
                sources.put(f, source);
            }
        }
        return sources;
    }

    private static String parquetName(InputFile f) {
        return f.stem() + ".parquet";
    }

    /**
     * Reads and decides; when a CSV part's guessed start was wrong, reads that file again in one
     * part and decides again (rare: a quoted line break right at a part boundary).
     */
    private Evaluation evaluate(
            RunSpec spec, Map<InputFile, InputSource> sources, SegmentProgram program, int audiences) {
        while (true) {
            CollectionAccumulator<PartReport> reports = jsc.sc().collectionAccumulator("input parts");
            JavaRDD<CustomerOutcome> outcomes = decide(spec, sources, program, reports);
            outcomes.persist(StorageLevel.MEMORY_AND_DISK_SER());
            long[] tally = outcomes.mapPartitions(new Tally(audiences)).reduce(Tally::add);
            PartTotals.Settled settled = PartTotals.settle(sources, reports.value());
            if (settled.guessedWrong().isEmpty()) {
                return new Evaluation(outcomes, tally, settled.totals());
            }
            outcomes.unpersist(false);
            for (InputFile f : settled.guessedWrong()) {
                log.info(
                        "{}: a part boundary fell inside a quoted cell; reading the file again in one part",
                        sources.get(f).path);
                sources.put(f, ((CsvSource) sources.get(f)).whole());
            }
        }
    }

    private JavaRDD<CustomerOutcome> decide(
            RunSpec spec,
            Map<InputFile, InputSource> sources,
            SegmentProgram program,
            CollectionAccumulator<PartReport> reports) {
        int partitions = Math.max(
                jsc.defaultParallelism(),
                (int) (sources.get(InputFile.CUSTOMERS).size() / (16 << 20)) + 1);
        JavaPairRDD<String, CustomerCells> customers = JavaPairRDD.fromJavaRDD(
                        sources.get(InputFile.CUSTOMERS).read(new CustomerPart(spec), reports))
                .reduceByKey(CustomerCells::first, partitions);
        JavaPairRDD<String, ConsentCells> consents = JavaPairRDD.fromJavaRDD(
                        sources.get(InputFile.CONSENTS).read(new ConsentPart(spec), reports))
                .reduceByKey(ConsentCells::latest, partitions);
        JavaRDD<Tuple2<String, CustomerFacts>> activity = jsc.emptyRDD();
        for (InputFile f : List.of(InputFile.ORDERS, InputFile.EVENTS)) {
            // as on one machine, a file no selected audience needs is not read at all
            if (sources.containsKey(f) && !program.counters(f).isEmpty()) {
                activity = activity.union(sources.get(f).read(new ActivityPart(spec, f), reports));
            }
        }
        JavaPairRDD<String, CustomerFacts> facts =
                JavaPairRDD.fromJavaRDD(activity).reduceByKey(CustomerFacts::add, partitions);
        List<String[]> suppressions = new ArrayList<>(sources.get(InputFile.SUPPRESSIONS)
                .read(new SuppressionPart(spec), reports)
                .collect());
        // a suppression by customer_id follows the person: that customer's email is suppressed on every record,
        // and so are the emails of its rejected rows (duplicates, unreadable ones)
        Set<String> suppressedIds = new HashSet<>();
        suppressions.forEach(row -> suppressedIds.add(row[0]));
        suppressedIds.remove("");
        if (!suppressedIds.isEmpty()) {
            suppressions.addAll(customers
                    .filter(c -> suppressedIds.contains(c._1()))
                    .flatMap(c -> Stream.of(c._2().emails())
                            .map(email -> new String[] {c._1(), email})
                            .iterator())
                    .collect());
        }
        return customers
                .cogroup(consents, facts, new HashPartitioner(partitions))
                .mapPartitions(new Decide(spec, jsc.broadcast(suppressions)));
    }

    private static Map<InputFile, Long> rejected(Evaluation e) {
        Map<InputFile, Long> rejected = new EnumMap<>(InputFile.class);
        e.parts().forEach((f, p) -> rejected.put(f, p.rejected()));
        rejected.merge(InputFile.CUSTOMERS, e.tally()[e.tally().length - 1], Long::sum);
        return rejected;
    }

    // ---- outputs

    private void writeDesired(HadoopDirectory out, Run run, Selection selected, Profiles profiles, Built built)
            throws IOException {
        out.deleteTree(DESIRED);
        List<AudienceDefinition> audiences = selected.audiences();
        Evaluation evaluation = built.evaluation();
        for (Map.Entry<String, Normalization> d : profiles.networks().entrySet()) {
            for (int a = 0; a < audiences.size(); a++) {
                if (audiences.get(a).destinations().contains(d.getKey())) {
                    int audience = a;
                    writeSorted(
                            out,
                            DESIRED
                                    + DesiredLayout.desired(
                                            d.getKey(), audiences.get(a).id()),
                            evaluation.outcomes(),
                            profiles.index(d.getValue()),
                            o -> o.selected()[audience]);
                }
            }
        }
        for (Normalization p : profiles.networks().values().stream().distinct().toList()) {
            writeSorted(
                    out, DESIRED + DesiredLayout.exportable(p), evaluation.outcomes(), profiles.index(p), o -> true);
            writeHolders(out, evaluation.outcomes(), profiles.index(p), p, evaluation);
        }
        for (AudienceDefinition a : audiences) {
            String text = selected.definitions().get(a.file().toString());
            out.write(DESIRED + DesiredLayout.AUDIENCES + "/" + a.file().getFileName(), w -> w.write(text));
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        built.sources().forEach((f, s) -> headers.put(f.fileName(), List.of(s.headerCells())));
        Map<String, String> destinations = new LinkedHashMap<>();
        profiles.networks().forEach((id, p) -> destinations.put(id, p.configName()));
        RunReport report = built.report();
        Map<String, DesiredManifest.AudienceCounts> counts = new LinkedHashMap<>();
        for (AudienceDefinition a : audiences) {
            AudienceReport r = report.audiences().get(a.id());
            counts.put(
                    a.id(),
                    new DesiredManifest.AudienceCounts(
                            a.file().getFileName().toString(), r.inSegment(), r.exported(), r.skipped()));
        }
        Map<String, Long> records = new LinkedHashMap<>();
        evaluation.parts().forEach((f, p) -> records.put(f.fileName(), p.records()));
        DesiredManifest manifest = new DesiredManifest(
                settings.asOf().toString(),
                run.id(),
                run.started().toString(),
                List.copyOf(settings.only()),
                headers,
                destinations,
                counts,
                report.rejected(),
                report.customers(),
                records);
        // the manifest last: a directory without one is an unfinished build, which sync --desired refuses
        out.writeBytes(DESIRED + DesiredManifest.FILE, stream -> {
            ReportWriter.JSON.writeValue(stream, manifest);
            stream.write('\n');
        });
    }

    /**
     * Writes the distinct digests, in one profile, of the exportable customers {@code which} takes,
     * sorted, as a file destination writes them: the driver streams the cluster's sorted parts into
     * the file in range order, one at a time; it never holds the whole set.
     */
    private static void writeSorted(
            HadoopDirectory out,
            String relative,
            JavaRDD<CustomerOutcome> outcomes,
            int profile,
            Function<CustomerOutcome, Boolean> which)
            throws IOException {
        Iterator<String> sorted = sorted(outcomes, profile, which).toLocalIterator();
        out.write(relative, w -> FileDestination.write(w, sorted));
    }

    /**
     * The hex digests, in one profile, of the exportable customers {@code which} takes, sorted on
     * the cluster: range-partitioned by digest (hex sorts as the bytes do), one sorted part per
     * range, so that a local iterator goes through them in order a part at a time. A repeat stays
     * (two customers with one email); readers pass it.
     */
    private static JavaRDD<String> sorted(
            JavaRDD<CustomerOutcome> outcomes, int profile, Function<CustomerOutcome, Boolean> which) {
        return outcomes.filter(
                        o -> o.verdict() == GateVerdict.EXPORTABLE && o.digests()[profile] != null && which.call(o))
                .map(o -> Sha256.hex(o.digests()[profile]))
                .sortBy(h -> h, true, outcomes.getNumPartitions());
    }

    /** Streams the holders from the cluster a partition at a time: the driver never holds them all. */
    private static void writeHolders(
            HadoopDirectory out, JavaRDD<CustomerOutcome> outcomes, int profile, Normalization p, Evaluation evaluation)
            throws IOException {
        long[] customerLines = evaluation.parts().get(InputFile.CUSTOMERS).firstLines();
        long[] consentLines = evaluation.parts().get(InputFile.CONSENTS).firstLines();
        Iterator<String[]> lines = outcomes.filter(o -> o.digests()[profile] != null)
                .map(o -> HolderFile.line(
                        Sha256.hex(o.digests()[profile]),
                        o.customerId(),
                        row(o.order(), customerLines),
                        o.verdict().code(),
                        o.consent() == null
                                ? null
                                : o.consent()
                                        .record(o.customerId(), row(o.consent().order(), consentLines))))
                .toLocalIterator();
        out.writeBytes(DESIRED + DesiredLayout.holders(p), stream -> {
            GZIPOutputStream gzip = new GZIPOutputStream(stream, 1 << 16);
            Writer w = new OutputStreamWriter(gzip, StandardCharsets.UTF_8);
            ICSVWriter csv = HolderFile.writer(w);
            while (lines.hasNext()) {
                csv.writeNext(lines.next(), false);
            }
            csv.flush();
            gzip.finish();
        });
    }

    /** A record's line in a CSV file, from its order key; for Parquet its row number in its file. */
    private static long row(long order, long[] firstLines) {
        long place = InputSource.place(order);
        return firstLines == null ? place + 1 : firstLines[InputSource.part(order)] + place;
    }

    // ---- report

    private RunReport report(
            Run run,
            List<AudienceDefinition> audiences,
            Evaluation e,
            Map<InputFile, Long> rejectedPerFile,
            Map<String, DestinationReport> destinations,
            Map<String, Map<String, AudienceDelivery>> deliveries) {
        long[] tally = e.tally();
        Map<String, AudienceReport> byAudience = new LinkedHashMap<>();
        for (int a = 0; a < audiences.size(); a++) {
            Map<GateVerdict, Long> skipped = new EnumMap<>(GateVerdict.class);
            for (GateVerdict v : GateVerdict.SKIP_REASONS) {
                skipped.put(v, tally[Tally.verdict(a, v)]);
            }
            String id = audiences.get(a).id();
            byAudience.put(
                    id,
                    new AudienceReport(
                            tally[Tally.inSegment(a)],
                            tally[Tally.verdict(a, GateVerdict.EXPORTABLE)],
                            GateVerdict.skipCounts(skipped),
                            deliveries.getOrDefault(id, Map.of())));
        }
        Map<String, Long> rejected = new LinkedHashMap<>();
        rejectedPerFile.forEach((f, n) -> {
            if (n > 0) {
                rejected.put(f.fileName(), n);
            }
        });
        Map<GateVerdict, Long> verdicts = new EnumMap<>(GateVerdict.class);
        for (GateVerdict v : GateVerdict.SKIP_REASONS) {
            verdicts.put(v, tally[Tally.customers(audiences.size(), v)]);
        }
        PartTotals customers = e.parts().get(InputFile.CUSTOMERS);
        CustomerReport customerReport = new CustomerReport(
                customers.records(),
                rejectedPerFile.get(InputFile.CUSTOMERS),
                tally[Tally.customers(audiences.size(), GateVerdict.EXPORTABLE)],
                GateVerdict.skipCounts(verdicts));
        return new RunReport(
                settings.asOf().toString(),
                "build",
                run.id(),
                run.started().toString(),
                seconds(run.nanoStart()),
                byAudience,
                rejected,
                destinations,
                customerReport,
                null,
                null,
                timings,
                new TreeMap<>());
    }

    private RunReport withTimings(RunReport r, long t0) {
        return new RunReport(
                r.asOf(),
                r.command(),
                r.runId(),
                r.startedAt(),
                seconds(t0),
                r.audiences(),
                r.rejected(),
                r.destinations(),
                r.customers(),
                r.sources(),
                r.normalization(),
                timings,
                r.taskSeconds());
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1000.0;
    }

    private long lap(String stage, long since) {
        timings.put(stage, seconds(since));
        return System.nanoTime();
    }
}
