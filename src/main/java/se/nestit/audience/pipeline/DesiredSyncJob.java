package se.nestit.audience.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.desired.DesiredLayout;
import se.nestit.audience.desired.DesiredManifest;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.guardrail.Guardrails;
import se.nestit.audience.report.ReportFiles;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.AudienceLoader;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.sync.RunLock;
import se.nestit.audience.sync.StateStore;

/**
 * {@code sync --desired DIR}: the second step after a Spark build. Brings the network destinations
 * to the desired sets the build wrote, with the same sync engine, state, lock and audit trail as
 * {@code sync}, without reading any input file. File destinations are left alone: the build wrote
 * them.
 */
public final class DesiredSyncJob {

    /**
     * @param dir the build's {@code desired/} directory, on a local disk
     * @param only the audiences to sync; empty for every one the build computed
     * @param acceptShrinks audiences whose shrink this run lets through the guardrail
     */
    public record Options(Path dir, Set<String> only, boolean fullRefresh, Set<String> acceptShrinks) {
        public Options {
            only = Set.copyOf(only);
            acceptShrinks = Set.copyOf(acceptShrinks);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DesiredSyncJob.class);

    private final ExporterConfig config;
    private final Options options;
    private final ConfigLoader environment;

    public DesiredSyncJob(ExporterConfig config, Options options, ConfigLoader environment) {
        this.config = config;
        this.options = options;
        this.environment = environment;
    }

    /** Syncs, writes its report to the output directory (see {@link ReportFiles}) and returns the report. */
    @SuppressWarnings("try") // the resource is held for the try block, which need not touch it
    public RunReport run() {
        config.requireSignalsOnTheGatePurpose("sync --desired");
        DesiredManifest manifest = DesiredManifest.read(options.dir());
        List<AudienceDefinition> audiences = audiences(manifest);
        try (RunLock lock = RunLock.acquire(config.state())) {
            return runLocked(manifest, audiences);
        }
    }

    private RunReport runLocked(DesiredManifest manifest, List<AudienceDefinition> audiences) {
        Instant started = Instant.now();
        String runId = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        Instant asOf = Instant.parse(manifest.asOf());
        DestinationContext context = new DestinationContext(
                config.out(), new StateStore(config.state()), options.fullRefresh(), environment);
        List<Destination> all = new DestinationFactory(context).create(config.destinations());
        try {
            List<Destination> networks = all.stream()
                    .filter(d -> !d.type().equals(FileDestination.TYPE))
                    .toList();
            checkDestinations(manifest, networks);
            RunReport report;
            GuardrailStage guardrails =
                    new GuardrailStage(config.guardrails(), options.acceptShrinks(), config.state());
            Guardrails.Verdict guard;
            try (AuditTrail trail = AuditTrail.open(config.out(), runId, started, config.auditKeepDays())) {
                AuditRecorder audit = new AuditRecorder(
                        trail, runId, started, asOf, config.consent(), new DesiredHolders(options.dir()));
                DeliveryStage delivery = new DeliveryStage(
                        true,
                        options.only().isEmpty() && manifest.only().isEmpty(),
                        new DesiredSets(options.dir(), manifest),
                        audit);
                guard = guardrails.deliver(
                        delivery,
                        networks,
                        audiences,
                        files(manifest),
                        manifest.customers().exportable());
                Map<String, AudienceReport> byAudience = new LinkedHashMap<>();
                for (AudienceDefinition a : audiences) {
                    DesiredManifest.AudienceCounts counts = manifest.audiences().get(a.id());
                    byAudience.put(
                            a.id(),
                            new AudienceReport(
                                    counts.inSegment(),
                                    counts.exported(),
                                    counts.skipped(),
                                    delivery.deliveries(a.id())));
                }
                double seconds = Math.round((System.nanoTime() - t0) / 1e6) / 1000.0;
                report = new RunReport(
                        asOf.toString(),
                        "sync",
                        runId,
                        started.toString(),
                        seconds,
                        byAudience,
                        manifest.rejected(),
                        delivery.destinationReports(networks),
                        manifest.customers(),
                        null,
                        null,
                        Map.of("deliver", seconds),
                        new TreeMap<>(),
                        guard.report());
                report = delivery.interrupted() ? report.interrupted() : report;
            }
            ReportFiles.write(config.out(), config.zone(), config.historyKeepDays(), report, null);
            guardrails.recordIfCompleted(guard, report, manifest.customers().exportable());
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(config.out() + ": cannot write the report (" + e.getMessage() + ")", e);
        } finally {
            all.forEach(Destination::close);
        }
    }

    /**
     * The input files' rows as the build read them, for the rejected-rows guardrail: a broken
     * export the build read must not reach the networks either. A manifest of a build that did not
     * count its rows gives none, and that guardrail is not checked.
     */
    private static List<Guardrails.FileRows> files(DesiredManifest manifest) {
        if (manifest.records() == null) {
            log.warn(
                    "{}: the build did not count the rows it read; the rejected-rows guardrail is not checked",
                    DesiredManifest.FILE);
            return List.of();
        }
        List<Guardrails.FileRows> files = new ArrayList<>();
        manifest.records()
                .forEach((file, records) -> files.add(new Guardrails.FileRows(
                        file, records, manifest.rejected().getOrDefault(file, 0L))));
        return files;
    }

    /** The definitions the build evaluated, checked against the headers it read and this config's destinations. */
    private List<AudienceDefinition> audiences(DesiredManifest manifest) {
        Map<InputFile, Header> headers = Header.all(
                f -> Path.of(f.fileName()),
                f -> {
                    List<String> cells = manifest.headers().get(f.fileName());
                    return cells == null ? null : cells.toArray(String[]::new);
                },
                config.columns());
        List<AudienceDefinition> built = new AudienceLoader(config.destinationIds(), headers::get)
                .loadAll(options.dir().resolve(DesiredLayout.AUDIENCES));
        Set<String> ids = built.stream().map(AudienceDefinition::id).collect(Collectors.toSet());
        if (!ids.equals(manifest.audiences().keySet())) {
            throw new DefinitionException(
                    options.dir() + ": the audience definitions do not match the manifest; build again");
        }
        return AudienceLoader.select(built, options.only());
    }

    private void checkDestinations(DesiredManifest manifest, List<Destination> networks) {
        Map<String, String> configured = new TreeMap<>();
        networks.forEach(d -> configured.put(d.id(), d.normalization().configName()));
        if (!configured.equals(new TreeMap<>(manifest.destinations()))) {
            throw new DefinitionException(options.dir() + ": built for the network destinations "
                    + manifest.destinations() + " but the config has " + configured + "; build again with this config");
        }
    }
}
