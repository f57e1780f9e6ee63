package se.nestit.audience.destination.googleads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.destination.googleads.FakeGoogleAds.Fault;
import se.nestit.audience.destination.googleads.FakeGoogleAds.JobOutcome;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.StateStore;

/**
 * The real command line, in-process, with a google-ads destination pointed at a fake Google Ads on
 * a loopback port (plaintext gRPC through the {@code endpoint} setting), credentials from an
 * {@code ads.properties} file, and a file destination beside it.
 */
class GoogleAdsCommandLineTest {

    private static final String LIST = "nightly buyers";

    @TempDir
    Path tmp;

    private FakeGoogleAds google;
    private String endpoint;
    /** customer_id → email, segment, consent status. */
    private final Map<String, String[]> customers = new LinkedHashMap<>();

    private final Map<String, String> suppressed = new LinkedHashMap<>();
    /** consents.csv rows after each customer's marketing one. */
    private final List<String> moreConsents = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        google = new FakeGoogleAds(10_000, "9876543210");
        endpoint = google.startLoopback();
        customers.put("C1", new String[] {" Anna.Svensson+news@Gmail.com", "a", "granted"});
        customers.put("C2", new String[] {"bertil@example.se", "a", "granted"});
        customers.put("C3", new String[] {"cecilia@example.se", "a", "granted"});
        customers.put("C4", new String[] {"david@example.se", "a", "granted"});
        customers.put("C5", new String[] {"erik@example.se", "a", "denied"});
        customers.put("C6", new String[] {"frida@example.se", "b", "granted"});
    }

    @AfterEach
    void stop() throws InterruptedException {
        google.close();
        assertEquals(List.of(), google.violations(), "requests the real Google Ads would refuse, or promises broken");
    }

    @Test
    void firstSyncSendsEverythingThenNothingThenExactlyTheDifference() throws IOException {
        assertEquals(0, sync().exitCode());
        assertEquals(expected(), google.members(LIST));
        assertTrue(google.members(LIST).contains(hash("annasvensson@gmail.com")), "Google's Gmail normalization");
        assertEquals(google.members(LIST), state());

        assertEquals(0, sync().exitCode());
        assertEquals(1, google.jobs().size(), "an unchanged input sends nothing");

        customers.put("C7", new String[] {"gustav@example.se", "a", "granted"});
        customers.get("C4")[1] = "b";
        // three of four leaving at once is what the guardrails hold unless the config lets it through
        assertEquals(
                0,
                sync("consent:", "guardrails: { max_audience_shrink: 100%, max_exportable_drop: 1 }\nconsent:")
                        .exitCode());

        List<FakeGoogleAds.Job> jobs = google.jobs();
        assertEquals(3, jobs.size());
        assertEquals(List.of(1), jobs.get(1).requestSizes(), "one remove: C4 left the segment");
        assertTrue(jobs.get(1).removes());
        assertEquals(List.of(1), jobs.get(2).requestSizes(), "one add: C7");
        assertEquals(expected(), google.members(LIST));
        assertEquals(google.members(LIST), state());
    }

    @Test
    void someoneWhoDidNotGrantBothGoogleSignalsIsNotSentAndIsCounted() throws IOException {
        moreConsents.addAll(List.of(
                "C1,ads_personal,granted,2026-10-01T00:00:00Z",
                "C2,ads_personal,denied,2026-10-01T00:00:00Z",
                "C3,ads_personal,granted,2026-10-01T00:00:00Z")); // C4 never answered

        Cli.Result r = sync(
                "consent: { purpose: marketing, max_age_days: 395 }",
                "consent: { purpose: marketing, max_age_days: 395, signals: { ad_personalization: ads_personal } }");

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Set.of(hash("annasvensson@gmail.com"), hash("cecilia@example.se")), google.members(LIST));
        JsonNode report =
                new ObjectMapper().readTree(tmp.resolve("out/report.json").toFile());
        assertEquals(
                2,
                report.at("/audiences/buyers/destinations/google/withheld/ad_personalization_not_granted")
                        .asLong(),
                report.toString());
        assertEquals(
                4, report.at("/audiences/buyers/destinations/files/hashes").asLong(), "files keep the gate's purpose");
    }

    @Test
    void aWithdrawnConsentASuppressionAndASegmentExitEachLeaveTheList() throws IOException {
        assertEquals(0, sync().exitCode());
        assertTrue(google.members(LIST)
                .containsAll(Set.of(hash("bertil@example.se"), hash("cecilia@example.se"), hash("david@example.se"))));

        customers.get("C2")[2] = "withdrawn";
        suppressed.put("C3", "erasure");
        customers.get("C4")[1] = "b";
        // three of four leaving at once is what the guardrails hold unless the config lets it through
        assertEquals(
                0,
                sync("consent:", "guardrails: { max_audience_shrink: 100%, max_exportable_drop: 1 }\nconsent:")
                        .exitCode());

        assertEquals(Set.of(hash("annasvensson@gmail.com")), google.members(LIST));
        assertEquals(List.of(3), google.jobs().get(1).requestSizes(), "the three left in one remove job");
        assertEquals(google.members(LIST), state());
    }

    @Test
    void notAllowlistedFailsThisDestinationWithAPointerToDataManagerWhileTheOthersRun() throws IOException {
        google.failNext("CreateOfflineUserDataJob", Fault.notAllowlisted());

        Cli.Result r = sync();

        assertEquals(1, r.exitCode());
        JsonNode report =
                new ObjectMapper().readTree(tmp.resolve("out/report.json").toFile());
        assertEquals("failed", report.at("/destinations/google/status").asText());
        String message = report.at("/destinations/google/message").asText();
        assertTrue(
                message.contains("CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE")
                        && message.contains("google-data-manager"),
                message);
        assertEquals("ok", report.at("/destinations/files/status").asText());
        assertTrue(Files.exists(tmp.resolve("out/buyers/files.csv")), "the file destination still ran");
        assertFalse((r.out() + r.err()).contains(FakeGoogleAds.DEVELOPER_TOKEN), "the developer token never shows");
        assertEquals(Set.of(), google.members(LIST));
        assertEquals(Set.of(), state());
    }

    @Test
    void aJobStillRunningIsLeftPendingAndSettledByTheNextRun() throws IOException {
        google.jobsEnd(JobOutcome.HOLD);
        assertEquals(0, sync("job_wait: 2s", "job_wait: 20ms").exitCode());
        AudienceState pending = new StateStore(tmp.resolve("state")).load("google", "buyers");
        assertEquals(1, pending.pending().size());
        assertEquals(Set.of(), state(), "nothing confirmed while the job runs");

        google.finishHeldJobs(JobOutcome.SUCCESS);
        assertEquals(0, sync().exitCode());

        assertEquals(1, google.jobs().size(), "settled, not sent again");
        assertEquals(expected(), google.members(LIST));
        assertEquals(google.members(LIST), state());
    }

    @Test
    void aCrashBetweenGooglesConfirmationAndTheStateCommitConvergesOnTheNextRun() throws IOException {
        assertEquals(0, sync().exitCode());
        Path file = new StateStore(tmp.resolve("state")).file("google", "buyers");
        Path saved = tmp.resolve("saved.state");
        Files.copy(file, saved);
        customers.get("C2")[2] = "withdrawn";
        customers.put("C7", new String[] {"gustav@example.se", "a", "granted"});

        assertEquals(0, sync().exitCode());
        // as if the process died after Google confirmed but before the commit
        Files.copy(saved, file, StandardCopyOption.REPLACE_EXISTING);

        assertEquals(0, sync().exitCode());
        assertEquals(expected(), google.members(LIST));
        assertEquals(google.members(LIST), state());
    }

    // ---- helpers

    private Cli.Result sync(String... replacements) throws IOException {
        writeInputs();
        String config = config();
        for (int i = 0; i < replacements.length; i += 2) {
            config = config.replace(replacements[i], replacements[i + 1]);
        }
        Path file = tmp.resolve("exporter.yaml");
        Files.writeString(file, config);
        return Cli.run(
                "sync",
                "--no-progress",
                "--config",
                file.toString(),
                "--data",
                tmp.resolve("data").toString(),
                "--audiences",
                tmp.resolve("audiences").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22");
    }

    private String config() throws IOException {
        Path properties = tmp.resolve("ads.properties");
        Files.writeString(properties, """
                api.googleads.developerToken=%s
                api.googleads.clientId=fake-client-id.apps.googleusercontent.com
                api.googleads.clientSecret=fake-client-secret
                api.googleads.refreshToken=fake-refresh-token
                api.googleads.loginCustomerId=1111111111
                """.formatted(FakeGoogleAds.DEVELOPER_TOKEN));
        return """
                consent: { purpose: marketing, max_age_days: 395 }
                destinations:
                  files: { type: file, normalization: google }
                  google:
                    type: google-ads
                    customer_id: 123-456-7890
                    login_customer_id: 987-654-3210
                    properties: %s
                    endpoint: %s
                    list_prefix: "nightly "
                    job_wait: 2s
                    poll_interval: 2ms
                    retry: {max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms}
                """.formatted(properties, endpoint);
    }

    private void writeInputs() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        StringBuilder c = new StringBuilder("customer_id,email,segment\n");
        StringBuilder k = new StringBuilder("customer_id,purpose,status,recorded_at\n");
        customers.forEach((id, v) -> {
            c.append(id).append(',').append(v[0]).append(',').append(v[1]).append('\n');
            k.append(id).append(",marketing,").append(v[2]).append(",2026-10-01T00:00:00Z\n");
        });
        moreConsents.forEach(row -> k.append(row).append('\n'));
        Files.writeString(data.resolve("customers.csv"), c);
        Files.writeString(data.resolve("consents.csv"), k);
        Files.writeString(
                data.resolve("suppressions.csv"),
                "customer_id,email,reason\n"
                        + suppressed.entrySet().stream()
                                .map(e -> e.getKey() + ",," + e.getValue() + "\n")
                                .collect(Collectors.joining()));
        Path audiences = Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(audiences.resolve("buyers.yaml"), """
                description: Segment a
                destinations: [files, google]
                min_size: 0
                rule:
                  customer: { where: { segment: a } }
                """);
    }

    /** The hashes the segment should hold now: segment a, consent granted, not suppressed. */
    private Set<String> expected() {
        return customers.entrySet().stream()
                .filter(e -> e.getValue()[1].equals("a")
                        && e.getValue()[2].equals("granted")
                        && !suppressed.containsKey(e.getKey()))
                .map(e -> hash(e.getValue()[0]))
                .collect(Collectors.toSet());
    }

    private Set<String> state() {
        return GoogleAdsDestinationTest.hex(
                new StateStore(tmp.resolve("state")).load("google", "buyers").confirmed());
    }

    private static String hash(String email) {
        return ContractOracle.hash("google", email);
    }
}
