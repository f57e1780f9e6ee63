package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditReader;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.PendingOperation;
import se.nestit.audience.sync.StateStore;
import se.nestit.audience.sync.TestHashes;

/** The audit trail a sync leaves and what verify proves with it and with the networks' states. */
class PrivacyVerificationTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyHashWrittenIsInTheAuditTrailWithTheConsentBehindIt() throws IOException {
        assertEquals(0, run("sync", config("")).exitCode());

        List<AuditEntry> lines = auditEntries();
        JsonNode report = JSON.readTree(tmp.resolve("out/report.json").toFile());
        long adds = 0;
        for (JsonNode d : report.get("destinations")) {
            adds += d.get("adds").asLong();
        }
        assertEquals(adds, lines.size(), "one line per hash sent");
        AuditEntry anna = lines.stream()
                .filter(l -> l.hash().equals(sha256("anna@example.se"))
                        && l.destination().equals("basic"))
                .findFirst()
                .orElseThrow();
        assertEquals("add", anna.operation());
        assertEquals("confirmed", anna.outcome());
        assertEquals("C01", anna.customers().get(0).customerId());
        assertEquals("exportable", anna.customers().get(0).verdict());
        assertEquals(ConsentStatus.GRANTED, anna.customers().get(0).consent().status());
        assertEquals("marketing", anna.purpose());
        assertEquals(report.get("run_id").asText(), anna.runId());
        assertTrue(Files.readString(auditFile()).indexOf('@') < 0, "no email in the trail");
    }

    @Test
    void verifyPassesOnWhatSyncDid() throws IOException {
        assertEquals(0, run("sync", config("")).exitCode());
        Cli.Result r = run("verify", config(""));
        assertEquals(0, r.exitCode(), r.out());
        JsonNode verify = JSON.readTree(tmp.resolve("out/verify.json").toFile());
        assertEquals(0, verify.at("/audit/offending").asLong());
        assertTrue(verify.at("/audit/adds").asLong() > 0);
    }

    @Test
    void anAddWhoseConsentWasNotValidAtItsRunIsFound() throws IOException {
        assertEquals(0, run("sync", config("")).exitCode());
        Path file = auditFile();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int i = lines.indexOf(
                lines.stream().filter(l -> l.contains("\"C01\"")).findFirst().orElseThrow());
        lines.set(i, lines.get(i).replace("\"granted\"", "\"withdrawn\""));
        Files.write(file, lines);

        Cli.Result r = run("verify", config(""));

        assertEquals(1, r.exitCode());
        JsonNode offending =
                JSON.readTree(tmp.resolve("out/verify.json").toFile()).get("offending");
        // the trail names C01's consent once, for every hash of theirs it sent
        assertEquals(
                auditEntries().stream()
                        .filter(e -> e.customers().get(0).customerId().equals("C01"))
                        .count(),
                offending.size());
        assertEquals("audit", offending.at("/0/check").asText());
        assertEquals("C01", offending.at("/0/customers/0/customer_id").asText());
        assertEquals("consent_withdrawn", offending.at("/0/customers/0/reason").asText());
    }

    @Test
    void aNetworkStateHoldingSomeoneWithoutConsentFailsUnlessTheRemoveIsUnderway() throws IOException {
        // verify reads the state only: it needs neither the network nor the token's variable
        String meta =
                "  meta-ads: { type: meta, ad_account_id: '1', access_token: '${NOT_SET}', app_secret: '${NOT_SET}' }\n";
        StateStore store = new StateStore(tmp.resolve("state"));
        // C15 petra@example.se denied consent; C01 anna@example.se granted it
        store.commit(
                "meta-ads",
                "gate-all",
                new AudienceState(TestHashes.of("anna@example.se", "petra@example.se"), Map.of(), List.of(), null));

        Cli.Result r = run("verify", config(meta));

        assertEquals(1, r.exitCode(), r.out());
        JsonNode verify = JSON.readTree(tmp.resolve("out/verify.json").toFile());
        assertEquals("state", verify.at("/offending/0/check").asText());
        assertEquals("C15", verify.at("/offending/0/customers/0/customer_id").asText());
        assertEquals(
                "consent_denied", verify.at("/offending/0/customers/0/reason").asText());
        assertEquals(1, verify.at("/checked/meta-ads/gate-all/consented").asLong());

        // a job that removes petra is running at the network: her hash is owed, not offending
        AudienceState owed = store.load("meta-ads", "gate-all")
                .withPending(List.of(new PendingOperation(
                        "jobs/7",
                        PendingOperation.Kind.REMOVE,
                        TestHashes.of("petra@example.se"),
                        Instant.parse("2026-11-22T01:00:00Z"))));
        store.commit("meta-ads", "gate-all", owed);
        assertEquals(0, run("verify", config(meta)).exitCode());
        assertEquals(
                1,
                JSON.readTree(tmp.resolve("out/verify.json").toFile())
                        .at("/checked/meta-ads/gate-all/remove_pending")
                        .asLong());
    }

    private Cli.Result run(String command, Path config) {
        return Cli.run(
                command,
                "--config",
                config.toString(),
                "--data",
                FIXTURE.resolve("data").toString(),
                "--audiences",
                FIXTURE.resolve("audiences").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22T00:00:00Z",
                "--no-progress");
    }

    /** The fixture's config, with more destinations when asked. */
    private Path config(String moreDestinations) throws IOException {
        String base = Files.readString(FIXTURE.resolve("exporter.yaml"));
        return Files.writeString(tmp.resolve("exporter.yaml"), base + moreDestinations);
    }

    private Path auditFile() {
        List<Path> files = AuditTrail.files(tmp.resolve("out"));
        assertEquals(1, files.size(), files.toString());
        return files.get(0);
    }

    private List<AuditEntry> auditEntries() {
        auditFile();
        List<AuditEntry> entries = new ArrayList<>();
        AuditReader.read(tmp.resolve("out"), entries::add);
        return entries;
    }

    private static String sha256(String s) {
        return TestHashes.hex(TestHashes.of(s)).get(0);
    }
}
