package se.nestit.audience.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import se.nestit.audience.report.VerifyReport.Consent;
import se.nestit.audience.report.VerifyReport.Customer;
import se.nestit.audience.report.VerifyReport.Finding;
import se.nestit.audience.report.VerifyReport.Holder;
import se.nestit.audience.report.VerifyReport.Offending;
import se.nestit.audience.report.VerifyReport.Sent;
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
        Map<Sending, Suspect> held = new LinkedHashMap<>();
        List<Suspect> unreadable = new ArrayList<>();
        StateStore store = new StateStore(config.state());
        for (Map.Entry<DestinationSettings, Normalization> d : destinations.entrySet()) {
            String id = d.getKey().id();
            ProfileHashes profile = hashes.get(d.getValue());
            boolean signals = DestinationFactory.needsConsentSignals(d.getKey().type());
            if (d.getKey().type().equals(FileDestination.TYPE)) {
                FileDestination files = new FileDestination(id, d.getValue(), config.out());
                for (String audience : selected(files.heldAudiences())) {
                    Path file = files.file(audience);
                    check(
                            "file",
                            id,
                            audience,
                            file.toString(),
                            read(file),
                            SortedHashes.empty(),
                            profile,
                            false,
                            customers,
                            checked,
                            held);
                }
            } else {
                for (String audience : selected(store.audiences(id))) {
                    AudienceState state;
                    try {
                        state = store.load(id, audience);
                    } catch (StateException e) {
                        unreadable.add(new Suspect(
                                "state",
                                new Sending(id, audience, ""),
                                List.of(new Failing("", "state_unreadable", null))));
                        continue;
                    }
                    SortedHashes removing = SortedHashes.empty();
                    for (PendingOperation p : state.pending()) {
                        if (p.kind() == PendingOperation.Kind.REMOVE) {
                            removing = removing.plus(p.hashes());
                        }
                    }
                    check(
                            "state",
                            id,
                            audience,
                            store.file(id, audience).toString(),
                            state.expected().plus(state.confirmed()),
                            removing,
                            profile,
                            signals,
                            customers,
                            checked,
                            held);
                }
            }
        }
        Map<Sending, AuditEntry> sent = new HashMap<>();
        List<Suspect> unlawful = new ArrayList<>();
        AuditCheck audit = checkAuditTrail(held.keySet(), sent, unlawful);

        Findings findings = new Findings();
        for (Suspect h : held.values()) {
            AuditEntry by = sent.get(h.at());
            findings.add(h, kind(h, by), by);
        }
        unlawful.forEach(u -> findings.add(u, VerifyReport.NEVER_ALLOWED, u.sentBy()));
        unreadable.forEach(u -> findings.add(u, VerifyReport.NEVER_ALLOWED, null));
        VerifyReport report = new VerifyReport(
                asOf.toString(), findings.status(), checked, audit, findings.offending(), findings.findings());
        try {
            ReportWriter.write(config.out().resolve("verify.json"), report);
            ReportFiles.keepVerify(config.out(), config.historyKeepDays(), started, report);
        } catch (IOException e) {
            throw new UncheckedIOException(config.out() + ": cannot write verify.json (" + e.getMessage() + ")", e);
        }
        return report;
    }

    /** A hash at one destination and audience. */
    private record Sending(String destination, String audience, String hash) {}

    /**
     * A customer behind a hash that may not be there, why, and the consent record that decided it
     * (for a consent signal withheld at Google, that signal's record); null when there is none.
     */
    private record Failing(String customerId, String reason, ConsentRecord record) {}

    /** A hash that may not be where a check found it; for the audit, with the entry that sent it. */
    private record Suspect(String check, Sending at, List<Failing> customers, AuditEntry sentBy) {
        Suspect(String check, Sending at, List<Failing> customers) {
            this(check, at, customers, null);
        }
    }

    private void check(
            String kind,
            String destination,
            String audience,
            String source,
            SortedHashes held,
            SortedHashes removing,
            ProfileHashes profile,
            boolean signals,
            CustomerTable customers,
            Map<String, Map<String, Checked>> checked,
            Map<Sending, Suspect> suspects) {
        long bad = 0;
        long owed = 0;
        for (int i = 0; i < held.size(); i++) {
            byte[] digest = held.get(i);
            List<Failing> holders = holders(profile, digest, signals, customers);
            if (holders == null) {
                continue;
            }
            if (removing.contains(digest)) {
                owed++;
            } else {
                bad++;
                Sending at = new Sending(destination, audience, held.hex(i));
                suspects.put(at, new Suspect(kind, at, holders));
            }
        }
        checked.computeIfAbsent(destination, k -> new LinkedHashMap<>())
                .put(audience, new Checked(source, held.size(), held.size() - bad - owed, owed, bad));
    }

    /**
     * Null when a consented customer stands behind the digest (at a Google destination, one who
     * also granted both consent signals), else who carries it, why they fail and the record that
     * decided it.
     */
    private static List<Failing> holders(
            ProfileHashes profile, byte[] digest, boolean signals, CustomerTable customers) {
        int[] found = profile.customersWith(digest);
        List<Failing> holders = new ArrayList<>();
        for (int c : found) {
            GateVerdict v = customers.verdict(c);
            ConsentSignal withheld = v.isExportable() && signals ? customers.withheld(c) : null;
            if (v.isExportable() && withheld == null) {
                return null;
            }
            holders.add(
                    withheld != null
                            ? new Failing(customers.id(c), withheld.notGranted(), customers.signalConsent(withheld, c))
                            : new Failing(customers.id(c), v.code(), customers.consent(c)));
        }
        if (holders.isEmpty()) {
            holders.add(new Failing("", UNKNOWN, null));
        }
        return holders;
    }

    /**
     * A held hash's consent changed since it was sent when the trail's add of it had a valid
     * consent at its run and, for one customer it named so, the inputs show no record in force
     * already then that forbade it. Without such an add nothing proves it was ever allowed.
     */
    private static String kind(Suspect held, AuditEntry sent) {
        if (sent == null) {
            return VerifyReport.NEVER_ALLOWED;
        }
        for (AuditEntry.Holder proving : sent.customers()) {
            if (problem(sent, proving) != null) {
                continue;
            }
            Failing now = held.customers().stream()
                    .filter(f -> f.customerId().equals(proving.customerId()))
                    .findFirst()
                    .orElse(null);
            if (now == null || !inForceWhenSent(now, sent)) {
                return VerifyReport.CHANGED;
            }
        }
        return VerifyReport.NEVER_ALLOWED;
    }

    /**
     * Whether what keeps a customer out now already did when the hash was sent: a withdrawal or
     * denial recorded by then, a grant already too old then, or a consents.csv row that cannot be
     * read (whose date cannot be trusted either).
     */
    private static boolean inForceWhenSent(Failing now, AuditEntry sent) {
        if (now.reason().equals(GateVerdict.CONSENT_UNREADABLE.code())) {
            return true;
        }
        ConsentRecord record = now.record();
        if (record == null || record.recordedAt().isAfter(sent.asOf())) {
            return false;
        }
        return record.status() != ConsentStatus.GRANTED
                || !record.recordedAt().isAfter(sent.asOf().minus(Duration.ofDays(sent.maxAgeDays())));
    }

    /**
     * Every add the trail holds must have had a granted consent, fresh at its run's as_of; at a
     * Google destination, so must each consent signal on its purpose. Also finds, for each held
     * hash in {@code wanted}, the latest add that sent it.
     */
    private AuditCheck checkAuditTrail(Set<Sending> wanted, Map<Sending, AuditEntry> sent, List<Suspect> unlawful) {
        long[] adds = {0};
        long[] bad = {0};
        AuditReader.read(config.out(), e -> {
            if (!e.operation().equals("add") || !(only.isEmpty() || only.contains(e.audience()))) {
                return;
            }
            adds[0]++;
            Sending at = new Sending(e.destination(), e.audience(), e.hash());
            if (!e.outcome().equals("refused") && wanted.contains(at)) {
                sent.put(at, e);
            }
            List<Failing> why = new ArrayList<>();
            for (AuditEntry.Holder h : e.customers()) {
                String reason = problem(e, h);
                if (reason == null) {
                    return;
                }
                ConsentRecord record = h.consent();
                for (ConsentSignal s : ConsentSignal.values()) {
                    if (reason.equals(s.notGranted())) {
                        record = h.signals().get(s);
                    }
                }
                why.add(new Failing(h.customerId(), reason, record));
            }
            if (why.isEmpty()) {
                why.add(new Failing("", UNKNOWN, null));
            }
            bad[0]++;
            unlawful.add(new Suspect("audit", at, why, e));
        });
        return new AuditCheck(AuditTrail.files(config.out()).size(), adds[0], bad[0]);
    }

    /** Null when the holder's consent allowed the entry at its run, else what was wrong with it. */
    private static String problem(AuditEntry e, AuditEntry.Holder h) {
        String reason = consentProblem(e, e.purpose(), h.consent());
        for (ConsentSignal s : ConsentSignal.values()) {
            if (reason == null
                    && e.signalPurposes().containsKey(s)
                    && consentProblem(e, e.signalPurposes().get(s), h.signals().get(s)) != null) {
                reason = s.notGranted();
            }
        }
        return reason;
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

    /**
     * The report's offending hashes and its findings: one finding per kind, audience, run that
     * sent it and customers (with their reasons and records), the destinations grouped.
     */
    private static final class Findings {
        private final List<Offending> offending = new ArrayList<>();
        private final Map<Key, Group> groups = new LinkedHashMap<>();

        private record Key(String kind, String audience, String runId, List<Failing> customers, String action) {}

        private static final class Group {
            final AuditEntry sent;
            final Set<String> destinations = new LinkedHashSet<>();
            final Set<String> checks = new LinkedHashSet<>();
            final Map<String, String> hashes = new LinkedHashMap<>();

            Group(AuditEntry sent) {
                this.sent = sent;
            }
        }

        void add(Suspect s, String kind, AuditEntry sent) {
            offending.add(new Offending(
                    s.check(),
                    s.at().destination(),
                    s.at().audience(),
                    s.at().hash(),
                    s.check().equals("audit") ? sent.runId() : null,
                    kind,
                    s.customers().stream()
                            .map(f -> new Holder(f.customerId(), f.reason()))
                            .toList()));
            Key key = new Key(
                    kind, s.at().audience(), sent == null ? "" : sent.runId(), s.customers(), action(s, kind, sent));
            Group g = groups.computeIfAbsent(key, k -> new Group(sent));
            g.destinations.add(s.at().destination());
            g.checks.add(s.check());
            if (!s.at().hash().isEmpty()) {
                g.hashes.putIfAbsent(s.at().destination(), s.at().hash());
            }
        }

        List<Offending> offending() {
            return offending;
        }

        List<Finding> findings() {
            List<Finding> out = new ArrayList<>();
            groups.forEach((key, g) -> out.add(new Finding(
                    key.kind(),
                    key.audience(),
                    List.copyOf(g.destinations),
                    List.copyOf(g.checks),
                    key.customers().stream()
                            .map(f -> new Customer(f.customerId(), f.reason(), consent(f.record())))
                            .toList(),
                    g.hashes,
                    g.sent == null
                            ? null
                            : new Sent(
                                    g.sent.runId(),
                                    g.sent.time().toString(),
                                    g.sent.asOf().toString()),
                    key.action())));
            return out;
        }

        String status() {
            if (offending.isEmpty()) {
                return "ok";
            }
            return offending.stream().allMatch(o -> o.kind().equals(VerifyReport.CHANGED)) ? "changed" : "failed";
        }

        private static Consent consent(ConsentRecord r) {
            return r == null
                    ? null
                    : new Consent(
                            r.purpose(), r.status().code(), r.recordedAt().toString(), r.source(), r.brand(), r.line());
        }

        private static String action(Suspect s, String kind, AuditEntry sent) {
            if (kind.equals(VerifyReport.CHANGED)) {
                return "nothing to undo: the consent changed after the hash was sent; the next sync removes it";
            }
            if (s.customers().get(0).reason().equals("state_unreadable")) {
                return "the sync state cannot be read: restore it from a backup, then verify again";
            }
            if (s.check().equals("audit")) {
                return "sent without a valid consent: report it to the privacy officer; a sync removes it where it is still held";
            }
            if (sent == null) {
                return "held, and no add in the audit trail proves a consent when it was sent: sync now to remove it, and report it";
            }
            return "a record that forbids it was in force when it was sent, though consents.csv did not have it at that run: "
                    + "sync now to remove it, and report it";
        }
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
