package se.nestit.audience.pipeline;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.guardrail.Guardrails;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.io.AtomicFiles;
import se.nestit.audience.report.PlanPreview;
import se.nestit.audience.report.ReportFiles;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.report.RunReport.CustomerReport;
import se.nestit.audience.report.RunReport.NormalizationReport;
import se.nestit.audience.report.RunReport.SourceReport;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.CustomerTotals;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.ValueProbe;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.Rejects;
import se.nestit.audience.sync.RunLock;
import se.nestit.audience.sync.StateStore;

/**
 * One {@code sync} or {@code plan} run, stage after stage in one direction: open and check the
 * inputs, read customers and run the consent gate, count orders and events, evaluate audiences,
 * hash, plan and deliver, report.
 */
public final class ExportJob {

    /** What the run does with its plans. */
    public enum Mode {
        /** Carry the plans out. */
        SYNC,
        /** Report the plans and change nothing. */
        PLAN
    }

    /**
     * A run's choices from the command line.
     *
     * @param fullRefresh replace every network audience's members instead of sending the difference
     * @param acceptShrinks audiences whose shrink this run lets through the guardrail
     */
    public record Options(Mode mode, Instant asOf, Set<String> only, boolean fullRefresh, Set<String> acceptShrinks) {
        public Options {
            only = Set.copyOf(only);
            acceptShrinks = Set.copyOf(acceptShrinks);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ExportJob.class);

    private final ExporterConfig config;
    private final Options options;
    private final ConfigLoader environment;
    private final TimedProgress progress;
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private PlanPreview preview;

    /** @param environment resolves the {@code ${ENV_VAR}} secrets in destination settings */
    public ExportJob(ExporterConfig config, Options options, ConfigLoader environment, Progress progress) {
        this.config = config;
        this.options = options;
        this.environment = environment;
        this.progress = new TimedProgress(progress);
    }

    /** After a {@code plan} run: the audiences' overlap and the reasons for its removes. */
    public Optional<PlanPreview> preview() {
        return Optional.ofNullable(preview);
    }

    /** Runs the job, writes its report (see {@link ReportFiles}) and {@code rejects.csv}, and returns the report. */
    @SuppressWarnings("try") // the resource is held for the try block, which need not touch it
    public RunReport run() {
        if (options.mode() == Mode.PLAN) {
            return runLocked();
        }
        try (RunLock lock = RunLock.acquire(config.state())) {
            return runLocked();
        }
    }

    /** This run's identity, and when it started: {@code nanoStart} times it. */
    private record Run(String id, Instant started, long nanoStart) {}

    /** What the stages before delivery found. */
    private record Evaluation(
            CustomerTable customers, ActivityStage.Counts activity, List<AudienceResult> results, Hashing hashing) {}

    /** What delivery did, and the guardrails' verdict that bounded it. */
    private record Delivered(DeliveryStage delivery, Guardrails.Verdict guard) {}

    private RunReport runLocked() {
        Run run = new Run(UUID.randomUUID().toString(), Instant.now(), System.nanoTime());
        DestinationContext context = new DestinationContext(
                config.out(), new StateStore(config.state()), options.fullRefresh(), environment);
        boolean plan = options.mode() == Mode.PLAN;
        ReportFiles.ReadAhead history = plan ? null : ReportFiles.readAhead(config.out(), options.asOf());
        RunInputs inputs = RunInputs.open(
                config,
                options.asOf(),
                options.only(),
                plan ? DestinationFactory.offline(context) : new DestinationFactory(context));
        if (plan) {
            List<String> networks = inputs.destinations().stream()
                    .filter(d -> !d.type().equals(FileDestination.TYPE))
                    .map(Destination::id)
                    .toList();
            if (!networks.isEmpty()) {
                log.info(
                        "plan contacts no network: what {} hold is what the sync state in {} says; "
                                + "run check to test their credentials",
                        String.join(", ", networks),
                        config.state());
            }
        }
        try {
            long t = System.nanoTime();
            CustomerStage customerStage =
                    new CustomerStage(inputs.data(), inputs.program(), config.consent(), options.asOf(), progress);
            customerStage.read();
            CustomerTable customers = customerStage.customers();
            CustomerTotals totals =
                    new CustomerTotals(inputs.program(), customers.size(), customerStage.customerFlags());
            ActivityStage.Counts activity = new ActivityStage(
                            inputs.data(),
                            inputs.program(),
                            customers,
                            totals,
                            config.source().threads(),
                            progress)
                    .read();
            inputs.data().close(); // everything is read: a database's transaction ends here, not after delivery
            t = lap("read", t);
            warnMisses(customerStage.misses(), activity);

            customerStage.gate();
            t = lap("gate", t);

            List<AudienceResult> results =
                    SegmentStage.evaluate(inputs.audiences(), inputs.program(), customers, totals, progress);
            t = lap("evaluate", t);

            Evaluation found = new Evaluation(customers, activity, results, hash(inputs, results, customers));
            t = lap("hash", t);

            GuardrailStage guardrails =
                    new GuardrailStage(config.guardrails(), options.acceptShrinks(), config.state());
            Delivered delivered = deliver(run, guardrails, inputs, found);
            lap("deliver", t);
            if (plan) {
                preview = PlanPreviews.of(
                        results,
                        customers,
                        new CustomerHolders(customers, found.hashing().profiles()),
                        delivered.delivery().plans(),
                        inputs.destinations());
            }
            RunReport report = report(run, inputs, found, delivered);
            writeRejects(inputs.data());
            ReportFiles.write(
                    config.out(),
                    config.zone(),
                    config.historyKeepDays(),
                    report,
                    config.out().resolve("rejects.csv"),
                    history);
            if (!plan) {
                guardrails.recordIfCompleted(
                        delivered.guard(), report, found.hashing().exportableCount());
            }
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(config.out() + ": cannot write the report (" + e.getMessage() + ")", e);
        } finally {
            inputs.data().close();
            inputs.destinations().forEach(Destination::close);
        }
    }

    /**
     * Checks the guardrails and delivers; a sync records what it sends in the audit trail, a plan
     * sends nothing and opens none.
     */
    private Delivered deliver(Run run, GuardrailStage guardrails, RunInputs inputs, Evaluation found) {
        boolean send = options.mode() == Mode.SYNC;
        try (AuditTrail trail =
                send ? AuditTrail.open(config.out(), run.id(), run.started(), config.auditKeepDays()) : null) {
            AuditRecorder audit = send
                    ? new AuditRecorder(
                            trail,
                            run.id(),
                            run.started(),
                            options.asOf(),
                            config.consent(),
                            new CustomerHolders(
                                    found.customers(), found.hashing().profiles()))
                    : null;
            DeliveryStage delivery = new DeliveryStage(send, options.only().isEmpty(), found.hashing(), audit);
            if (send) {
                delivery.showProgress(progress);
            }
            return new Delivered(delivery, guardAndDeliver(guardrails, delivery, inputs, found.hashing()));
        }
    }

    /** Names every where value that no row held, with what its column holds instead: most often a typo. */
    private static void warnMisses(List<ValueProbe.Miss> customers, ActivityStage.Counts activity) {
        List<ValueProbe.Miss> misses = new ArrayList<>(customers);
        misses.addAll(activity.orders().misses());
        misses.addAll(activity.events().misses());
        misses.forEach(m -> log.warn("{}", m.message()));
    }

    /** Checks the guardrails on every plan before anything is sent or written, then delivers. */
    private Guardrails.Verdict guardAndDeliver(
            GuardrailStage guardrails, DeliveryStage delivery, RunInputs inputs, Hashing hashing) {
        List<Guardrails.FileRows> files = new ArrayList<>();
        for (InputFile f : InputFile.values()) {
            files.add(new Guardrails.FileRows(
                    f.fileName(),
                    inputs.data().records(f),
                    inputs.data().rejects().count(f)));
        }
        return guardrails.deliver(
                delivery, inputs.destinations(), inputs.audiences(), files, hashing.exportableCount());
    }

    private long lap(String stage, long since) {
        long now = System.nanoTime();
        timings.put(stage, Math.round((now - since) / 1e6) / 1000.0);
        return now;
    }

    /** Hashes of every audience and profile, each set built once. */
    private static final class Hashing implements DeliveryStage.Hashes {
        private final Map<Normalization, ProfileHashes> profiles;
        private final Map<String, int[]> members;
        private final CustomerTable customers;
        private final BitSet exportableCustomers;
        private final Map<String, SortedHashes> exportable = new ConcurrentHashMap<>();
        private final Map<String, SortedHashes> desired = new ConcurrentHashMap<>();

        Hashing(
                Map<Normalization, ProfileHashes> profiles,
                Map<String, int[]> members,
                CustomerTable customers,
                BitSet exportableCustomers) {
            this.profiles = profiles;
            this.members = members;
            this.customers = customers;
            this.exportableCustomers = exportableCustomers;
        }

        @Override
        public SortedHashes desired(AudienceDefinition audience, Normalization profile, boolean signals) {
            int[] selected = members.get(audience.id());
            // meta's digests are basic's: one set, sorted once, for both destinations
            Normalization same = profile.sameFormAs();
            Normalization from =
                    profiles.containsKey(same) && profiles.get(same).coversAll(selected) ? same : profile;
            return desired.computeIfAbsent(
                    audience.id() + "/" + from + (signals ? "/signals" : ""),
                    k -> profiles.get(from).of(signals ? signalled(selected) : selected));
        }

        /** Of these customers, those who granted both of Google's consent signals. */
        private int[] signalled(int[] customerIndexes) {
            return IntStream.of(customerIndexes)
                    .filter(c -> customers.withheld(c) == null)
                    .toArray();
        }

        @Override
        public Map<String, Long> withheld(AudienceDefinition audience) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (int c : members.get(audience.id())) {
                ConsentSignal s = customers.withheld(c);
                if (s != null) {
                    counts.merge(s.notGranted(), 1L, Long::sum);
                }
            }
            return counts;
        }

        /**
         * Every exportable customer's hash (with {@code signals}, of those who granted both of
         * Google's): add-only audiences hashed them all already; for a destination's audiences
         * without a definition they are hashed when first asked for.
         */
        @Override
        public SortedHashes exportable(Normalization profile, boolean signals) {
            return exportable.computeIfAbsent(profile + (signals ? "/signals" : ""), k -> {
                int[] all = signals
                        ? signalled(exportableCustomers.stream().toArray())
                        : exportableCustomers.stream().toArray();
                ProfileHashes hashed = profiles.get(profile);
                if (hashed == null || !hashed.coversAll(all)) {
                    hashed = HashStage.hash(customers, Map.of(profile, exportableCustomers), Progress.NONE)
                            .get(profile);
                }
                return hashed.of(all);
            });
        }

        Map<Normalization, ProfileHashes> profiles() {
            return profiles;
        }

        long exportableCount() {
            return exportableCustomers.cardinality();
        }
    }

    private Hashing hash(RunInputs inputs, List<AudienceResult> results, CustomerTable customers) {
        Map<String, Normalization> profileOf = new HashMap<>();
        inputs.destinations().forEach(d -> profileOf.put(d.id(), d.normalization()));
        BitSet exportable = new BitSet(customers.size());
        for (int i = 0; i < customers.size(); i++) {
            if (customers.verdict(i).isExportable()) {
                exportable.set(i);
            }
        }
        Map<Normalization, BitSet> needed = new EnumMap<>(Normalization.class);
        Map<String, int[]> members = new HashMap<>();
        for (AudienceResult r : results) {
            members.put(r.audience().id(), r.members());
            for (String d : r.audience().destinations()) {
                Normalization p = profileOf.get(d);
                BitSet set = needed.computeIfAbsent(p, k -> new BitSet(customers.size()));
                for (int c : r.members()) {
                    set.set(c);
                }
                if (r.audience().sync() == SyncMode.ADD_ONLY) {
                    // add-only must still remove people who lost consent: it needs everyone's hash
                    set.or(exportable);
                }
            }
        }
        return new Hashing(HashStage.hash(customers, needed, progress), members, customers, exportable);
    }

    private RunReport report(Run run, RunInputs inputs, Evaluation found, Delivered delivered) {
        CustomerTable customers = found.customers();
        DeliveryStage delivery = delivered.delivery();
        Map<String, AudienceReport> audiences = new LinkedHashMap<>();
        for (AudienceResult r : found.results()) {
            audiences.put(
                    r.audience().id(),
                    new AudienceReport(
                            r.inSegment(),
                            r.exported(),
                            GateVerdict.skipCounts(r.skipped()),
                            delivery.deliveries(r.audience().id())));
        }
        Rejects rejects = inputs.data().rejects();
        Map<String, Long> rejected = new LinkedHashMap<>();
        Map<String, SourceReport> sources = new LinkedHashMap<>();
        for (InputFile f : InputFile.values()) {
            int n = rejects.count(f);
            if (n > 0) {
                rejected.put(f.fileName(), (long) n);
            }
            ActivityStage.FileCounts counts = found.activity().of(f);
            boolean activityFile = counts != null;
            sources.put(
                    f.fileName(),
                    new SourceReport(
                            inputs.data().path(f).toString(),
                            inputs.data().has(f),
                            inputs.data().records(f),
                            n,
                            activityFile ? counts.unknownCustomer() : null,
                            activityFile ? counts.afterAsOf() : null,
                            inputs.data().unread(f).isEmpty()
                                    ? null
                                    : inputs.data().unread(f)));
            if (activityFile && inputs.data().has(f) && !counts.read()) {
                log.info(
                        "{}: not read, no selected audience needs it",
                        inputs.data().path(f));
            }
        }
        Map<GateVerdict, Long> verdicts = verdictCounts(customers);
        long exportable = verdicts.remove(GateVerdict.EXPORTABLE);
        CustomerReport customerReport = new CustomerReport(
                inputs.data().records(InputFile.CUSTOMERS),
                rejects.count(InputFile.CUSTOMERS),
                exportable,
                GateVerdict.skipCounts(verdicts));

        Map<String, NormalizationReport> normalization = new LinkedHashMap<>();
        found.hashing()
                .profiles()
                .forEach(
                        (p, h) -> normalization.put(p.configName(), new NormalizationReport(h.hashed(), h.unusable())));

        double seconds = Math.round((System.nanoTime() - run.nanoStart()) / 1e6) / 1000.0;
        Map<String, Double> tasks = new TreeMap<>();
        progress.seconds().forEach((task, s) -> tasks.put(task.replace(' ', '_'), s));
        RunReport report = new RunReport(
                options.asOf().toString(),
                options.mode().name().toLowerCase(Locale.ROOT),
                run.id(),
                run.started().toString(),
                seconds,
                audiences,
                rejected,
                delivery.destinationReports(inputs.destinations()),
                customerReport,
                sources,
                normalization,
                timings,
                tasks,
                delivered.guard().report());
        return delivery.interrupted() ? report.interrupted() : report;
    }

    /**
     * How many customers got each verdict, every verdict named. Counted into an array: a boxed map
     * merge per customer, a million of them on one thread after delivery, was the run's end's largest loop.
     */
    @SuppressWarnings("EnumOrdinal") // the array lives for this count alone
    private static Map<GateVerdict, Long> verdictCounts(CustomerTable customers) {
        long[] counts = new long[GateVerdict.values().length];
        for (int i = 0; i < customers.size(); i++) {
            counts[customers.verdict(i).ordinal()]++;
        }
        Map<GateVerdict, Long> verdicts = new EnumMap<>(GateVerdict.class);
        for (GateVerdict v : GateVerdict.values()) {
            verdicts.put(v, counts[v.ordinal()]);
        }
        return verdicts;
    }

    private void writeRejects(DataSet data) throws IOException {
        Rejects rejects = data.rejects();
        Path file = config.out().resolve("rejects.csv");
        AtomicFiles.write(file, w -> {
            ICSVWriter csv = new CSVWriterBuilder(w).withLineEnd("\n").build();
            csv.writeNext(new String[] {"file", "line", "reason"}, false);
            for (Rejects.Reject r : rejects.all()) {
                csv.writeNext(new String[] {data.name(r.file()), Long.toString(r.line()), r.reason()}, false);
            }
            csv.flush();
        });
        if (rejects.total() > 0) {
            log.warn("{} rows rejected, see {}", rejects.total(), file);
        }
    }
}
