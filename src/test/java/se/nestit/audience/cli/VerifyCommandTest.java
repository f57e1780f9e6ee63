package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    // printf '%s' 'petra@example.se' | sha256sum: customer C15 of the fixture, who denied consent
    private static final String PETRA = "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d";
    // printf '%s' 'nobody@example.se' | sha256sum: no customer of the fixture
    private static final String NOBODY = "aa5ebe97c6eb1279ec4fe5e0a2d4808b3229e2aca4871478deb19f53e4bcf6fc";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @Test
    void filesWrittenBySyncVerify() throws IOException {
        assertEquals(0, EndToEndTest.exporter("sync", out).exitCode());
        Cli.Result r = EndToEndTest.exporter("verify", out);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode report = JSON.readTree(out.resolve("verify.json").toFile());
        assertEquals("ok", report.get("status").asText());
        assertEquals(21, report.at("/checked/basic/gate-all/consented").asLong());
        assertEquals(0, report.get("offending").size());
    }

    @Test
    void aHashWithoutConsentIsNamedWithItsCustomerAndReason() throws IOException {
        assertEquals(0, EndToEndTest.exporter("sync", out).exitCode());
        append(out.resolve("gate-all/basic.csv"), PETRA);
        append(out.resolve("crime-buyers-90d/basic.csv"), NOBODY);

        Cli.Result r = EndToEndTest.exporter("verify", out);

        assertEquals(1, r.exitCode());
        JsonNode offending = JSON.readTree(out.resolve("verify.json").toFile()).get("offending");
        assertEquals(2, offending.size());
        JsonNode first = offending.get(0);
        assertEquals("basic", first.get("destination").asText());
        assertEquals("crime-buyers-90d", first.get("audience").asText());
        assertEquals(NOBODY, first.get("hash").asText());
        assertEquals(
                "no_customer_has_this_hash", first.at("/customers/0/reason").asText());
        JsonNode second = offending.get(1);
        assertEquals(PETRA, second.get("hash").asText());
        assertEquals("C15", second.at("/customers/0/customer_id").asText());
        assertEquals("consent_denied", second.at("/customers/0/reason").asText());
        assertTrue(r.out().contains("C15 (consent_denied: denied "), r.out());
        // neither was ever sent: nothing in the audit trail proves a consent, so both are offences
        JsonNode findings = JSON.readTree(out.resolve("verify.json").toFile()).get("findings");
        assertEquals(2, findings.size(), findings.toString());
        findings.forEach(f -> assertEquals("never_allowed", f.get("kind").asText()));
        findings.forEach(f -> assertFalse(f.has("sent"), f.toString()));
        assertFalse(r.out().contains("petra@"), "verify must never print an email");
    }

    @Test
    void aLaterAsOfCatchesConsentThatExpiredSinceTheSync() {
        assertEquals(0, EndToEndTest.exporter("sync", out).exitCode());
        // a year and a half later every grant of the fixture is older than 395 days
        Cli.Result r = Cli.run(
                "verify",
                "--config",
                "src/test/resources/e2e/exporter.yaml",
                "--data",
                "src/test/resources/e2e/data",
                "--out",
                out.toString(),
                "--state",
                out.resolve("state").toString(),
                "--as-of",
                "2028-06-01");
        // every grant was fresh when sync sent it: a change since, which the next sync removes
        assertEquals(ExitCode.CHANGED_SINCE_SYNC, r.exitCode(), r.out());
        assertTrue(r.out().contains("consent_expired"), r.out());
        assertFalse(r.out().contains("NEVER ALLOWED"), r.out());
    }

    @Test
    void aConsentWithdrawnAfterItsHashWasSentIsAChangeNamedOnceForAllDestinations() throws IOException {
        Path data = CommandLineTest.copy(Path.of("src/test/resources/e2e/data"), out.resolve("data"));
        assertEquals(0, run("sync", data, "2026-11-22T00:00:00Z").exitCode());
        String runId =
                JSON.readTree(out.resolve("report.json").toFile()).get("run_id").asText();
        Files.writeString(
                data.resolve("consents.csv"),
                "C01,marketing,withdrawn,2026-11-23T08:00:00Z,unsubscribe-link,Bokia\n",
                StandardOpenOption.APPEND);

        Cli.Result r = run("verify", data, "2026-11-24T00:00:00Z");

        assertEquals(ExitCode.CHANGED_SINCE_SYNC, r.exitCode(), r.out());
        JsonNode report = JSON.readTree(out.resolve("verify.json").toFile());
        assertEquals("changed", report.get("status").asText());
        // the fixture's C22 withdrew on 2026-11-23 and C18's grant expired since, as anna (C01) did now
        List<JsonNode> findings = new ArrayList<>();
        report.get("findings").forEach(findings::add);
        findings.forEach(f -> assertEquals("changed_since_sync", f.get("kind").asText(), f.toString()));
        List<JsonNode> hers = findings.stream()
                .filter(f -> f.at("/customers/0/customer_id").asText().equals("C01"))
                .toList();
        assertEquals(
                List.of("crime-buyers-90d", "gate-all"),
                hers.stream().map(f -> f.get("audience").asText()).toList());
        JsonNode anna = hers.get(1);
        assertEquals("[\"basic\",\"google\",\"meta\"]", anna.get("destinations").toString());
        assertEquals("C01", anna.at("/customers/0/customer_id").asText());
        assertEquals("consent_withdrawn", anna.at("/customers/0/reason").asText());
        assertEquals("withdrawn", anna.at("/customers/0/consent/status").asText());
        assertEquals(
                "2026-11-23T08:00:00Z",
                anna.at("/customers/0/consent/recorded_at").asText());
        assertEquals("unsubscribe-link", anna.at("/customers/0/consent/source").asText());
        assertEquals(runId, anna.at("/sent/run_id").asText());
        assertEquals("2026-11-22T00:00:00Z", anna.at("/sent/as_of").asText());
        assertTrue(anna.get("action").asText().contains("the next sync removes it"), anna.toString());
        assertEquals(
                10, report.get("offending").size(), "the per-hash list stays, each hash at each destination marked");
        report.get("offending")
                .forEach(o -> assertEquals("changed_since_sync", o.get("kind").asText()));
        List<String> lines = r.out().lines().filter(l -> l.contains("C01 (")).toList();
        assertEquals(2, lines.size(), "one line per audience, not per destination: " + r.out());
        assertTrue(
                lines.get(1).contains("basic, google, meta")
                        && lines.get(1).contains("withdrawn 2026-11-23T08:00:00Z, unsubscribe-link"),
                lines.get(1));

        // the next sync removes them all, and verify passes again
        assertEquals(0, run("sync", data, "2026-11-24T00:00:00Z").exitCode());
        Cli.Result after = run("verify", data, "2026-11-24T00:00:00Z");
        assertEquals(0, after.exitCode(), after.out());
    }

    @Test
    void aWithdrawalInForceBeforeTheHashWasSentIsAnOffenceEvenIfItCameLate() throws IOException {
        Path data = CommandLineTest.copy(Path.of("src/test/resources/e2e/data"), out.resolve("data"));
        assertEquals(0, run("sync", data, "2026-11-22T00:00:00Z").exitCode());
        // recorded the day before the sync, but only in the export after it
        Files.writeString(
                data.resolve("consents.csv"),
                "C01,marketing,withdrawn,2026-11-21T08:00:00Z,call-centre,Bokia\n",
                StandardOpenOption.APPEND);

        Cli.Result r = run("verify", data, "2026-11-24T00:00:00Z");

        assertEquals(ExitCode.FAILED, r.exitCode(), r.out());
        JsonNode report = JSON.readTree(out.resolve("verify.json").toFile());
        assertEquals("failed", report.get("status").asText());
        JsonNode anna = report.at("/findings/0");
        assertEquals("never_allowed", anna.get("kind").asText());
        assertEquals(
                "2026-11-21T08:00:00Z",
                anna.at("/customers/0/consent/recorded_at").asText());
        assertTrue(anna.get("action").asText().contains("in force when it was sent"), anna.toString());
        assertTrue(r.out().contains("NEVER ALLOWED"), r.out());
    }

    private Cli.Result run(String command, Path data, String asOf) {
        return Cli.run(
                command,
                "--config",
                "src/test/resources/e2e/exporter.yaml",
                "--data",
                data.toString(),
                "--audiences",
                "src/test/resources/e2e/audiences",
                "--out",
                out.toString(),
                "--state",
                out.resolve("state").toString(),
                "--as-of",
                asOf,
                "--no-progress");
    }

    private static void append(Path file, String hash) throws IOException {
        Files.writeString(file, hash + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
