package se.nestit.audience.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.destination.meta.LoopbackMeta;

/**
 * DESIGN's command-line contract: {@code verify} checks "every synced or written hash against
 * consent and suppressions", and its own help says it "proves the consent behind every hash the
 * destinations hold". A hash synced to Meta whose customer has since withdrawn must therefore make
 * verify fail, even when no audience file holds it.
 */
class VerifyCoversSyncedHashesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aSyncedHashOfAWithdrawnCustomerIsFoundByVerifyThroughTheAudienceFile() throws IOException {
        // the control: with a file destination beside Meta, verify does find the hash (in the file)
        try (LoopbackMeta meta = LoopbackMeta.start()) {
            setUp(meta, true);
            assertEquals(0, exporter("sync").exitCode());
            withdrawAnna();

            Cli.Result verify = exporter("verify");

            assertEquals(1, verify.exitCode(), verify.out() + verify.err());
            assertTrue(offenders().contains("C1:consent_withdrawn"), offenders().toString());
        }
    }

    @Test
    void aHashMetaHoldsOfAWithdrawnCustomerFailsVerify() throws IOException {
        try (LoopbackMeta meta = LoopbackMeta.start()) {
            setUp(meta, false);
            assertEquals(0, exporter("sync").exitCode());
            assertEquals(
                    Set.of(
                            ContractOracle.hash("meta", "anna@example.se"),
                            ContractOracle.hash("meta", "bo@example.se")),
                    meta.members("nestit-everyone"),
                    "Meta holds both after the sync");
            withdrawAnna(); // the next sync has not run yet: Meta still holds Anna's hash

            Cli.Result verify = exporter("verify");

            assertEquals(1, verify.exitCode(), "verify must find Anna's hash at Meta\n" + verify.out() + verify.err());
            assertTrue(offenders().contains("C1:consent_withdrawn"), offenders().toString());
        }
    }

    @Test
    void aHashHeldForACustomerWhoseConsentRowIsUnreadableFailsVerify() throws IOException {
        try (LoopbackMeta meta = LoopbackMeta.start()) {
            setUp(meta, false);
            assertEquals(0, exporter("sync").exitCode());
            appendConsent(
                    "C1,marketing,revoked,2026-11-20T00:00:00Z\n"); // a withdrawal in a status the job does not know

            Cli.Result verify = exporter("verify");

            assertEquals(1, verify.exitCode(), verify.out() + verify.err());
            assertEquals(List.of("C1:consent_unreadable"), offenders());
        }
    }

    @Test
    void aHashHeldForACustomerWhoseTieResolvesToWithdrawnFailsVerify() throws IOException {
        try (LoopbackMeta meta = LoopbackMeta.start()) {
            setUp(meta, false);
            assertEquals(0, exporter("sync").exitCode());
            // a withdrawal of the same second as the grant, on a row above it: the export lost the order
            Path consents = tmp.resolve("data/consents.csv");
            Files.writeString(
                    consents,
                    Files.readString(consents)
                            .replace(
                                    "C1,marketing,granted",
                                    "C1,marketing,withdrawn,2026-11-01T00:00:00Z\nC1,marketing,granted"));

            Cli.Result verify = exporter("verify");

            assertEquals(1, verify.exitCode(), verify.out() + verify.err());
            assertEquals(List.of("C1:consent_withdrawn"), offenders());
        }
    }

    // ---- helpers ----

    private void setUp(LoopbackMeta meta, boolean withFiles) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("customers.csv"), "customer_id,email\nC1,Anna@Example.se\nC2,bo@example.se\n");
        Files.writeString(
                data.resolve("consents.csv"),
                "customer_id,purpose,status,recorded_at\n"
                        + "C1,marketing,granted,2026-11-01T00:00:00Z\nC2,marketing,granted,2026-11-01T00:00:00Z\n");
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email\n");
        Path audiences = Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(audiences.resolve("everyone.yaml"), """
                description: Everyone who may be exported
                min_size: 0
                rule:
                  not: { customer: { where: { customer_id: nobody } } }
                """);
        Files.writeString(
                tmp.resolve("exporter.yaml"),
                "destinations:\n" + (withFiles ? "  files: { type: file, normalization: meta }\n" : "")
                        + meta.destinationYaml("meta", "nestit-"));
    }

    private void withdrawAnna() throws IOException {
        appendConsent("C1,marketing,withdrawn,2026-11-20T00:00:00Z\n");
    }

    private void appendConsent(String row) throws IOException {
        Path consents = tmp.resolve("data/consents.csv");
        Files.writeString(consents, Files.readString(consents) + row);
    }

    private Cli.Result exporter(String command) {
        return Cli.run(
                command,
                "--config",
                tmp.resolve("exporter.yaml").toString(),
                "--data",
                tmp.resolve("data").toString(),
                "--audiences",
                tmp.resolve("audiences").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22",
                "--no-progress");
    }

    /** customer_id:reason of every customer behind an offending hash in verify.json. */
    private List<String> offenders() throws IOException {
        JsonNode verify = JSON.readTree(tmp.resolve("out/verify.json").toFile());
        return verify.path("offending").findValues("customers").stream()
                .flatMap(cs -> StreamSupport.stream(cs.spliterator(), false))
                .map(c ->
                        c.path("customer_id").asText() + ":" + c.path("reason").asText())
                .toList();
    }
}
