package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.StateStore;

/**
 * {@code plan} diffs network destinations against the sync state only, so it needs none of their
 * secrets or credential files: a developer previewing an audience has none of them.
 */
class PlanWithoutSecretsTest {

    private static final String UNSET = "${AUDIENCE_EXPORTER_TEST_NEVER_SET}";

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void attach() {
        logged.start();
        root().addAppender(logged);
    }

    @AfterEach
    void detach() {
        root().detachAppender(logged);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void planNeedsNoNetworkSecretAndSaysItContactedNoNetwork() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(
                data.resolve("customers.csv"),
                "customer_id,email,country\nC1,anna@example.se,SE\nC2,bertil@example.se,SE\n");
        Files.writeString(data.resolve("consents.csv"), """
                customer_id,purpose,status,recorded_at
                C1,marketing,granted,2026-06-01T00:00:00Z
                C2,marketing,granted,2026-06-01T00:00:00Z
                """);
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email\n");
        Path audiences = Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(audiences.resolve("everyone.yaml"), """
                destinations: [meta, dm, ads]
                min_size: 1
                rule:
                  customer: { where: { country: SE } }
                """);
        Files.writeString(tmp.resolve("exporter.yaml"), """
                data: %s
                audiences: %s
                out: %s
                state: %s
                destinations:
                  meta: { type: meta, ad_account_id: act_1, access_token: "%s", app_secret: "%s", endpoint: "http://127.0.0.1:9" }
                  dm: { type: google-data-manager, operating_account_id: 123-456-7890, credentials: "%s" }
                  ads: { type: google-ads, customer_id: 123-456-7890, properties: "%s" }
                """.formatted(
                        data, audiences, tmp.resolve("out"), tmp.resolve("state"), UNSET, UNSET, UNSET, UNSET));

        // meta confirmed Anna on an earlier run: plan diffs against that, without asking Meta
        // (printf '%s' anna@example.se | sha256sum)
        new StateStore(tmp.resolve("state"))
                .commit(
                        "meta",
                        "everyone",
                        AudienceState.NEW.withConfirmed(SortedHashes.ofHex(
                                List.of("f2a216c0b7bc0f42c605b87b114643d49ee41a2e5bb05c6040a16493c5bc073c"))));

        Cli.Result r = Cli.run("plan", "--config", tmp.resolve("exporter.yaml").toString(), "--as-of", "2026-11-22");

        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode report =
                new ObjectMapper().readTree(tmp.resolve("out/plan.json").toFile());
        for (String d : new String[] {"meta", "dm", "ads"}) {
            JsonNode delivery = report.at("/audiences/everyone/destinations/" + d);
            assertEquals("planned", delivery.path("status").asText(), d + ": " + delivery);
            assertEquals(d.equals("meta") ? 1 : 2, delivery.path("adds").asInt(), d + ": " + delivery);
        }
        assertTrue(
                logged.list.stream()
                        .anyMatch(e -> e.getFormattedMessage()
                                .startsWith(
                                        "plan contacts no network: what meta, dm, ads hold is what the sync state in")),
                "no word that nothing was contacted");
        assertEquals(List.of("everyone.state"), listing(tmp.resolve("state/meta")), "plan wrote no state");
        assertTrue(
                Files.notExists(tmp.resolve("state/dm")) && Files.notExists(tmp.resolve("state/ads")),
                "plan wrote no state");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
