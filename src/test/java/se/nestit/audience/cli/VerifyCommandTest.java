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
        assertEquals("no_customer_has_this_hash", first.at("/customers/0/reason").asText());
        JsonNode second = offending.get(1);
        assertEquals(PETRA, second.get("hash").asText());
        assertEquals("C15", second.at("/customers/0/customer_id").asText());
        assertEquals("consent_denied", second.at("/customers/0/reason").asText());
        assertTrue(r.out().contains("C15 (consent_denied)"), r.out());
        assertFalse(r.out().contains("petra@"), "verify must never print an email");
    }

    @Test
    void aLaterAsOfCatchesConsentThatExpiredSinceTheSync() {
        assertEquals(0, EndToEndTest.exporter("sync", out).exitCode());
        // a year and a half later every grant of the fixture is older than 395 days
        Cli.Result r = Cli.run("verify", "--config", "src/test/resources/e2e/exporter.yaml",
                "--data", "src/test/resources/e2e/data", "--out", out.toString(), "--state", out.resolve("state").toString(),
                "--as-of", "2028-06-01");
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("consent_expired"), r.out());
    }

    private static void append(Path file, String hash) throws IOException {
        Files.writeString(file, hash + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
