package se.nestit.audience.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.ReportWriter;
import se.nestit.audience.report.VerifyReport;
import se.nestit.audience.report.VerifyReport.Checked;
import se.nestit.audience.report.VerifyReport.Holder;
import se.nestit.audience.report.VerifyReport.Offending;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.Rejects;
import se.nestit.audience.source.Timestamps;
import se.nestit.audience.sync.StateStore;

/**
 * The privacy officer's check: re-reads the inputs, runs the consent gate at {@code as_of}, and
 * proves that every hash a destination holds belongs to at least one customer who passes it. Every
 * audience directory under the output directory is checked, including those of audiences whose
 * definition has since been deleted.
 */
public final class VerifyJob {

    private static final Logger log = LoggerFactory.getLogger(VerifyJob.class);
    private static final String UNKNOWN = "no_customer_has_this_hash";

    private final ExporterConfig config;
    private final Instant asOf;
    private final Set<String> only;
    private final ConfigLoader environment;
    private final Progress progress;

    public VerifyJob(ExporterConfig config, Instant asOf, Set<String> only, ConfigLoader environment, Progress progress) {
        this.config = config;
        this.environment = environment;
        this.asOf = asOf;
        this.only = Set.copyOf(only);
        this.progress = progress;
    }

    public VerifyReport run() {
        List<Destination> destinations = new DestinationFactory(new DestinationContext(config.out(),
                new StateStore(config.state()), false, environment)).create(config.destinations());
        DataSet data = DataSet.open(config.data(), config.columns(), new Timestamps(config.zone()), new Rejects());
        SegmentProgram noRules = SegmentProgram.compile(List.<AudienceDefinition>of(), data::header, asOf);
        CustomerStage stage = new CustomerStage(data, noRules, config.consent(), asOf, progress);
        stage.read();
        stage.gate();
        CustomerTable customers = stage.customers();

        Map<Normalization, ProfileHashes> hashes = hashEveryone(customers, destinations);
        Map<String, Map<String, Checked>> checked = new LinkedHashMap<>();
        List<Offending> offending = new ArrayList<>();
        for (Destination d : destinations) {
            if (!(d instanceof FileDestination files)) {
                continue;
            }
            ProfileHashes profile = hashes.get(d.normalization());
            for (String audience : audienceDirectories()) {
                Path file = files.file(audience);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                SortedHashes held = read(file);
                long bad = 0;
                for (int i = 0; i < held.size(); i++) {
                    List<Holder> holders = holders(profile, held.get(i), customers);
                    if (holders != null) {
                        bad++;
                        offending.add(new Offending(d.id(), audience, held.hex(i), holders));
                    }
                }
                checked.computeIfAbsent(d.id(), k -> new LinkedHashMap<>())
                        .put(audience, new Checked(file.toString(), held.size(), held.size() - bad, bad));
            }
        }
        VerifyReport report = new VerifyReport(asOf.toString(), offending.isEmpty() ? "ok" : "failed", checked, offending);
        try {
            ReportWriter.write(config.out().resolve("verify.json"), report);
        } catch (IOException e) {
            throw new UncheckedIOException(config.out() + ": cannot write verify.json (" + e.getMessage() + ")", e);
        }
        return report;
    }

    /** Null when a consented customer stands behind the digest, else who carries it and why they fail. */
    private static List<Holder> holders(ProfileHashes profile, byte[] digest, CustomerTable customers) {
        int[] found = profile.customersWith(digest);
        List<Holder> holders = new ArrayList<>();
        for (int c : found) {
            GateVerdict v = customers.verdict(c);
            if (v.isExportable()) {
                return null;
            }
            holders.add(new Holder(customers.id(c), v.code()));
        }
        if (holders.isEmpty()) {
            holders.add(new Holder("", UNKNOWN));
        }
        return holders;
    }

    /** Every customer with a usable email, hashed in each profile a file destination uses. */
    private Map<Normalization, ProfileHashes> hashEveryone(CustomerTable customers, List<Destination> destinations) {
        BitSet withEmail = new BitSet(customers.size());
        for (int i = 0; i < customers.size(); i++) {
            GateVerdict v = customers.verdict(i);
            if (v != GateVerdict.NO_EMAIL && v != GateVerdict.INVALID_EMAIL) {
                withEmail.set(i);
            }
        }
        Map<Normalization, BitSet> needed = new EnumMap<>(Normalization.class);
        destinations.forEach(d -> needed.put(d.normalization(), withEmail));
        return HashStage.hash(customers, needed, progress);
    }

    private List<String> audienceDirectories() {
        if (!Files.isDirectory(config.out())) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(config.out())) {
            return list.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> AudienceDefinition.ID.matcher(name).matches())
                    .filter(name -> only.isEmpty() || only.contains(name))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(config.out() + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static SortedHashes read(Path file) {
        try {
            return FileDestination.read(file);
        } catch (IOException | IllegalArgumentException e) {
            log.error("{}: cannot read ({})", file, e.getMessage());
            throw new se.nestit.audience.source.InputException(file + ": not a file this job wrote (" + e.getMessage() + ")", e);
        }
    }
}
