package se.nestit.audience.destination.datamanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.AudienceClient.RemoteAudience;
import se.nestit.audience.destination.AudienceClient.Settlement;
import se.nestit.audience.destination.AudienceClient.Submission;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.Resilience;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;
import se.nestit.audience.sync.PendingOperation;

/** The client against the loopback Data Manager: request shapes, batching, replace, lists and every fault. */
class DataManagerClientTest {

    private static final String ACCOUNT = "1234567890";
    private static final String LIST = "555";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeDataManager google;

    @BeforeEach
    void start() throws IOException {
        google = new FakeDataManager(ACCOUNT);
        google.addList(LIST, "Buyers");
    }

    @AfterEach
    void stop() {
        google.close();
        assertEquals(List.of(), google.violations(), "requests that do not follow the Data Manager API reference");
    }

    @Test
    void ingestSendsTheDocumentedRequest() throws IOException {
        google.expectLoginAccount("999");
        SortedHashes hashes = random(2, 1);
        Submission s = client(10_000, Optional.of("999"), Duration.ofSeconds(5)).add(mapped(), hashes);

        assertEquals(hashes, s.confirmed());
        assertTrue(s.failed().isEmpty());
        FakeDataManager.Received r = google.received(":ingest").get(0);
        assertEquals("POST", r.method());
        assertEquals("Bearer " + FakeDataManager.FIXED_TOKEN, r.headers().get("Authorization"));
        JsonNode expected = JSON.readTree("""
                {"destinations": [{"operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": "1234567890"},
                                   "loginAccount": {"accountType": "GOOGLE_ADS", "accountId": "999"},
                                   "productDestinationId": "555"}],
                 "audienceMembers": [{"userData": {"userIdentifiers": [{"emailAddress": "%s"}]},
                                      "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED"}},
                                     {"userData": {"userIdentifiers": [{"emailAddress": "%s"}]},
                                      "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED"}}],
                 "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED"},
                 "encoding": "HEX",
                 "termsOfService": {"customerMatchTermsOfServiceStatus": "ACCEPTED"}}
                """.formatted(hashes.hex(0), hashes.hex(1)));
        assertEquals(expected, r.body());
        assertEquals(hex(hashes), google.members(LIST));
        assertEquals(List.of("add request ids: req-1"), s.notes());
    }

    @Test
    void theDebugLogGivesEachRequestsSizeTimeAndRequestIdButNoMember() {
        Logger logger = (Logger) LoggerFactory.getLogger(DataManagerHttp.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        SortedHashes hashes = random(3, 9);
        try {
            client(2, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), hashes);
        } finally {
            logger.setLevel(level);
            logger.detachAppender(events);
        }

        List<String> ingests = events.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(":ingest"))
                .toList();
        assertEquals(2, ingests.size(), events.list.toString());
        Pattern line =
                Pattern.compile("google data manager: POST /v1/audienceMembers:ingest: HTTP 200, [0-9]+ bytes sent, "
                        + "[0-9]+ bytes received, [0-9]+ ms, request id req-[0-9]+");
        ingests.forEach(m -> assertTrue(line.matcher(m).matches(), m));
        String all =
                events.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", String::concat);
        for (int i = 0; i < hashes.size(); i++) {
            assertFalse(all.contains(hashes.hex(i)), "a member's hash in the debug log");
        }
    }

    @Test
    void removeSendsNeitherConsentNorTerms() throws IOException {
        SortedHashes hashes = random(3, 2);
        DataManagerClient client = client(10_000, Optional.empty(), Duration.ofSeconds(5));
        client.add(mapped(), hashes);

        Submission s = client.remove(mapped(), hashes.slice(0, 2));

        assertEquals(hashes.slice(0, 2), s.confirmed());
        JsonNode body = google.received(":remove").get(0).body();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("destinations", "audienceMembers", "encoding"), fields);
        assertEquals(Set.of(hashes.hex(2)), google.members(LIST));
    }

    @Test
    void twentyFiveThousandAndOneMembersGoInThreeRequests() {
        SortedHashes hashes = random(25_001, 3);
        Submission s = client(10_000, Optional.empty(), Duration.ofSeconds(30)).add(mapped(), hashes);

        assertEquals(
                List.of(10_000, 10_000, 5_001),
                google.received(":ingest").stream()
                        .map(FakeDataManager.Received::members)
                        .toList());
        assertEquals(hashes, s.confirmed());
        assertEquals(25_001, google.members(LIST).size());
    }

    @Test
    void anUnavailableServiceIsAskedAgain() {
        google.fail(":ingest", 1, 503, "UNAVAILABLE", "", "The service is currently unavailable.", Map.of());
        SortedHashes hashes = random(5, 4);

        Submission s = client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), hashes);

        assertEquals(hashes, s.confirmed());
        assertEquals(2, google.received(":ingest").size());
        assertEquals(hex(hashes), google.members(LIST));
    }

    @Test
    void aRateLimitWaitsAsLongAsGoogleAsks() {
        google.fail(":ingest", 1, 429, "RESOURCE_EXHAUSTED", "", "Quota exceeded.", Map.of("Retry-After", "1"));
        Logger resilienceLog = (Logger) LoggerFactory.getLogger(Resilience.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        resilienceLog.addAppender(logged);
        try {
            Submission s =
                    client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), random(5, 5));
            assertEquals(5, s.confirmed().size());
        } finally {
            resilienceLog.detachAppender(logged);
        }
        // max_backoff is 5 ms in these tests: only Retry-After can make the wait 1000 ms
        assertTrue(
                logged.list.stream().anyMatch(e -> e.getFormattedMessage().endsWith("retrying in 1000 ms")),
                logged.list.toString());
        assertEquals(2, google.received(":ingest").size());
    }

    @Test
    void aRefusedMemberBatchFailsOnlyItsHashes() {
        google.fail(
                ":ingest",
                1,
                400,
                "INVALID_ARGUMENT",
                "INVALID_SHA256_FORMAT",
                "The SHA256 encoded value is malformed.",
                Map.of());
        SortedHashes hashes = random(5, 6);

        Submission s = client(2, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), hashes);

        assertEquals(hashes.slice(0, 2), s.failed(), "the first request was refused");
        assertEquals(hashes.slice(2, 5), s.confirmed());
        assertEquals(hex(hashes.slice(2, 5)), google.members(LIST));
        assertTrue(
                s.notes().stream()
                        .anyMatch(n -> n.contains("INVALID_SHA256_FORMAT: The SHA256 encoded value is malformed.")),
                s.notes().toString());
        assertEquals(3, google.received(":ingest").size(), "not retried, and the other requests went on");
    }

    @Test
    void aBadMemberAmongTenThousandFailsOnlyItself() {
        SortedHashes hashes = random(10_000, 20);
        google.refuseMember(hashes.hex(1234), "INVALID_SHA256_FORMAT");

        Submission s = client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), hashes);

        assertEquals(hashes.slice(1234, 1235), s.failed());
        assertEquals(hashes.minus(s.failed()), s.confirmed());
        assertEquals(9_999, google.members(LIST).size());
        assertEquals(
                List.of(10_000, 9_999),
                google.received(":ingest").stream()
                        .map(FakeDataManager.Received::members)
                        .toList(),
                "refused once, then sent again without the member Google named");
        assertTrue(
                s.notes().stream().anyMatch(n -> n.contains("1 members refused (INVALID_SHA256_FORMAT)")),
                s.notes().toString());
    }

    @Test
    void theReasonOfAFieldViolationIsNamedAndItsAdviceGiven() {
        DataManagerApiException e =
                DataManagerHttp.error(400, """
                {"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "Request contains an invalid argument.",
                  "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_ARGUMENT"},
                              {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [
                                {"field": "audience_members[12].user_data.user_identifiers[0]", "reason": "INVALID_HEX_ENCODING"},
                                {"field": "terms_of_service", "reason": "TERMS_AND_CONDITIONS_NOT_SIGNED"}]}]}}
                """, java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true));

        assertEquals(
                List.of(
                        new DataManagerApiException.MemberViolation(12, "INVALID_HEX_ENCODING"),
                        new DataManagerApiException.MemberViolation(-1, "TERMS_AND_CONDITIONS_NOT_SIGNED")),
                e.violations());
        assertEquals(
                "HTTP 400 INVALID_ARGUMENT, reason INVALID_ARGUMENT (INVALID_HEX_ENCODING, TERMS_AND_CONDITIONS_NOT_SIGNED): "
                        + "Request contains an invalid argument.",
                e.getMessage());
        assertTrue(e.hasReason("TERMS_AND_CONDITIONS_NOT_SIGNED"));
    }

    @Test
    void termsNotAcceptedAsAFieldViolationStillSayWhatToDo() {
        google.failWithViolation(
                ":ingest",
                "terms_of_service.customer_match_terms_of_service_status",
                "TERMS_AND_CONDITIONS_NOT_SIGNED");

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), random(3, 21)));

        assertTrue(e.getMessage().contains("(TERMS_AND_CONDITIONS_NOT_SIGNED)"), e.getMessage());
        assertTrue(
                e.getMessage().contains("accept the Customer Match terms of service in Google Ads account 1234567890"),
                e.getMessage());
        assertTrue(e.stopsDestination(), "no later request can succeed either");
        assertTrue(google.members(LIST).isEmpty());
    }

    @Test
    void anIngestGoogleFailsAfterAcceptingItIsNotConfirmed() {
        google.nextRequestEnds("ingest", "PROCESSING", "FAILED");
        SortedHashes hashes = random(5, 22);

        Submission s = client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), hashes);

        assertTrue(s.confirmed().isEmpty());
        assertEquals(hashes, s.failed(), "they go again next run");
        assertTrue(s.pending().isEmpty());
        assertTrue(google.members(LIST).isEmpty());
        assertEquals(2, google.received("requestStatus:retrieve").size(), "asked until it ended");
        assertTrue(
                s.notes().stream().anyMatch(n -> n.equals("add request req-1 failed at Google: INTERNAL_ERROR x5")),
                s.notes().toString());
    }

    @Test
    void termsNotAcceptedWhenGoogleProcessesTheRequestSayWhatToDo() {
        google.nextRequestEnds("ingest", "FAILED");
        google.failureReason("TERMS_AND_CONDITIONS_NOT_SIGNED");

        Submission s = client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), random(2, 30));

        assertEquals(2, s.failed().size());
        assertTrue(
                s.notes()
                        .contains(
                                "add request req-1 failed at Google: TERMS_AND_CONDITIONS_NOT_SIGNED x2; accept the "
                                        + "Customer Match terms of service in Google Ads account 1234567890 (Tools, Shared library, Audience manager)"),
                s.notes().toString());
    }

    @Test
    void aPartialSuccessThatDoesNotSayWhoFailedCountsAsFailed() {
        google.nextRequestEnds("ingest", "PARTIAL_SUCCESS");
        SortedHashes hashes = random(4, 23);

        Submission s = client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), hashes);

        assertTrue(s.confirmed().isEmpty());
        assertEquals(hashes, s.failed());
        assertEquals(3, google.members(LIST).size(), "Google did most of it, but which ones it does not say");
    }

    @Test
    void aRequestStillProcessingAfterTheWaitIsLeftPendingAndSettledLater() {
        google.nextRequestEnds("remove", "PROCESSING", "PROCESSING", "SUCCESS");
        SortedHashes hashes = random(3, 24);
        google.seed(LIST, hex(hashes));
        DataManagerClient client = client(10_000, Optional.empty(), Duration.ofSeconds(5), Duration.ZERO);

        Submission s = client.remove(mapped(), hashes);

        assertTrue(s.confirmed().isEmpty());
        assertTrue(s.failed().isEmpty());
        assertEquals(1, s.pending().size());
        PendingOperation p = s.pending().get(0);
        assertEquals(new PendingOperation("req-1", PendingOperation.Kind.REMOVE, hashes, p.submittedAt()), p);
        assertEquals(Settlement.State.RUNNING, client.settle(mapped(), p).state());
        assertEquals(Settlement.State.SUCCEEDED, client.settle(mapped(), p).state());
        assertTrue(google.members(LIST).isEmpty());
        assertEquals(
                Settlement.State.FAILED,
                client.settle(
                                mapped(),
                                new PendingOperation("req-unknown", PendingOperation.Kind.ADD, hashes, p.submittedAt()))
                        .state(),
                "a request Google does not know is not taken as done");
    }

    @Test
    void aRequestStillProcessingLongAfterGooglesDayIsNoLongerWaitedFor() {
        google.nextRequestEnds("ingest", "PROCESSING");
        google.nextRequestEnds("remove", "REQUEST_STATUS_UNKNOWN");
        SortedHashes hashes = random(3, 41);
        DataManagerClient client = client(10_000, Optional.empty(), Duration.ofSeconds(5), Duration.ZERO);
        PendingOperation add = client.add(mapped(), hashes).pending().get(0);
        PendingOperation remove = client.remove(mapped(), hashes).pending().get(0);

        // the diagnostics guide: processing can take up to 24 hours
        Instant twoDaysAgo = Instant.now().minus(Duration.ofHours(49));
        Settlement oldAdd =
                client.settle(mapped(), new PendingOperation(add.id(), add.kind(), add.hashes(), twoDaysAgo));
        Settlement oldRemove =
                client.settle(mapped(), new PendingOperation(remove.id(), remove.kind(), remove.hashes(), twoDaysAgo));

        assertEquals(Settlement.State.RUNNING, client.settle(mapped(), add).state(), "a fresh one is still waited for");
        assertEquals(Settlement.State.FAILED, oldAdd.state(), "else the audience waits for ever, its removes too");
        assertEquals(Settlement.State.FAILED, oldRemove.state());
        assertTrue(oldAdd.message().contains("still processing"), oldAdd.message());
    }

    @Test
    void theMatchRateGoogleReportsIsNoted() {
        google.matchRate("MATCH_RATE_RANGE_61_TO_70");

        Submission s = client(10_000, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), random(3, 25));

        assertTrue(s.notes().contains("upload match rate 61-70%"), s.notes().toString());
    }

    @Test
    void aReplacementWhoseIngestFailsRemovesNobody() {
        SortedHashes stale = random(3, 26);
        google.seed(LIST, hex(stale));
        google.nextRequestEnds("ingest", "FAILED");

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> client(2, Optional.empty(), Duration.ofSeconds(5)).replace(mapped(), random(4, 27)));

        assertTrue(e.getMessage().contains("so nobody was removed"), e.getMessage());
        assertTrue(google.received(":removeAll").isEmpty());
        assertTrue(google.members(LIST).containsAll(hex(stale)));
    }

    @Test
    void aReplacementWhoseRequestGoogleRefusedWithoutNamingMembersRemovesNobody() {
        SortedHashes target = random(4, 40);
        google.seed(LIST, hex(target));
        // a member-data reason in ErrorInfo that names no member: the first request's two are refused together
        google.fail(":ingest", 1, 400, "INVALID_ARGUMENT", "INVALID_FORMAT", "Invalid format.", Map.of());

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> client(2, Optional.empty(), Duration.ofSeconds(5)).replace(mapped(), target));

        assertTrue(e.getMessage().contains("so nobody was removed"), e.getMessage());
        assertTrue(
                google.received(":removeAll").isEmpty(),
                "the two refused members are not replaced, so they must not go");
        assertEquals(hex(target), google.members(LIST));
    }

    @Test
    void aReplacementWaitsForItsIngestsBeforeRemovingAnyone() {
        SortedHashes stale = random(3, 28);
        SortedHashes target = random(4, 29);
        google.seed(LIST, hex(stale));
        google.nextRequestEnds("ingest", "PROCESSING", "SUCCESS");
        DataManagerClient client = client(2, Optional.empty(), Duration.ofSeconds(5), Duration.ZERO);

        Submission s = client.replace(mapped(), target);

        assertTrue(s.confirmed().isEmpty());
        PendingOperation p = s.pending().get(0);
        assertEquals(PendingOperation.Kind.REPLACE, p.kind());
        assertEquals(target, p.hashes());
        assertTrue(google.received(":removeAll").isEmpty(), "not while an ingest is processing");
        assertTrue(google.members(LIST).containsAll(hex(stale)));

        assertEquals(Settlement.State.SUCCEEDED, client.settle(mapped(), p).state());
        assertEquals(hex(target), google.members(LIST));
        Instant cutoff = Instant.parse(google.received(":removeAll")
                .get(0)
                .body()
                .get("removeAsOfTime")
                .asText());
        assertEquals(Replacement.parse(p.id()).orElseThrow().removeAsOf(), cutoff, "the time taken before the ingests");
    }

    @Test
    void termsNotAcceptedFailTheAudienceWithWhatToDo() {
        google.fail(
                ":ingest",
                1,
                400,
                "INVALID_ARGUMENT",
                "TERMS_AND_CONDITIONS_NOT_SIGNED",
                "Required terms and conditions have not been accepted.",
                Map.of());

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> client(2, Optional.empty(), Duration.ofSeconds(5)).add(mapped(), random(5, 7)));

        assertTrue(
                e.getMessage()
                        .contains(
                                "TERMS_AND_CONDITIONS_NOT_SIGNED: Required terms and conditions have not been accepted."),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("accept the Customer Match terms of service in Google Ads account 1234567890"),
                e.getMessage());
        assertEquals(1, google.received(":ingest").size(), "a refusal is not retried, and the audience stops");
    }

    @Test
    void refusedCredentialsSayWhatToCheck() {
        google.fail(":remove", 1, 403, "PERMISSION_DENIED", "", "The caller does not have permission", Map.of());

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> client(10_000, Optional.empty(), Duration.ofSeconds(5)).remove(mapped(), random(3, 8)));

        assertTrue(
                e.getMessage().contains("HTTP 403 PERMISSION_DENIED: The caller does not have permission"),
                e.getMessage());
        assertTrue(e.getMessage().contains("scope https://www.googleapis.com/auth/datamanager"), e.getMessage());
        assertTrue(e.getMessage().contains("access to Google Ads account 1234567890"), e.getMessage());
        assertFalse(e.getMessage().contains(FakeDataManager.FIXED_TOKEN));
        assertEquals(1, google.received(":remove").size());
    }

    @Test
    void noAnswerInTimeIsRetriedThenFailsTheAudience() {
        google.hang(":ingest", 3);

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> client(10_000, Optional.empty(), Duration.ofMillis(200)).add(mapped(), random(3, 9)));

        assertTrue(
                e.getMessage().contains("in 3 attempts (no answer DEADLINE_EXCEEDED: no answer within 200 ms)"),
                e.getMessage());
        assertEquals(3, google.received(":ingest").size());
        assertTrue(google.members(LIST).isEmpty());
    }

    @Test
    void replaceKeepsExactlyTheTargetByGooglesClock() {
        SortedHashes stale = random(3, 10);
        SortedHashes target = random(4, 11);
        google.seed(LIST, hex(stale));
        google.seed(LIST, Set.of(target.hex(0)));
        Instant seeded = Instant.now();

        Submission s = client(2, Optional.empty(), Duration.ofSeconds(5)).replace(mapped(), target);

        assertEquals(target, s.confirmed());
        assertEquals(
                hex(target),
                google.members(LIST),
                "stale members gone, the target in, including the one already there");
        FakeDataManager.Received read = google.received("/userLists/" + LIST).get(0);
        assertEquals("GET", read.method());
        JsonNode removeAll = google.received(":removeAll").get(0).body();
        Instant cutoff = Instant.parse(removeAll.get("removeAsOfTime").asText());
        assertTrue(cutoff.isAfter(seeded) && !cutoff.isAfter(Instant.now()), "the cutoff is Google's Date: " + cutoff);
        assertEquals(0, cutoff.getNano(), "an HTTP date has whole seconds");
        assertEquals(List.of("destinations", "removeAsOfTime"), fieldNames(removeAll));
        assertTrue(s.notes().stream()
                .anyMatch(n -> n.startsWith("removeAll of members added before " + cutoff + ": request id")));
    }

    @Test
    void anUnmappedAudienceGetsAListOfItsOwnOnce() {
        DataManagerClient client = client(10_000, Optional.empty(), Duration.ofSeconds(5));
        AudienceDefinition audience = audience("lapsed");

        RemoteAudience first = client.ensure(audience, Map.of());
        RemoteAudience remembered = client.ensure(audience, first.ids());
        RemoteAudience found = client.ensure(audience, Map.of());

        assertTrue(first.created());
        String id = first.ids().get(DataManagerClient.USER_LIST_ID);
        assertEquals("lapsed (audience-exporter)", google.displayName(id));
        assertEquals(first.ids(), remembered.ids());
        assertFalse(remembered.created());
        assertEquals(first.ids(), found.ids(), "a lost state finds the list again instead of making a second one");
        assertFalse(found.created(), "found without state: the engine replaces its members");
        assertEquals(Set.of(LIST, id), google.listIds());
        JsonNode create = google.received("/userLists").stream()
                .filter(r -> r.method().equals("POST"))
                .findFirst()
                .orElseThrow()
                .body();
        assertEquals("Bought and lapsed", create.get("description").asText());
    }

    @Test
    void aHandMadeListNamedLikeTheAudienceIsNeverTaken() {
        DataManagerClient client = client(10_000, Optional.empty(), Duration.ofSeconds(5));
        google.addList("900", "lapsed");
        google.seed("900", hex(random(3, 7)));

        RemoteAudience remote = client.ensure(audience("lapsed"), Map.of());
        client.add(remote, random(2, 8));

        assertTrue(remote.created(), "only a list named with the job's suffix is the job's own");
        assertNotEquals("900", remote.ids().get(DataManagerClient.USER_LIST_ID));
        assertEquals(hex(random(3, 7)), google.members("900"));
    }

    @Test
    void aMappedAudienceUsesItsListAndRefusesAnotherOneTheStateKnows() {
        DataManagerClient client = client(10_000, Optional.empty(), Duration.ofSeconds(5));

        RemoteAudience remote = client.ensure(audience("buyers"), Map.of());
        assertEquals(Map.of(DataManagerClient.USER_LIST_ID, LIST), remote.ids());
        assertFalse(remote.created());

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> client.ensure(audience("buyers"), Map.of(DataManagerClient.USER_LIST_ID, "777")));
        assertTrue(e.getMessage().contains("mapped to user list 555 but was synced to user list 777"), e.getMessage());
        assertTrue(e.getMessage().contains("delete dm/buyers.state in the state directory"), e.getMessage());
        assertTrue(google.received().isEmpty(), "a mapped list needs no call");
    }

    @Test
    void theFakeTakesEachMembersOwnConsentAndRefusesValuesGoogleDoesNotKnow() throws IOException {
        DataManagerHttp http =
                new DataManagerHttp(google.endpoint(), Duration.ofSeconds(5), () -> FakeDataManager.FIXED_TOKEN);
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        String body = """
                {"destinations": [{"operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": "1234567890"},
                                   "productDestinationId": "555"}],
                 "audienceMembers": [
                   {"userData": {"userIdentifiers": [{"emailAddress": "%s"}]},
                    "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_DENIED"}},
                   {"userData": {"userIdentifiers": [{"emailAddress": "%s"}]}}],
                 "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED"},
                 "encoding": "HEX", "termsOfService": {"customerMatchTermsOfServiceStatus": "ACCEPTED"}}
                """;

        http.post("/v1/audienceMembers:ingest", JSON.readTree(body.formatted(a, b)), Map.of());

        assertEquals(
                "CONSENT_GRANTED/CONSENT_DENIED",
                google.consentOf(a),
                "a member's own consent overrides the request's");
        assertEquals("CONSENT_GRANTED/CONSENT_GRANTED", google.consentOf(b));
        DataManagerApiException e = assertThrows(
                DataManagerApiException.class,
                () -> http.post(
                        "/v1/audienceMembers:ingest",
                        JSON.readTree(body.formatted(a, b).replace("CONSENT_DENIED", "DENIED")),
                        Map.of()));
        assertEquals(400, e.httpStatus());
        assertEquals(
                List.of("Invalid value at 'audienceMembers[].consent.adPersonalization': \"DENIED\""),
                google.takeViolations());
    }

    @Test
    void googlesErrorBodiesAreRead() {
        var headers = java.net.http.HttpHeaders.of(
                Map.of("Retry-After", List.of("Sun, 22 Nov 2099 03:00:00 GMT")), (a, b) -> true);
        DataManagerApiException e = DataManagerHttp.error(429, """
                {"error": {"code": 429, "message": "Too many\\nrequests", "status": "RESOURCE_EXHAUSTED",
                  "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RESOURCE_EXHAUSTED"},
                              {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2.5s"}]}}
                """, headers);
        assertEquals("HTTP 429 RESOURCE_EXHAUSTED, reason RESOURCE_EXHAUSTED: Too many requests", e.getMessage());
        assertTrue(e.retryable());
        assertTrue(e.retryAfter().orElseThrow().toDays() > 365, "Retry-After as an HTTP date wins over RetryInfo");

        DataManagerApiException noHeader = DataManagerHttp.error(
                503,
                "{\"error\": {\"code\": 503, \"status\": \"UNAVAILABLE\", "
                        + "\"details\": [{\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"2.5s\"}]}}",
                java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true));
        assertEquals(Optional.of(Duration.ofMillis(2500)), noHeader.retryAfter());

        DataManagerApiException html = DataManagerHttp.error(
                502, "<html>Bad gateway</html>", java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true));
        assertEquals("HTTP 502 INTERNAL: <html>Bad gateway</html>", html.getMessage());
        assertTrue(html.retryable());
        assertFalse(DataManagerHttp.error(400, "{}", java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true))
                .retryable());
    }

    private DataManagerClient client(int perRequest, Optional<String> login, Duration timeout) {
        return client(perRequest, login, timeout, Duration.ofSeconds(5));
    }

    /** @param requestWait how long the client asks how accepted requests ended (every 10 ms) */
    private DataManagerClient client(int perRequest, Optional<String> login, Duration timeout, Duration requestWait) {
        DataManagerSettings settings = new DataManagerSettings(
                ACCOUNT,
                login,
                Optional.empty(),
                google.endpoint(),
                Map.of("buyers", LIST),
                perRequest,
                requestWait,
                Duration.ofMillis(10),
                new Resilience.Settings(3, Duration.ofMillis(1), Duration.ofMillis(5), 1000, timeout));
        return DataManagerClient.create("dm", settings, () -> FakeDataManager.FIXED_TOKEN);
    }

    private static RemoteAudience mapped() {
        return new RemoteAudience("user list " + LIST, Map.of(DataManagerClient.USER_LIST_ID, LIST), false);
    }

    private static AudienceDefinition audience(String id) {
        return new AudienceDefinition(
                id,
                "Bought and lapsed",
                List.of("dm"),
                SyncMode.MIRROR,
                1,
                new Rule.Customer(Where.ANY_ROW),
                Path.of("audiences/" + id + ".yaml"));
    }

    private static SortedHashes random(int n, long seed) {
        Random random = new Random(seed);
        byte[] flat = new byte[n * 32];
        random.nextBytes(flat);
        return SortedHashes.fromUnsorted(flat, n);
    }

    private static Set<String> hex(SortedHashes hashes) {
        Set<String> hex = new TreeSet<>();
        for (int i = 0; i < hashes.size(); i++) {
            hex.add(hashes.hex(i));
        }
        return hex;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
