package se.nestit.audience.destination.datamanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditReader;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.sync.StateStore;

/**
 * The real command line with a {@code google-data-manager} destination pointed at the loopback
 * Data Manager, authenticated the production way: a service account key file (made up here) whose
 * {@code token_uri} is the loopback server, so google-auth-library signs a JWT and trades it for a
 * token there.
 */
class DataManagerCommandLineTest {

    private static final String ACCOUNT = "1234567890";
    private static final String LIST = "555";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServiceAccountKey key;

    @TempDir
    Path tmp;

    private FakeDataManager google;
    private Path data;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeAll
    static void makeKey() throws NoSuchAlgorithmException {
        key = new ServiceAccountKey();
    }

    @BeforeEach
    void start() throws IOException {
        logged.start();
        root().addAppender(logged);
        google = new FakeDataManager(ACCOUNT);
        google.addList(LIST, "Buyers");
        google.trustServiceAccountKey(key.publicKey());
        data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("customers.csv"), """
                customer_id,email
                C1, Anna.Svensson+news@Gmail.com
                C2,bertil@example.se
                C3,cecilia@example.se
                C4,david@example.se
                C5,eva@example.se
                """);
        Files.writeString(data.resolve("consents.csv"), """
                customer_id,purpose,status,recorded_at
                C1,marketing,granted,2026-06-01T00:00:00Z
                C2,marketing,granted,2026-06-01T00:00:00Z
                C3,marketing,granted,2026-06-01T00:00:00Z
                C4,marketing,granted,2026-06-01T00:00:00Z
                C5,marketing,granted,2026-06-01T00:00:00Z
                """);
        Files.writeString(data.resolve("orders.csv"), """
                customer_id,ordered_at,amount
                C1,2026-10-01,100
                C2,2026-10-02,100
                C3,2026-10-03,100
                C4,2026-10-04,100
                C5,2026-10-05,100
                """);
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email\n");
        Path audiences = Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(audiences.resolve("buyers.yaml"), """
                description: Bought something in the last year
                destinations: [dm, files]
                min_size: 1
                rule:
                  purchased: { within_days: 365 }
                """);
        writeConfig("audiences: { buyers: " + LIST + " }");
    }

    @AfterEach
    void stop() {
        google.close();
        root().detachAppender(logged);
        assertEquals(List.of(), google.violations(), "requests that do not follow the Data Manager API reference");
        for (ILoggingEvent e : logged.list) {
            String line = e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : e.getThrowableProxy().getMessage());
            for (String secret : List.of("@example.se", "@gmail.com", "ya29.", "PRIVATE KEY")) {
                assertFalse(line.contains(secret), "a log line holds personal data or a secret: " + line);
            }
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void firstSyncSendsEverythingASecondNothingAChangeExactlyTheDifference() throws IOException {
        Cli.Result first = sync();
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(
                hashes(
                        "anna.svensson+news@gmail.com",
                        "bertil@example.se",
                        "cecilia@example.se",
                        "david@example.se",
                        "eva@example.se"),
                google.members(LIST),
                "Gmail address in Google's form: no dots, no +tag");
        // printf '%s' annasvensson@gmail.com | sha256sum
        assertTrue(google.members(LIST).contains("92410e669552001d8ff0b2ffe5ee92302057d77b5602dbaf97aac5bb84859f88"));
        assertEquals(google.members(LIST), state());
        assertFalse(google.received("/token").isEmpty(), "the token came from the key file's token_uri");
        assertTrue(
                report().at("/audiences/buyers/destinations/dm/message")
                        .asText()
                        .contains("add request ids: req-"),
                report().toString());

        int before = google.received().size();
        Cli.Result second = sync();
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(before, google.received().size(), "nothing changed, nothing sent");

        append("customers.csv", "C6,fia@example.se\n");
        append("consents.csv", "C6,marketing,granted,2026-06-01T00:00:00Z\n");
        append("orders.csv", "C6,2026-11-01,100\n");
        replaceIn("orders.csv", "C5,2026-10-05", "C5,2024-10-05");
        before = google.received(":ingest").size();
        int removesBefore = google.received(":remove").size();
        Cli.Result third = sync();
        assertEquals(0, third.exitCode(), third.err());
        assertEquals(
                List.of(1),
                members(google.received(":ingest")
                        .subList(before, google.received(":ingest").size())));
        assertEquals(
                List.of(1),
                members(google.received(":remove")
                        .subList(removesBefore, google.received(":remove").size())));
        assertEquals(
                hashes(
                        "annasvensson@gmail.com",
                        "bertil@example.se",
                        "cecilia@example.se",
                        "david@example.se",
                        "fia@example.se"),
                google.members(LIST));
        assertEquals(google.members(LIST), state());
    }

    @Test
    void withdrawnConsentSuppressionAndSegmentExitEachLeaveTheList() throws IOException {
        assertEquals(0, sync().exitCode());

        append("consents.csv", "C1,marketing,withdrawn,2026-11-01T00:00:00Z\n");
        append("suppressions.csv", "C2,\n");
        replaceIn("orders.csv", "C3,2026-10-03", "C3,2025-01-03");
        // three of five leaving at once is what the guardrails hold unless told otherwise
        Cli.Result r = sync("--accept-shrink", "buyers", "--guardrail", "max_exportable_drop=50%");

        assertEquals(0, r.exitCode(), r.err());
        List<FakeDataManager.Received> removes = google.received(":remove");
        assertEquals(1, removes.size());
        Set<String> removed = new TreeSet<>();
        removes.get(0)
                .body()
                .get("audienceMembers")
                .forEach(m -> removed.add(
                        m.at("/userData/userIdentifiers/0/emailAddress").asText()));
        assertEquals(hashes("annasvensson@gmail.com", "bertil@example.se", "cecilia@example.se"), removed);
        assertEquals(hashes("david@example.se", "eva@example.se"), google.members(LIST));
        assertEquals(google.members(LIST), state());
    }

    @Test
    void onlyPeopleWhoGrantedBothGoogleSignalsAreSentEachCarryingTheirConsentAndTheOthersAreCounted()
            throws IOException {
        Path config = tmp.resolve("exporter.yaml");
        Files.writeString(
                config,
                "consent: { purpose: marketing, signals: { ad_user_data: ads_data, ad_personalization: ads_personal } }\n"
                        + Files.readString(config));
        append("customers.csv", "C6,fia@example.se\n");
        append("orders.csv", "C6,2026-11-01,100\n");
        append(
                "consents.csv",
                String.join(
                                "\n",
                                "C2,ads_data,denied,2026-06-01T00:00:00Z",
                                "C2,ads_personal,granted,2026-06-01T00:00:00Z",
                                "C3,ads_data,granted,2026-06-01T00:00:00Z",
                                "C4,ads_data,granted,2026-06-01T00:00:00Z",
                                "C4,ads_personal,granted,2026-06-01T00:00:00Z",
                                "C5,ads_data,granted,2026-06-01T00:00:00Z",
                                "C5,ads_personal,granted,2026-06-01T00:00:00Z",
                                "C5,ads_personal,withdrawn,2026-06-01T00:00:00Z",
                                "C6,marketing,granted,2026-06-01T00:00:00Z",
                                "C6,ads_data,granted,2026-06-01T00:00:00Z",
                                "C6,ads_personal,granted,2026-06-01T00:00:00Z")
                        + "\n");

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        // C1 answered neither signal, C2 denied ad_user_data, C3 never answered ad_personalization, C5 withdrew it
        assertEquals(hashes("david@example.se", "fia@example.se"), google.members(LIST));
        Map<String, String> consent = google.memberConsent();
        assertEquals(google.members(LIST), consent.keySet());
        consent.values()
                .forEach(c ->
                        assertEquals("CONSENT_GRANTED/CONSENT_GRANTED", c, "every member carries its own consent"));
        JsonNode dm = report().at("/audiences/buyers/destinations/dm");
        assertEquals(2, dm.at("/withheld/ad_user_data_not_granted").asLong(), dm.toString());
        assertEquals(2, dm.at("/withheld/ad_personalization_not_granted").asLong(), dm.toString());
        assertEquals(
                6,
                report().at("/audiences/buyers/exported").asLong(),
                "the gate's purpose still decides who is exported");
        JsonNode files = report().at("/audiences/buyers/destinations/files");
        assertEquals(6, files.get("hashes").asLong(), "files keep the gate's purpose");
        assertFalse(files.has("withheld"), files.toString());

        // the audit trail names both signals and the records behind them, and verify checks them
        List<AuditEntry> adds = auditEntries().stream()
                .filter(l -> l.destination().equals("dm"))
                .toList();
        assertEquals(2, adds.size());
        for (AuditEntry add : adds) {
            assertEquals("ads_data", add.signalPurposes().get(ConsentSignal.AD_USER_DATA), add.toString());
            assertEquals("ads_personal", add.signalPurposes().get(ConsentSignal.AD_PERSONALIZATION), add.toString());
            AuditEntry.Holder holder = add.customers().get(0);
            assertEquals(
                    ConsentStatus.GRANTED,
                    holder.signals().get(ConsentSignal.AD_USER_DATA).status(),
                    add.toString());
            assertEquals(
                    "ads_personal",
                    holder.signals().get(ConsentSignal.AD_PERSONALIZATION).purpose(),
                    add.toString());
        }
        assertEquals(0, verify().exitCode());
        append("consents.csv", "C4,ads_personal,withdrawn,2026-11-20T00:00:00Z\n");
        Cli.Result verify = verify();
        assertEquals(1, verify.exitCode(), verify.out());
        assertTrue(
                verify.out().contains("C4 (ad_personalization_not_granted: withdrawn 2026-11-20T00:00:00Z"),
                verify.out());

        // an add whose trail shows a signal that was not granted is an offence of the trail itself
        Path trail = AuditTrail.files(tmp.resolve("out")).get(0);
        String granted = "\"ad_personalization\":[\"ads_personal\",\"granted\"";
        assertTrue(Files.readString(trail).contains(granted));
        Files.writeString(trail, Files.readString(trail).replace(granted, granted.replace("granted", "denied")));
        assertEquals(1, verify().exitCode());
        JsonNode audit = JSON.readTree(tmp.resolve("out/verify.json").toFile());
        assertEquals(2, audit.at("/audit/offending").asLong(), audit.toString());
    }

    private Cli.Result verify() {
        return Cli.run(
                "verify",
                "--config",
                tmp.resolve("exporter.yaml").toString(),
                "--data",
                data.toString(),
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

    private List<AuditEntry> auditEntries() {
        List<AuditEntry> entries = new ArrayList<>();
        AuditReader.read(tmp.resolve("out"), entries::add);
        return entries;
    }

    @Test
    void unavailableAndRateLimitedRequestsAreRetried() {
        google.fail(":ingest", 1, 503, "UNAVAILABLE", "", "The service is currently unavailable.", Map.of());
        google.fail(":ingest", 1, 429, "RESOURCE_EXHAUSTED", "", "Quota exceeded.", Map.of("Retry-After", "1"));

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, google.received(":ingest").size());
        assertEquals(5, google.members(LIST).size());
        assertEquals(google.members(LIST), state());
    }

    @Test
    void aRefusedMemberBatchIsReportedAndSentAgainNextRun() throws IOException {
        writeConfig("audiences: { buyers: " + LIST + " }\n    members_per_request: 2");
        google.fail(
                ":ingest",
                1,
                400,
                "INVALID_ARGUMENT",
                "INVALID_SHA256_FORMAT",
                "The SHA256 encoded value is malformed.",
                Map.of());

        Cli.Result r = sync();

        // the first sync of a mapped list replaces its members: a request refused whole stops that before removeAll
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(google.received(":removeAll").isEmpty());
        assertTrue(state().isEmpty(), "nothing counts as held before a replacement finished");
        JsonNode dm = report().at("/audiences/buyers/destinations/dm");
        assertTrue(
                dm.get("message")
                        .asText()
                        .contains("add members 1-2 of 5 (user list 555) refused: HTTP 400 INVALID_ARGUMENT, "
                                + "reason INVALID_SHA256_FORMAT"),
                dm.toString());
        assertTrue(dm.get("message").asText().contains("so nobody was removed"), dm.toString());

        Cli.Result again = sync();
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(5, google.members(LIST).size());
        assertEquals(google.members(LIST), state());
    }

    @Test
    void anIngestGoogleLaterFailsIsSentAgainByTheNextRunAndNeverCountedAsHeld() throws IOException {
        assertEquals(0, sync().exitCode());
        changeSegment();
        writeConfig("audiences: { buyers: " + LIST + " }\n    request_wait: 0s");
        google.nextRequestEnds("ingest", "PROCESSING", "FAILED");

        Cli.Result accepted = sync();

        assertEquals(0, accepted.exitCode(), accepted.err());
        assertEquals(
                "pending",
                report().at("/audiences/buyers/destinations/dm/status").asText(),
                report().toString());
        assertFalse(state().contains(hash("fia@example.se")), "accepted is not done");
        assertEquals(4, report().at("/audiences/buyers/destinations/dm/held").asInt());
        String requestId = new StateStore(tmp.resolve("state"))
                .load("dm", "buyers")
                .pending()
                .get(0)
                .id();
        int ingests = google.received(":ingest").size();

        Cli.Result failed = sync();

        assertEquals(0, failed.exitCode(), failed.err());
        assertTrue(
                report().at("/audiences/buyers/destinations/dm/message")
                        .asText()
                        .contains(requestId + " failed"),
                report().toString());
        assertEquals(ingests + 1, google.received(":ingest").size(), "sent again in the run that learnt it failed");
        assertEquals(
                hash("fia@example.se"),
                google.received(":ingest")
                        .get(ingests)
                        .body()
                        .at("/audienceMembers/0/userData/userIdentifiers/0/emailAddress")
                        .asText());
        assertEquals(google.members(LIST), state());
        assertTrue(state().contains(hash("fia@example.se")));
    }

    @Test
    void googlesMatchRateIsReportedPerAudienceAndDestination() {
        google.matchRate("MATCH_RATE_RANGE_61_TO_70");

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(
                "61-70%",
                report().at("/audiences/buyers/destinations/dm/match_rate").asText(), report().toString());
        assertTrue(
                report().at("/audiences/buyers/destinations/files/match_rate").isMissingNode(),
                "files have no match rate");
        assertTrue(r.out().contains("dm buyers: upload match rate 61-70%"), r.out());
    }

    @Test
    void aFullRefreshWhoseIngestFailsRemovesNobodyAndTheNextRunFinishesIt() throws IOException {
        assertEquals(0, sync().exitCode());
        changeSegment();
        Set<String> before = google.members(LIST);
        google.nextRequestEnds("ingest", "FAILED");

        Cli.Result r = fullRefresh();

        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, google.received(":removeAll").size(), "only the first run's own refresh removed anyone");
        assertTrue(google.members(LIST).containsAll(before), "nobody removed");
        assertTrue(
                report().at("/audiences/buyers/destinations/dm/message")
                        .asText()
                        .contains("so nobody was removed"),
                report().toString());
        assertTrue(new StateStore(tmp.resolve("state")).load("dm", "buyers").replaceUnfinished());

        Cli.Result next = sync();

        assertEquals(0, next.exitCode(), next.err());
        assertEquals(2, google.received(":removeAll").size());
        assertEquals(
                hashes(
                        "annasvensson@gmail.com",
                        "bertil@example.se",
                        "cecilia@example.se",
                        "david@example.se",
                        "fia@example.se"),
                google.members(LIST));
        assertEquals(google.members(LIST), state());
    }

    @Test
    void aTokenEndpointThatRefusesConnectionsIsANetworkProblem() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        writeConfig("", URI.create("http://127.0.0.1:" + closed + "/token"));

        Cli.Result r = sync();

        assertEquals(1, r.exitCode(), r.err());
        String message = report().at("/destinations/dm/message").asText();
        assertTrue(
                message.contains("in 3 attempts (no answer UNAVAILABLE: cannot reach Google's token endpoint"),
                message);
        assertFalse(message.contains("service account key"), message);
        assertTrue(google.received().isEmpty());
    }

    @Test
    void termsNotAcceptedFailTheDestinationAndKeepWhatWasConfirmed() throws IOException {
        assertEquals(0, sync().exitCode());
        changeSegment();
        google.fail(
                ":ingest",
                1,
                400,
                "INVALID_ARGUMENT",
                "TERMS_AND_CONDITIONS_NOT_SIGNED",
                "Required terms and conditions have not been accepted.",
                Map.of());

        Cli.Result r = sync();

        assertEquals(1, r.exitCode(), r.err());
        JsonNode dm = report().at("/destinations/dm");
        assertEquals("failed", dm.get("status").asText());
        assertTrue(dm.get("message").asText().contains("reason TERMS_AND_CONDITIONS_NOT_SIGNED"), dm.toString());
        assertTrue(
                dm.get("message")
                        .asText()
                        .contains("accept the Customer Match terms of service in Google Ads account " + ACCOUNT),
                dm.toString());
        assertEquals("ok", report().at("/destinations/files/status").asText(), "the other destination still ran");
        assertFalse(
                google.members(LIST).contains(hash("eva@example.se")),
                "the remove before the refused add went through");
        assertEquals(google.members(LIST), state(), "the state holds exactly what Google confirmed");
    }

    @Test
    void refusedCredentialsFailTheDestinationWithWhatToCheck() throws IOException {
        assertEquals(0, sync().exitCode());
        changeSegment();
        google.fail(
                ":remove", 1, 401, "UNAUTHENTICATED", "", "Request had invalid authentication credentials.", Map.of());
        Set<String> before = google.members(LIST);

        Cli.Result r = sync();

        assertEquals(1, r.exitCode(), r.err());
        String message = report().at("/destinations/dm/message").asText();
        assertTrue(message.contains("Google refused the credentials"), message);
        assertTrue(message.contains("scope https://www.googleapis.com/auth/datamanager"), message);
        assertTrue(message.contains("access to Google Ads account " + ACCOUNT), message);
        assertTrue(r.out().contains("dm: Google refused the credentials"), "the summary says it: " + r.out());
        assertFalse(r.out().contains("dm: dm:"), "the destination is named once: " + r.out());
        assertTrue(
                Files.readString(tmp.resolve("out/buyers/files.csv")).contains(hash("fia@example.se")),
                "the file destination still ran");
        assertEquals(before, google.members(LIST));
        Set<String> kept = state();
        kept.addAll(inDoubt());
        assertEquals(before, kept, "what Google confirmed, and the refused removes in doubt: they go again");
        assertFalse(r.out().contains("ya29.") || message.contains("ya29."), "no token in messages");
    }

    @Test
    void aKeyGoogleDoesNotKnowFailsTheDestination() throws NoSuchAlgorithmException {
        google.trustServiceAccountKey(
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic());

        Cli.Result r = sync();

        assertEquals(1, r.exitCode(), r.err());
        String message = report().at("/destinations/dm/message").asText();
        assertTrue(message.startsWith("Google gave no access token"), message);
        assertTrue(message.contains("check the service account key"), message);
        assertTrue(google.received(":ingest").isEmpty());
    }

    @Test
    void noAnswerInTimeFailsTheDestinationAndCommitsNothingWrong() throws IOException {
        assertEquals(0, sync().exitCode());
        writeConfig("audiences: { buyers: " + LIST + " }\n    timeout: 300ms");
        changeSegment();
        google.hang(":ingest", 3);

        Cli.Result r = sync();

        assertEquals(1, r.exitCode(), r.err());
        String message = report().at("/destinations/dm/message").asText();
        assertTrue(message.contains("in 3 attempts (no answer DEADLINE_EXCEEDED"), message);
        assertEquals(google.members(LIST), state());
        assertFalse(state().contains(hash("fia@example.se")));
    }

    @Test
    void aCrashBetweenGooglesAnswerAndTheCommitConverges() throws IOException {
        assertEquals(0, sync().exitCode());
        changeSegment();
        Path stateFile = new StateStore(tmp.resolve("state")).file("dm", "buyers");
        Path saved = Files.copy(stateFile, tmp.resolve("saved.state"));

        assertEquals(0, sync().exitCode());
        Files.copy(saved, stateFile, StandardCopyOption.REPLACE_EXISTING); // as if the commit never happened
        assertNotEquals(google.members(LIST), state());

        Cli.Result r = sync();
        assertEquals(0, r.exitCode(), r.err());
        Set<String> desired = hashes(
                "annasvensson@gmail.com",
                "bertil@example.se",
                "cecilia@example.se",
                "david@example.se",
                "fia@example.se");
        assertEquals(desired, google.members(LIST));
        assertEquals(desired, state());
    }

    @Test
    void aLostStateIsRebuiltByReplacingTheMembers() throws IOException {
        assertEquals(0, sync().exitCode());
        Files.delete(new StateStore(tmp.resolve("state")).file("dm", "buyers"));
        google.seed(LIST, Set.of(hash("stranger@example.se")));
        changeSegment();

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        Set<String> desired = hashes(
                "annasvensson@gmail.com",
                "bertil@example.se",
                "cecilia@example.se",
                "david@example.se",
                "fia@example.se");
        assertEquals(desired, google.members(LIST), "eva and the stranger were removed by removeAll");
        assertEquals(desired, state());
        assertEquals(2, google.received(":removeAll").size(), "the first sync (no state) and this one replaced");
    }

    @Test
    void anUnmappedAudienceGetsAUserListOfItsOwn() throws IOException {
        writeConfig("");

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        String created = google.listIds().stream()
                .filter(id -> !id.equals(LIST))
                .findFirst()
                .orElseThrow();
        assertEquals("buyers (audience-exporter)", google.displayName(created));
        assertEquals(5, google.members(created).size());
        assertEquals(google.members(created), state());
        assertEquals(
                created,
                new StateStore(tmp.resolve("state"))
                        .load("dm", "buyers")
                        .remote()
                        .get("user_list_id"));
        assertTrue(google.received(":removeAll").isEmpty(), "a list this run created needs no replacing");

        int before = google.received().size();
        assertEquals(0, sync().exitCode());
        assertEquals(before, google.received().size(), "the remembered list is used as it is");
    }

    @Test
    void planSendsNothing() {
        Cli.Result r = Cli.run(
                "plan",
                "--config",
                tmp.resolve("exporter.yaml").toString(),
                "--data",
                data.toString(),
                "--audiences",
                tmp.resolve("audiences").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22",
                "--no-progress");

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(), google.received());
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedForTheEndpointAndTheKeyFilesTokenUri() throws IOException {
        writeConfig("");
        Path config = tmp.resolve("exporter.yaml");
        Files.writeString(
                config,
                Files.readString(config).replace(google.endpoint().toString(), "http://datamanager.example.com"));
        Cli.Result endpoint = sync();
        assertEquals(2, endpoint.exitCode(), endpoint.err());
        assertTrue(
                endpoint.err()
                        .contains("destinations.dm.endpoint: plain http:// to datamanager.example.com would send the "
                                + "access token in clear; use https://"),
                endpoint.err());

        writeConfig("");
        Path keyFile = tmp.resolve("sa.json");
        Files.writeString(
                keyFile,
                Files.readString(keyFile).replace(google.tokenUri().toString(), "http://oauth2.example.com/token"));
        Cli.Result tokenUri = sync();
        assertEquals(2, tokenUri.exitCode(), tokenUri.err());
        assertTrue(
                tokenUri.err().contains("sa.json: its token_uri is plain http:// to oauth2.example.com"),
                tokenUri.err());
        assertEquals(List.of(), google.received(), "nothing was sent anywhere");
    }

    @Test
    void mistakesInTheSettingsNameTheFileAndPath() throws IOException {
        writeConfig("audiences: { buyers: " + LIST + " }\n    operating_acount_id: 1");
        Cli.Result typo = sync();
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("exporter.yaml: destinations.dm.operating_acount_id: unknown key"), typo.err());

        Files.writeString(tmp.resolve("exporter.yaml"), "destinations:\n  dm: { type: google-data-manager }\n");
        Cli.Result noAccount = sync();
        assertEquals(2, noAccount.exitCode());
        assertTrue(
                noAccount
                        .err()
                        .contains(
                                "destinations.dm.operating_account_id: required: the 10-digit Google Ads customer id"),
                noAccount.err());

        writeConfig("audiences: { buyers: " + LIST + " }\n    login_account_id: 12345");
        Cli.Result shortId = sync();
        assertEquals(2, shortId.exitCode());
        assertTrue(
                shortId.err().contains("destinations.dm.login_account_id: expected a 10-digit Google Ads customer id"),
                shortId.err());

        writeConfig("members_per_request: 10001");
        Cli.Result tooMany = sync();
        assertEquals(2, tooMany.exitCode());
        assertTrue(
                tooMany.err()
                        .contains("destinations.dm.members_per_request: must be between 1 and 10000 but was 10001"),
                tooMany.err());

        writeConfig("audiences: { Buyers: x }");
        Cli.Result badList = sync();
        assertEquals(2, badList.exitCode());
        assertTrue(badList.err().contains("destinations.dm.audiences.Buyers: not an audience id"), badList.err());

        writeConfig("");
        Files.writeString(tmp.resolve("sa.json"), "{\"type\": \"service_account\"}");
        Cli.Result badKey = sync();
        assertEquals(2, badKey.exitCode());
        assertTrue(
                badKey.err().contains("credentials " + tmp.resolve("sa.json") + ": not a Google service account key"),
                badKey.err());
        assertEquals(List.of(), google.received(), "nothing is sent when the settings are wrong");
    }

    private Cli.Result fullRefresh() {
        return sync("--full-refresh");
    }

    private Cli.Result sync(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "sync",
                "--config",
                tmp.resolve("exporter.yaml").toString(),
                "--data",
                data.toString(),
                "--audiences",
                tmp.resolve("audiences").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22",
                "--no-progress"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** C6 joins the segment, C5 leaves it: one add and one remove. */
    private void changeSegment() throws IOException {
        append("customers.csv", "C6,fia@example.se\n");
        append("consents.csv", "C6,marketing,granted,2026-06-01T00:00:00Z\n");
        append("orders.csv", "C6,2026-11-01,100\n");
        replaceIn("orders.csv", "C5,2026-10-05", "C5,2024-10-05");
    }

    /** The config with a service account key whose token_uri is the loopback server; {@code more} goes into dm's settings. */
    private void writeConfig(String more) throws IOException {
        writeConfig(more, google.tokenUri());
    }

    private void writeConfig(String more, URI tokenUri) throws IOException {
        Path keyFile = key.write(tmp.resolve("sa.json"), tokenUri);
        Files.writeString(tmp.resolve("exporter.yaml"), """
                destinations:
                  dm:
                    type: google-data-manager
                    operating_account_id: 123-456-7890
                    credentials: %s
                    endpoint: %s
                    retry: { max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms }
                    %s
                  files: { type: file, normalization: google }
                """.formatted(keyFile, google.endpoint(), more));
    }

    private Set<String> state() {
        return hex(new StateStore(tmp.resolve("state")).load("dm", "buyers").confirmed());
    }

    private Set<String> inDoubt() {
        return hex(new StateStore(tmp.resolve("state")).load("dm", "buyers").inDoubt());
    }

    private static Set<String> hex(SortedHashes hashes) {
        Set<String> hex = new TreeSet<>();
        for (int i = 0; i < hashes.size(); i++) {
            hex.add(hashes.hex(i));
        }
        return hex;
    }

    private JsonNode report() {
        try {
            return JSON.readTree(tmp.resolve("out/report.json").toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Integer> members(List<FakeDataManager.Received> requests) {
        return requests.stream().map(FakeDataManager.Received::members).toList();
    }

    private static String hash(String email) {
        return ContractOracle.hash("google", email);
    }

    private static Set<String> hashes(String... emails) {
        return Stream.of(emails).map(DataManagerCommandLineTest::hash).collect(Collectors.toCollection(TreeSet::new));
    }

    private void append(String file, String line) throws IOException {
        Files.writeString(data.resolve(file), line, StandardOpenOption.APPEND);
    }

    private void replaceIn(String file, String from, String to) throws IOException {
        Path p = data.resolve(file);
        String text = Files.readString(p);
        assertTrue(text.contains(from), from);
        Files.writeString(p, text.replace(from, to));
    }
}
