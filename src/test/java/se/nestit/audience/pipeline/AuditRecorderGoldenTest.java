package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditReader;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.sync.TestHashes;

/**
 * The trail's bytes for a small but varied run, captured from the writer of format 2 as it was
 * first released: any faster writer must give the same bytes, which {@code verify} reads.
 */
class AuditRecorderGoldenTest {

    private static final Instant TIME = Instant.parse("2026-11-22T03:04:05.678Z");
    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path out;

    @Test
    void aVariedRunWritesTheSameBytesAsTheFirstWriterOfFormat2() throws IOException {
        Path file = writeRun();

        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/audit/golden-trail.jsonl")) {
            golden = in.readAllBytes();
        }
        assertEquals(new String(golden, StandardCharsets.UTF_8), Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void theVariedRunReadsBackWithEveryHashAndItsHolders() {
        writeRun();

        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);

        // files: 4 adds + 1 remove, twice; google: 2 adds + 2 refused + 2 pending; meta: 1 add + 1 remove
        assertEquals(10 + 6 + 2, read.size());
        AuditEntry shared = read.stream()
                .filter(e -> e.destination().equals("files")
                        && e.hash().equals(hex(Normalization.BASIC, "shared@example.se")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("C1", "C2"),
                shared.customers().stream().map(AuditEntry.Holder::customerId).toList());
        AuditEntry gmail = read.stream()
                .filter(e -> e.destination().equals("google")
                        && e.operation().equals("add")
                        && e.outcome().equals("confirmed")
                        && e.hash().equals(hex(Normalization.GOOGLE, "bob.smith@gmail.com")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("C3", "C4"),
                gmail.customers().stream().map(AuditEntry.Holder::customerId).toList());
        assertEquals("ads", gmail.signalPurposes().get(ConsentSignal.AD_PERSONALIZATION));
        assertEquals(
                "ads",
                gmail.customers()
                        .get(0)
                        .signals()
                        .get(ConsentSignal.AD_PERSONALIZATION)
                        .purpose());
    }

    /** Several destinations, profiles and outcomes, one after the other, as one destination at a time sends them. */
    private Path writeRun() {
        CustomerTable customers = new CustomerTable();
        String[][] rows = {
            {"C1", "shared@example.se"},
            {"C2", " Shared@Example.se "},
            {"C3", "bob.smith@gmail.com"},
            {"C4", "bobsmith@gmail.com"},
            {"C5", "gone@example.se"},
            {"C\"6 é", "quote@example.se"},
            {"C7", "nosignal@example.se"},
            {"C8", "unknown-consent@example.se"}
        };
        for (int i = 0; i < rows.length; i++) {
            customers.add(rows[i][0], rows[i][1], i + 2);
        }
        GateVerdict[] verdicts = {
            GateVerdict.EXPORTABLE,
            GateVerdict.EXPORTABLE,
            GateVerdict.EXPORTABLE,
            GateVerdict.EXPORTABLE,
            GateVerdict.CONSENT_WITHDRAWN,
            GateVerdict.EXPORTABLE,
            GateVerdict.EXPORTABLE,
            GateVerdict.CONSENT_MISSING
        };
        ConsentRecord[] consents = new ConsentRecord[rows.length];
        ConsentRecord[] ads = new ConsentRecord[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (verdicts[i] == GateVerdict.CONSENT_MISSING) {
                continue;
            }
            ConsentStatus status =
                    verdicts[i] == GateVerdict.EXPORTABLE ? ConsentStatus.GRANTED : ConsentStatus.WITHDRAWN;
            consents[i] = new ConsentRecord(
                    rows[i][0],
                    "marketing",
                    status,
                    TIME.minusSeconds(86_400L * (i + 1)),
                    i % 2 == 0 ? "web" : "shop \"north\"",
                    i % 3 == 0 ? "" : "brand-" + i,
                    100 + i);
            if (i != 6) {
                ads[i] = new ConsentRecord(
                        rows[i][0],
                        "ads",
                        ConsentStatus.GRANTED,
                        TIME.minusSeconds(3600L * (i + 1)),
                        "app",
                        "",
                        200 + i);
            }
        }
        customers.setGate(verdicts, i -> consents[i]);
        customers.setSignals(new ConsentSignal[rows.length], Map.of(ConsentSignal.AD_PERSONALIZATION, i -> ads[i]));

        BitSet exportable = new BitSet();
        for (int i = 0; i < rows.length; i++) {
            if (verdicts[i] == GateVerdict.EXPORTABLE) {
                exportable.set(i);
            }
        }
        Map<Normalization, BitSet> needed = new EnumMap<>(Normalization.class);
        needed.put(Normalization.BASIC, exportable);
        needed.put(Normalization.GOOGLE, exportable);
        CustomerHolders holders = new CustomerHolders(customers, HashStage.hash(customers, needed, Progress.NONE));
        ConsentPolicy policy =
                new ConsentPolicy("marketing", 395, Optional.empty(), Map.of(ConsentSignal.AD_PERSONALIZATION, "ads"));

        SortedHashes basicAdds = hashes(
                Normalization.BASIC,
                "shared@example.se",
                "bob.smith@gmail.com",
                "quote@example.se",
                "nosignal@example.se");
        try (AuditTrail trail = AuditTrail.open(out, "run-1", TIME, 30)) {
            AuditRecorder audit = new AuditRecorder(trail, "run-1", TIME, AS_OF, policy, holders);
            Delivery.Sent files = new Delivery.Sent(
                    basicAdds,
                    hashes(Normalization.BASIC, "gone@example.se"),
                    SortedHashes.empty(),
                    SortedHashes.empty());
            audit.record("files", Normalization.BASIC, audience("fans"), files, basicAdds, false);
            audit.record(
                    "google",
                    Normalization.GOOGLE,
                    audience("fans"),
                    new Delivery.Sent(
                            hashes(Normalization.GOOGLE, "bob.smith@gmail.com", "shared@example.se"),
                            SortedHashes.empty(),
                            // one planned add and one remove of each outcome, in whatever order their hashes sort
                            hashes(Normalization.GOOGLE, "nosignal@example.se", "gone@example.se"),
                            hashes(Normalization.GOOGLE, "quote@example.se", "unknown-consent@example.se")),
                    hashes(Normalization.GOOGLE, "bob.smith@gmail.com", "shared@example.se", "nosignal@example.se"),
                    true);
            audit.record(
                    "meta",
                    Normalization.BASIC,
                    audience("buyers"),
                    new Delivery.Sent(
                            hashes(Normalization.BASIC, "nosignal@example.se"),
                            hashes(Normalization.BASIC, "never-a-customer@example.se"),
                            SortedHashes.empty(),
                            SortedHashes.empty()),
                    hashes(Normalization.BASIC, "nosignal@example.se"),
                    false);
            audit.record("files", Normalization.BASIC, audience("buyers"), files, basicAdds, false);
        }
        return AuditTrail.files(out).get(0);
    }

    private static SortedHashes hashes(Normalization profile, String... emails) {
        return SortedHashes.of(List.of(emails).stream()
                .map(e -> TestHashes.sha256(profile.apply(e)))
                .toList());
    }

    private static String hex(Normalization profile, String email) {
        return hashes(profile, email).hex(0);
    }

    private static AudienceDefinition audience(String id) {
        return new AudienceDefinition(
                id, "", List.of("files"), SyncMode.MIRROR, 0, new Rule.Customer(Where.ANY_ROW), Path.of(id + ".yaml"));
    }
}
