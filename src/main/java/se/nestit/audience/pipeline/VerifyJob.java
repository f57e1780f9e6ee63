package se.nestit.audience.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditReader;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.ReportFiles;
import se.nestit.audience.report.ReportWriter;
import se.nestit.audience.report.VerifyReport;
import se.nestit.audience.report.VerifyReport.AuditCheck;
import se.nestit.audience.report.VerifyReport.Checked;
import se.nestit.audience.report.VerifyReport.Holder;
import se.nestit.audience.report.VerifyReport.Offending;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputException;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.PendingOperation;
import se.nestit.audience.sync.StateException;
import se.nestit.audience.sync.StateStore;

/**
 * The privacy officer's check. It re-reads the inputs and runs the consent gate at
 * {@code as_of}, then proves three things: every hash in the file destinations' files belongs to
 * at least one customer who passes the gate; so does every hash a network destination's sync
 * state says the network holds, unless a running job still owes its remove; and every add in the
 * audit trail had a granted, unexpired consent at the time its run evaluated. Every audience
 * directory and state is checked, including those of audiences whose definition has since been
 * deleted. It reads only: no credentials are needed, nothing is sent.
 */
public final class VerifyJob {

    private static final String UNKNOWN = "no_customer_has_this_hash";

    private final ExporterConfig config;
    private final Instant asOf;
    private final Set<String> only;
    private final Progress progress;

    public VerifyJob(ExporterConfig config, Instant asOf, Set<String> only, Progress progress) {
        this.config = config;
        this.asOf = asOf;
        this.only = Set.copyOf(only);
        this.progress = progress;
    }

    public VerifyReport run() {
        Instant started = Instant.now();
        Map<DestinationSettings, Normalization> destinations = new LinkedHashMap<>();
        config.destinations().forEach(d -> destinations.put(d, DestinationFactory.normalization(d)));
        CustomerStage stage;
        try (DataSet data = InputData.open(config)) {
            SegmentProgram noRules = SegmentProgram.compile(List.<AudienceDefinition>of(), data::header, asOf);
            stage = new CustomerStage(data, noRules, config.consent(), asOf, progress);
            stage.read();
        }
        stage.gate();
        CustomerTable customers = stage.customers();
        Map<Normalization, ProfileHashes> hashes = hashEveryone(customers, destinations.values());

        Map<String, Map<String, Checked>> checked = new LinkedHashMap<>();
        List<Offending> offending = new ArrayList<>();
        StateStore store = new StateStore(config.state());
        for (Map.Entry<DestinationSettings, Normalization> d : destinations.entrySet()) {
            String id = d.getKey().id();
            ProfileHashes profile = hashes.get(d.getValue());
            boolean signals = DestinationFactory.needsConsentSignals(d.getKey().type());
            if (d.getKey().type().equals(FileDestination.TYPE)) {
                FileDestination files = new FileDestination(id, d.getValue(), config.out());
                for (String audience : selected(files.heldAudiences())) {
                    Path file = files.file(audience);
                    check("file", id, audience, file.toString(), read(file), SortedHashes.empty(), profile, false, customers,
                            checked, offending);
                }
            } else {
                for (String audience : selected(store.audiences(id))) {
                    AudienceState state;
                    try {
                        state = store.load(id, audience);
                    } catch (StateException e) {
                        offending.add(new Offending("state", id, audience, "", null, List.of(new Holder("", "state_unreadable"))));
                        continue;
                    }
                    SortedHashes removing = SortedHashes.empty();
                    for (PendingOperation p : state.pending()) {
                        if (p.kind() == PendingOperation.Kind.REMOVE) {
                            removing = removing.plus(p.hashes());
                        }
                    }
                    check("state", id, audience, store.file(id, audience).toString(), state.expected().plus(state.confirmed()),
                            removing, profile, signals, customers, checked, offending);
                }
            }
        }
        AuditCheck audit = checkAuditTrail(offending);
        VerifyReport report = new VerifyReport(asOf.toString(), offending.isEmpty() ? "ok" : "failed", checked, audit, offending);
        try {
            ReportWriter.write(config.out().resolve("verify.json"), report);
            ReportFiles.keepVerify(config.out(), config.historyKeepDays(), started, report);
        } catch (IOException e) {
            throw new UncheckedIOException(config.out() + ": cannot write verify.json (" + e.getMessage() + ")", e);
        }
        return report;
    }

    private void check(String kind, String destination, String audience, String source, SortedHashes held,
            SortedHashes removing, ProfileHashes profile, boolean signals, CustomerTable customers,
            Map<String, Map<String, Checked>> checked, List<Offending> offending) {
        long bad = 0;
        long owed = 0;
        for (int i = 0; i < held.size(); i++) {
            byte[] digest = held.get(i);
            List<Holder> holders = holders(profile, digest, signals, customers);
            if (holders == null) {
                continue;
            }
            if (removing.contains(digest)) {
                owed++;
            } else {
                bad++;
                offending.add(new Offending(kind, destination, audience, held.hex(i), null, holders));
            }
        }
        checked.computeIfAbsent(destination, k -> new LinkedHashMap<>())
                .put(audience, new Checked(source, held.size(), held.size() - bad - owed, owed, bad));
    }

    /**
     * Null when a consented customer stands behind the digest (at a Google destination, one who
     * also granted both consent signals), else who carries it and why they fail.
     */
    private static List<Holder> holders(ProfileHashes profile, byte[] digest, boolean signals, CustomerTable customers) {
        int[] found = profile.customersWith(digest);
        List<Holder> holders = new ArrayList<>();
        for (int c : found) {
            GateVerdict v = customers.verdict(c);
            ConsentSignal withheld = v.isExportable() && signals ? customers.withheld(c) : null;
            if (v.isExportable() && withheld == null) {
                return null;
            }
            holders.add(new Holder(customers.id(c), withheld != null ? withheld.notGranted() : v.code()));
        }
        if (holders.isEmpty()) {
            holders.add(new Holder("", UNKNOWN));
        }
        return holders;
    }

    /**
     * Every add the trail holds must have had a granted consent, fresh at its run's as_of; at a
     * Google destination, so must each consent signal on its purpose.
     */
    private AuditCheck checkAuditTrail(List<Offending> offending) {
        long[] adds = {0};
        long[] bad = {0};
        AuditReader.read(config.out(), e -> {
            if (!e.operation().equals("add") || !(only.isEmpty() || only.contains(e.audience()))) {
                return;
            }
            adds[0]++;
            List<Holder> why = new ArrayList<>();
            for (AuditEntry.Holder h : e.customers()) {
                String reason = consentProblem(e, e.purpose(), h.consent());
                for (ConsentSignal s : ConsentSignal.values()) {
                    if (reason == null && e.signalPurposes().containsKey(s)
                            && consentProblem(e, e.signalPurposes().get(s), h.signals().get(s)) != null) {
                        reason = s.notGranted();
                    }
                }
                if (reason == null) {
                    return;
                }
                why.add(new Holder(h.customerId(), reason));
            }
            if (why.isEmpty()) {
                why.add(new Holder("", UNKNOWN));
            }
            bad[0]++;
            offending.add(new Offending("audit", e.destination(), e.audience(), e.hash(), e.runId(), why));
        });
        return new AuditCheck(AuditTrail.files(config.out()).size(), adds[0], bad[0]);
    }

    /** Null when the consent of this purpose allowed the add at the entry's as_of, else what was wrong with it. */
    private static String consentProblem(AuditEntry e, String purpose, ConsentRecord consent) {
        if (consent == null) {
            return "consent_missing";
        }
        if (!consent.purpose().equalsIgnoreCase(purpose)) {
            return "consent_for_another_purpose";
        }
        if (consent.recordedAt().isAfter(e.asOf())) {
            return "consent_recorded_after_the_run";
        }
        if (consent.status() != ConsentStatus.GRANTED) {
            return "consent_" + consent.status().code();
        }
        if (!consent.recordedAt().isAfter(e.asOf().minus(Duration.ofDays(e.maxAgeDays())))) {
            return "consent_expired";
        }
        return null;
    }

    /** Every customer with a usable email, hashed in each profile the destinations use. */
    private Map<Normalization, ProfileHashes> hashEveryone(CustomerTable customers, Iterable<Normalization> profiles) {
        BitSet withEmail = new BitSet(customers.size());
        for (int i = 0; i < customers.size(); i++) {
            GateVerdict v = customers.verdict(i);
            if (v != GateVerdict.NO_EMAIL && v != GateVerdict.INVALID_EMAIL) {
                withEmail.set(i);
            }
        }
        Map<Normalization, BitSet> needed = new EnumMap<>(Normalization.class);
        profiles.forEach(p -> needed.put(p, withEmail));
        return HashStage.hash(customers, needed, progress);
    }

    private List<String> selected(List<String> audiences) {
        return audiences.stream()
                .filter(a -> AudienceDefinition.ID.matcher(a).matches())
                .filter(a -> only.isEmpty() || only.contains(a))
                .toList();
    }

    private static SortedHashes read(Path file) {
        try {
            return FileDestination.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(file + ": not a file this job wrote (" + e.getMessage() + ")", e);
        }
    }
}
