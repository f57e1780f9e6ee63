package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.nestit.audience.destination.meta.FakeGraphApi.ACCOUNT;
import static se.nestit.audience.destination.meta.FakeGraphApi.APP_SECRET;
import static se.nestit.audience.destination.meta.FakeGraphApi.SECRET_VARIABLE;
import static se.nestit.audience.destination.meta.FakeGraphApi.TOKEN;
import static se.nestit.audience.destination.meta.FakeGraphApi.TOKEN_VARIABLE;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.NetworkDestination;
import se.nestit.audience.destination.Ownership;
import se.nestit.audience.destination.meta.FakeGraphApi.Fault;
import se.nestit.audience.destination.meta.FakeGraphApi.Request;
import se.nestit.audience.destination.meta.FakeGraphApi.Route;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;
import se.nestit.audience.sync.AudiencePlan;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.StateStore;

/**
 * The sync engine through the Meta client against a loopback Graph API: what reaches Meta, what
 * Meta ends up holding, and what the sync state says afterwards.
 */
class MetaDestinationTest {

    private static final AudienceDefinition CRIME = audience("crime-buyers");
    private static final AudienceDefinition LAPSED = audience("lapsed-high-value");
    private static final String CRIME_NAME = "nestit-crime-buyers";

    @TempDir
    Path tmp;

    private FakeGraphApi meta;
    private StateStore store;

    @BeforeEach
    void start() throws IOException {
        meta = new FakeGraphApi();
        store = new StateStore(tmp.resolve("state"));
    }

    @AfterEach
    void everyRequestWasWellFormed() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests the fake Graph API found wrong");
    }

    // ---- find or create ----

    @Test
    void createsTheAudienceOnceAndFindsItByItsRememberedIdAfterwards() {
        SortedHashes members = hashes(0, 5);
        run(CRIME, members);
        assertEquals(1, meta.requests(Route.LIST_AUDIENCES).size());
        Request create = meta.requests(Route.CREATE_AUDIENCE).get(0);
        assertEquals(CRIME_NAME, create.body().path("name").asText());
        assertEquals(
                "Customers in audience crime-buyers [audience-exporter:crime-buyers]",
                create.body().path("description").asText(),
                "the description marks the audience as this job's own");
        String id = state(CRIME).remote().get(MetaAudienceClient.AUDIENCE_ID);
        assertEquals(List.of(id), meta.audiencesNamed(CRIME_NAME));

        meta.forgetRequests();
        run(CRIME, members);
        assertEquals(
                List.of(Route.READ_AUDIENCE),
                routes(),
                "the second run reads the remembered audience and sends nothing");
        assertEquals(id, meta.requests(Route.READ_AUDIENCE).get(0).audienceId());
        assertEquals(List.of(id), meta.audiencesNamed(CRIME_NAME), "no second audience");
    }

    @Test
    void findsAnAudienceByNameOnALaterPageAndReplacesItsMembersWhenTheStateIsLost() {
        for (int i = 0; i < 450; i++) {
            meta.seedAudience("someone else's audience " + i, Set.of());
        }
        String id = meta.seedAudience(
                CRIME_NAME,
                "Crime buyers " + Ownership.marker(CRIME),
                hex(hashes(100, 110))); // members this job cannot know of
        SortedHashes desired = hashes(0, 5);

        run(CRIME, desired);

        assertEquals(3, meta.requests(Route.LIST_AUDIENCES).size(), "451 audiences in pages of 200");
        assertEquals("400", meta.requests(Route.LIST_AUDIENCES).get(2).query().get("after"));
        assertEquals(List.of(), meta.requests(Route.CREATE_AUDIENCE));
        assertEquals(1, meta.requests(Route.REPLACE_USERS).size(), "an audience found without state is replaced");
        assertEquals(hex(desired), meta.members(id));
        assertEquals(hex(desired), hex(state(CRIME).confirmed()));
        assertEquals(id, state(CRIME).remote().get(MetaAudienceClient.AUDIENCE_ID));
    }

    @Test
    void aCreateWhoseAnswerWasLostDoesNotMakeASecondAudience() {
        meta.inject(Fault.http(Route.CREATE_AUDIENCE, 502).appliedButLost());

        run(CRIME, hashes(0, 5));

        assertEquals(1, meta.requests(Route.CREATE_AUDIENCE).size(), "the retry looked before creating again");
        assertEquals(2, meta.requests(Route.LIST_AUDIENCES).size());
        String id = audienceId(CRIME);
        assertEquals(List.of(id), meta.audiencesNamed(CRIME_NAME));
        assertEquals(hex(hashes(0, 5)), meta.members(id));
        assertEquals(List.of(), meta.requests(Route.REPLACE_USERS), "an audience this run created needs no replace");
    }

    @Test
    void aCreateRetryNeverTakesAnAudienceSomeoneElseMadeMeanwhile() {
        meta.inject(Fault.http(Route.CREATE_AUDIENCE, 502));
        meta.afterFault(() -> meta.seedAudience(CRIME_NAME, "Made by hand in Ads Manager", Set.of()));

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 5)));

        assertTrue(e.getMessage().contains("was not created by this job"), e.getMessage());
        assertEquals(1, meta.requests(Route.CREATE_AUDIENCE).size(), "no second create");
        assertEquals(List.of(), meta.requests(Route.ADD_USERS), "nothing written to the other audience");
    }

    @Test
    void aSameNameAudienceThisJobDidNotCreateIsNeverWrittenTo() {
        Set<String> theirs = hex(hashes(1000, 1050));
        String foreign = meta.seedAudience(CRIME_NAME, "Made by hand in Ads Manager", theirs);

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 5)));
        // and again with a lost state's full refresh
        assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 5), true, ""));

        assertEquals(List.of(Route.LIST_AUDIENCES, Route.LIST_AUDIENCES), routes(), "looked, and wrote nothing");
        assertEquals(theirs, meta.members(foreign));
        assertEquals(List.of(foreign), meta.audiencesNamed(CRIME_NAME), "no second audience of the same name either");
        assertTrue(state(CRIME).isNew(), "the state does not take the audience on");
        assertTrue(
                e.getMessage()
                        .startsWith("custom audience " + foreign + " named '" + CRIME_NAME + "' in ad account act_"
                                + ACCOUNT + " was not created by this job"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("give the audience definition " + CRIME.file() + " another id"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("set 'adopt: true' in it to take that audience over on purpose"),
                e.getMessage());
        assertFalse(e.stopsDestination(), "only this audience fails");
    }

    @Test
    void aMarkerForAnotherDefinitionDoesNotMakeTheAudienceOurs() {
        String other = meta.seedAudience(CRIME_NAME, Ownership.marker(LAPSED), hex(hashes(7, 9)));

        assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 5)));

        assertEquals(hex(hashes(7, 9)), meta.members(other));
    }

    @Test
    void adoptTakesAForeignAudienceOverWithAFullReplace() {
        String foreign = meta.seedAudience(CRIME_NAME, "", hex(hashes(1000, 1050)));
        AudienceDefinition adopting = new AudienceDefinition(
                CRIME.id(),
                CRIME.description(),
                CRIME.destinations(),
                CRIME.sync(),
                CRIME.minSize(),
                true,
                CRIME.rule(),
                CRIME.file());
        SortedHashes desired = hashes(0, 5);

        run(adopting, desired);

        assertEquals(List.of(Route.LIST_AUDIENCES, Route.REPLACE_USERS), routes());
        assertEquals(hex(desired), meta.members(foreign), "its old members are gone");
        assertEquals(foreign, audienceId(CRIME));
        assertEquals(desired, state(CRIME).confirmed());

        meta.forgetRequests();
        run(CRIME, hashes(0, 6));
        assertEquals(
                List.of(Route.READ_AUDIENCE, Route.ADD_USERS), routes(), "once adopted, the state says it is ours");
    }

    @Test
    void twoAudiencesOfTheSameNameAreNotGuessedBetween() {
        String a = meta.seedAudience(CRIME_NAME, Set.of());
        String b = meta.seedAudience(CRIME_NAME, Set.of());
        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 3)));
        assertTrue(
                e.getMessage().contains("2 custom audiences named '" + CRIME_NAME + "' (ids " + a + ", " + b + ")"),
                e.getMessage());
        assertEquals(List.of(), meta.requests(Route.CREATE_AUDIENCE));
    }

    // ---- adds, removes, batches ----

    @Test
    void sendsAddsAndRemovesIncrementally() {
        run(CRIME, hashes(0, 10));
        String id = audienceId(CRIME);
        meta.forgetRequests();

        Delivery d = run(CRIME, hashes(3, 13));

        Request remove = meta.requests(Route.REMOVE_USERS).get(0);
        Request add = meta.requests(Route.ADD_USERS).get(0);
        assertEquals("DELETE", remove.method());
        assertEquals(hex(hashes(0, 3)), Set.copyOf(remove.data()));
        assertEquals(hex(hashes(10, 13)), Set.copyOf(add.data()));
        assertTrue(meta.requests().indexOf(remove) < meta.requests().indexOf(add), "removes go first");
        assertEquals(1, remove.session().path("batch_seq").asInt(), "removes carry a session of their own");
        assertTrue(remove.session().path("last_batch_flag").asBoolean());
        assertEquals(3, remove.session().path("estimated_num_total").asLong());
        assertNotEquals(
                remove.session().path("session_id").asLong(),
                add.session().path("session_id").asLong());
        assertEquals(hex(hashes(3, 13)), meta.members(id));
        assertEquals(meta.members(id), hex(state(CRIME).confirmed()));
        assertEquals(3, d.adds());
        assertEquals(3, d.removes());
        assertTrue(
                d.message().contains("meta remove: 1 request, 3 sent, num_received 3, num_invalid_entries 0"),
                d.message());
    }

    @Test
    void batchesAtTenThousandRecordsARequest() {
        SortedHashes desired = hashes(0, 20_001);
        Delivery d = run(CRIME, desired);

        List<Integer> sizes = meta.requests(Route.ADD_USERS).stream()
                .map(r -> r.data().size())
                .toList();
        assertEquals(List.of(10_000, 10_000, 1), sizes);
        List<Request> adds = meta.requests(Route.ADD_USERS);
        assertEquals(
                List.of(1, 2, 3),
                adds.stream().map(r -> r.session().path("batch_seq").asInt()).toList());
        assertEquals(
                List.of(false, false, true),
                adds.stream()
                        .map(r -> r.session().path("last_batch_flag").asBoolean())
                        .toList());
        assertEquals(
                1,
                adds.stream()
                        .map(r -> r.session().path("session_id").asLong())
                        .distinct()
                        .count(),
                "one session");
        assertTrue(adds.stream()
                .allMatch(r -> r.session().path("estimated_num_total").asLong() == 20_001));
        assertEquals(hex(desired), meta.members(audienceId(CRIME)));
        assertEquals(desired, state(CRIME).confirmed());
        assertTrue(
                d.message().contains("meta add: 3 requests, 20001 sent, num_received 20001, num_invalid_entries 0"),
                d.message());
    }

    @Test
    void recordsPerRequestMakesSmallerBatches() {
        run(CRIME, hashes(0, 25), false, "records_per_request: 10\n");
        assertEquals(
                List.of(10, 10, 5),
                meta.requests(Route.ADD_USERS).stream()
                        .map(r -> r.data().size())
                        .toList());
    }

    // ---- full refresh ----

    @Test
    void fullRefreshReplacesTheMembersInOneUsersReplaceSession() {
        run(CRIME, hashes(0, 50));
        String id = audienceId(CRIME);
        meta.seedAudience("unrelated", Set.of());
        meta.forgetRequests();
        SortedHashes desired = hashes(40, 20_041);

        Delivery d = run(CRIME, desired, true, "");

        List<Request> batches = meta.requests(Route.REPLACE_USERS);
        assertEquals(3, batches.size());
        assertEquals(
                List.of(1, 2, 3),
                batches.stream().map(r -> r.session().path("batch_seq").asInt()).toList());
        assertEquals(
                List.of(false, false, true),
                batches.stream()
                        .map(r -> r.session().path("last_batch_flag").asBoolean())
                        .toList());
        assertEquals(
                1,
                batches.stream()
                        .map(r -> r.session().path("session_id").asLong())
                        .distinct()
                        .count(),
                "one session");
        assertTrue(batches.get(0).session().path("session_id").asLong() > 0);
        assertTrue(batches.stream()
                .allMatch(r -> r.session().path("estimated_num_total").asLong() == 20_001));
        assertEquals(List.of(), meta.requests(Route.ADD_USERS), "no /users calls during a replace");
        assertEquals(List.of(), meta.requests(Route.REMOVE_USERS));
        assertEquals(hex(desired), meta.members(id), "the members are replaced, the old ones gone");
        assertEquals(desired, state(CRIME).confirmed());
        assertTrue(d.message().contains("full refresh"), d.message());
        assertTrue(d.message().contains("meta replace: 3 requests, 20001 sent, num_received 20001"), d.message());
    }

    @Test
    void aFullRefreshOfAnAudienceThatBecameEmptyRemovesTheHeldMembers() {
        run(CRIME, hashes(0, 12));
        String id = audienceId(CRIME);
        meta.forgetRequests();

        Delivery d = run(CRIME, SortedHashes.empty(), true, "records_per_request: 10\n");

        assertEquals(List.of(Route.READ_AUDIENCE, Route.REMOVE_USERS, Route.REMOVE_USERS), routes(), "no usersreplace");
        assertEquals(
                hex(hashes(0, 12)),
                meta.requests(Route.REMOVE_USERS).stream()
                        .flatMap(r -> r.data().stream())
                        .collect(Collectors.toSet()));
        assertEquals(Set.of(), meta.members(id));
        assertTrue(state(CRIME).confirmed().isEmpty());
        assertFalse(state(CRIME).replaceUnfinished());
        assertEquals(12, d.removes());
        assertTrue(
                d.message()
                        .contains(
                                "full refresh of an empty audience: removed the 12 members held instead of replacing"),
                d.message());
    }

    @Test
    void anEmptyAudienceWhoseMembersAreUnknownIsNotTouched() {
        Set<String> unknown = hex(hashes(100, 110));
        String id = meta.seedAudience(CRIME_NAME, Ownership.marker(CRIME), unknown); // state lost

        DestinationException e =
                assertThrows(DestinationException.class, () -> run(CRIME, SortedHashes.empty(), true, ""));

        assertEquals(List.of(Route.LIST_AUDIENCES), routes());
        assertEquals(unknown, meta.members(id));
        assertTrue(e.getMessage().contains("this job has no state for it"), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was sent"), e.getMessage());
    }

    @Test
    void aReplaceThatFailsBeforeItsLastBatchLeavesTheStateAsItWas() {
        SortedHashes before = hashes(0, 50);
        run(CRIME, before);
        String id = audienceId(CRIME);
        meta.inject(Fault.graph(
                        Route.REPLACE_USERS,
                        400,
                        2650,
                        MetaErrors.SESSION_TIMED_OUT,
                        "(#2650) Failed to update the custom audience")
                .userMessage("The replace session has timed out")
                .onBatch(3));
        SortedHashes desired = hashes(20, 20_021);

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, desired, true, ""));

        assertTrue(e.getMessage().contains("The replace session has timed out"), e.getMessage());
        assertTrue(e.getMessage().contains("subcode 1870158"), e.getMessage());
        assertTrue(e.getMessage().contains("run sync --full-refresh again"), e.getMessage());
        assertEquals(before, state(CRIME).confirmed(), "the state is replaced only after the last batch");
        assertEquals(hex(before), meta.members(id), "Meta swaps the members only at the last batch");

        long failedSession = meta.requests(Route.REPLACE_USERS)
                .get(0)
                .session()
                .path("session_id")
                .asLong();
        meta.forgetRequests();
        run(CRIME, desired, true, "");
        assertNotEquals(
                failedSession,
                meta.requests(Route.REPLACE_USERS)
                        .get(0)
                        .session()
                        .path("session_id")
                        .asLong(),
                "the next run starts a new session");
        assertEquals(hex(desired), meta.members(id));
        assertEquals(desired, state(CRIME).confirmed());
    }

    @Test
    void aReplaceThatShouldRebuildALostStateAndFailsIsTriedAgainNextRun() {
        String id = meta.seedAudience(
                CRIME_NAME, Ownership.marker(CRIME), hex(hashes(100, 110))); // members nobody can vouch for
        meta.inject(Fault.graph(
                Route.REPLACE_USERS,
                400,
                2650,
                MetaErrors.SESSION_TIMED_OUT,
                "(#2650) Failed to update the custom audience"));
        SortedHashes desired = hashes(0, 5);

        assertThrows(DestinationException.class, () -> run(CRIME, desired));
        assertTrue(state(CRIME).replaceUnfinished(), "the state says the members are unknown");
        assertTrue(state(CRIME).confirmed().isEmpty());

        meta.forgetRequests();
        run(CRIME, desired);
        assertEquals(
                List.of(Route.READ_AUDIENCE, Route.REPLACE_USERS),
                routes(),
                "replaced again, not diffed against nothing");
        assertFalse(state(CRIME).replaceUnfinished());
        assertEquals(hex(desired), meta.members(id));
        assertEquals(desired, state(CRIME).confirmed());
        assertEquals(id, state(CRIME).remote().get(MetaAudienceClient.AUDIENCE_ID));
    }

    @Test
    void aLastBatchWhoseAnswerWasLostCountsAsFinishedWhenMetaSaysSo() {
        run(CRIME, hashes(0, 5));
        meta.inject(Fault.http(Route.REPLACE_USERS, 502).appliedButLost().onBatch(2));
        SortedHashes desired = hashes(0, 15);

        Delivery d = run(CRIME, desired, true, "records_per_request: 10\n");

        // batch 2 (the last) was applied, its answer lost; the retry hears "session already finished"
        assertEquals(
                List.of(1, 2, 2),
                meta.requests(Route.REPLACE_USERS).stream()
                        .map(r -> r.session().path("batch_seq").asInt())
                        .toList());
        assertEquals(hex(desired), meta.members(audienceId(CRIME)));
        assertEquals(desired, state(CRIME).confirmed());
        assertTrue(d.message().contains("the last batch's answer was lost"), d.message());
    }

    // ---- Meta's per-entry answers ----

    @Test
    void invalidEntriesMetaNamesStayOutOfTheState() {
        SortedHashes desired = hashes(0, 10);
        Set<String> refused = Set.of(desired.hex(2), desired.hex(7));
        meta.treatAsInvalid(refused, Integer.MAX_VALUE);

        Delivery d = run(CRIME, desired);

        Set<String> expected = new TreeSet<>(hex(desired));
        expected.removeAll(refused);
        assertEquals(expected, hex(state(CRIME).confirmed()));
        assertEquals(expected, meta.members(audienceId(CRIME)));
        assertEquals(2, d.failed());
        assertTrue(d.message().contains("num_received 10, num_invalid_entries 2"), d.message());
        assertTrue(d.message().contains("invalid_entry_samples"), d.message());
        refused.forEach(h -> assertTrue(d.message().contains(h), d.message()));
    }

    @Test
    void invalidEntriesMetaDoesNotNameFailTheirWholeBatch() {
        SortedHashes desired = hashes(0, 25);
        // in batch [0, 10) two are invalid and Meta names one; in batch [20, 25) one, and Meta names it
        meta.treatAsInvalid(Set.of(desired.hex(3), desired.hex(4), desired.hex(21)), 1);

        Delivery d = run(CRIME, desired, false, "records_per_request: 10\n");

        Set<String> expected = new TreeSet<>(hex(desired.slice(10, 25)));
        expected.remove(desired.hex(21));
        assertEquals(expected, hex(state(CRIME).confirmed()));
        assertEquals(11, d.failed());
        assertTrue(d.message().contains("num_received 25, num_invalid_entries 3"), d.message());
        assertTrue(d.message().contains("1 request had invalid entries Meta did not name"), d.message());
        assertTrue(d.message().contains("all 10 of their hashes count as not confirmed"), d.message());

        meta.forgetRequests();
        run(CRIME, desired, false, "records_per_request: 10\n");
        Set<String> again = new TreeSet<>(hex(desired.slice(0, 10)));
        again.add(desired.hex(21));
        assertEquals(
                again,
                Set.copyOf(meta.requests(Route.ADD_USERS).stream()
                        .flatMap(r -> r.data().stream())
                        .toList()),
                "the next run sends what was not confirmed");
    }

    @Test
    void unconfirmedRemovesStayInTheStateAndGoAgain() {
        SortedHashes all = hashes(0, 10);
        run(CRIME, all);
        meta.treatAsInvalid(Set.of(all.hex(0)), 0);

        run(CRIME, all.slice(5, 10));

        assertEquals(all.slice(5, 10), state(CRIME).confirmed());
        assertEquals(
                all.slice(0, 5),
                state(CRIME).inDoubt(),
                "Meta named none of the invalid removes, so none count as done");
        meta.forgetRequests();
        run(CRIME, all.slice(5, 10));
        assertEquals(
                hex(all.slice(0, 5)),
                Set.copyOf(meta.requests(Route.REMOVE_USERS).get(0).data()));
    }

    // ---- errors: retried ----

    @ParameterizedTest
    @ValueSource(ints = {4, 17, 32, 613, 80003})
    void rateLimitsAreRetried(int code) {
        meta.inject(Fault.graph(Route.ADD_USERS, 400, code, 0, "(#" + code + ") Too many calls")
                .header(GraphApi.USAGE_HEADER, usage(0))
                .times(2));
        SortedHashes desired = hashes(0, 5);

        run(CRIME, desired);

        assertEquals(3, meta.requests(Route.ADD_USERS).size());
        assertEquals(hex(desired), meta.members(audienceId(CRIME)));
        assertEquals(desired, state(CRIME).confirmed());
    }

    @Test
    void theUsageHeaderSaysHowLongTheRetryWaits() {
        meta.inject(Fault.graph(
                        Route.ADD_USERS,
                        400,
                        80003,
                        2446079,
                        "(#80003) There have been too many calls to this ad-account.")
                .header(GraphApi.USAGE_HEADER, usage(7)));

        DestinationException e = assertThrows(
                DestinationException.class, () -> run(CRIME, hashes(0, 5), false, "", "{max_attempts: 1}"));

        assertEquals(
                Optional.of(Duration.ofMinutes(7)),
                MetaErrors.retryAfter(e.getCause()),
                "the wait handed to the retry is estimated_time_to_regain_access, in minutes");
        assertTrue(MetaErrors.retryable(e.getCause()));
        assertTrue(e.getMessage().contains("throttling"), e.getMessage());
    }

    @Test
    void waitsAreReadFromTheUsageHeaderElseRetryAfter() {
        assertEquals(
                Optional.of(Duration.ofMinutes(12)),
                GraphApi.retryAfter(headers(Map.of(
                        GraphApi.USAGE_HEADER,
                        "{\"" + ACCOUNT
                                + "\":[{\"type\":\"custom_audience\",\"call_count\":100,\"total_cputime\":3,\"total_time\":4,"
                                + "\"estimated_time_to_regain_access\":12},{\"type\":\"ads_management\",\"estimated_time_to_regain_access\":2}]}",
                        "Retry-After",
                        "30"))));
        assertEquals(
                Optional.of(Duration.ofSeconds(30)),
                GraphApi.retryAfter(headers(Map.of(GraphApi.USAGE_HEADER, usage(0), "Retry-After", "30"))));
        assertEquals(Optional.empty(), GraphApi.retryAfter(headers(Map.of(GraphApi.USAGE_HEADER, "not json"))));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void metaTransientErrorsAreRetried(int code) {
        meta.inject(Fault.graph(
                Route.REMOVE_USERS,
                500,
                code,
                0,
                "An unexpected error has occurred. Please retry your request later."));
        run(CRIME, hashes(0, 5));

        run(CRIME, hashes(0, 2));

        assertEquals(2, meta.requests(Route.REMOVE_USERS).size());
        assertEquals(hex(hashes(0, 2)), meta.members(audienceId(CRIME)));
        assertEquals(hashes(0, 2), state(CRIME).confirmed());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void httpServerErrorsAreRetried(int status) {
        meta.inject(Fault.http(Route.CREATE_AUDIENCE, status).times(2));
        run(CRIME, hashes(0, 5));
        assertEquals(3, meta.requests(Route.CREATE_AUDIENCE).size());
        assertEquals(List.of(audienceId(CRIME)), meta.audiencesNamed(CRIME_NAME), "failed creates created nothing");
        assertEquals(hex(hashes(0, 5)), meta.members(audienceId(CRIME)));
    }

    @Test
    void noAnswerAtAllIsRetriedAndThenExplained() throws IOException {
        FakeGraphApi gone = new FakeGraphApi();
        String endpoint = gone.endpoint();
        gone.close(); // nothing listens there any more
        NetworkDestination d = MetaDestination.create(
                settings("""
                type: meta
                ad_account_id: act_%s
                access_token: ${%s}
                app_secret: ${%s}
                endpoint: %s
                retry: { max_attempts: 2, initial_backoff: 1ms, max_backoff: 5ms }
                timeout: 2s
                """.formatted(ACCOUNT, TOKEN_VARIABLE, SECRET_VARIABLE, endpoint)), context(false));

        DestinationException e = assertThrows(DestinationException.class, () -> deliver(d, CRIME, hashes(0, 5)));

        assertTrue(
                e.getMessage().contains("(gave up after 2 attempts): Meta did not answer (ConnectException"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Check the network and the endpoint " + endpoint), e.getMessage());
        assertTrue(state(CRIME).isNew());
    }

    @Test
    void retriesThatRunOutCommitOnlyWhatMetaConfirmed() {
        run(CRIME, hashes(0, 5));
        meta.inject(Fault.graph(Route.ADD_USERS, 400, 17, 0, "(#17) User request limit reached")
                .times(3));

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(2, 8)));

        assertTrue(e.getMessage().contains("gave up after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("code 17"), e.getMessage());
        // the remove went through before the adds were throttled: the state says exactly that
        assertEquals(hex(hashes(2, 5)), meta.members(audienceId(CRIME)));
        assertEquals(meta.members(audienceId(CRIME)), hex(state(CRIME).confirmed()));
    }

    @Test
    void anUpdateInProgressIsWaitedFor() {
        meta.inject(Fault.graph(
                        Route.ADD_USERS,
                        400,
                        2650,
                        MetaErrors.UPDATE_IN_PROGRESS,
                        "(#2650) Failed to update the custom audience")
                .times(2));
        run(CRIME, hashes(0, 5));
        assertEquals(hex(hashes(0, 5)), meta.members(audienceId(CRIME)));
    }

    @Test
    void anUpdateInProgressThatLastsFailsClearly() {
        run(CRIME, hashes(0, 5));
        meta.inject(Fault.graph(
                        Route.REPLACE_USERS,
                        400,
                        2650,
                        MetaErrors.UPDATE_IN_PROGRESS,
                        "(#2650) Failed to update the custom audience")
                .userMessage("Another update is in progress")
                .times(3));

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 8), true, ""));

        assertTrue(e.getMessage().contains("Another update is in progress"), e.getMessage());
        assertTrue(e.getMessage().contains("Run sync again later"), e.getMessage());
        assertEquals(hashes(0, 5), state(CRIME).confirmed());
    }

    // ---- errors: not retried ----

    @ParameterizedTest
    @ValueSource(ints = {0, 460, 463, 467})
    void anInvalidTokenStopsTheDestinationAndSaysToRenewIt(int subcode) {
        meta.inject(Fault.graph(
                Route.LIST_AUDIENCES,
                400,
                190,
                subcode,
                "Error validating access token: Session has expired. Malformed access token " + TOKEN));
        NetworkDestination d = destination(false, "", "{max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms}");

        DestinationException e = assertThrows(DestinationException.class, () -> deliver(d, CRIME, hashes(0, 5)));
        d.close();

        assertEquals(1, meta.requests().size(), "one call, no retry");
        assertTrue(e.stopsDestination(), "the run tries no other audience at this destination");
        assertTrue(e.getMessage().contains("Renew the system user's token"), e.getMessage());
        assertTrue(e.getMessage().contains(TOKEN_VARIABLE), e.getMessage());
        assertTrue(e.getMessage().contains("code 190"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), "the token never appears in a message");
        assertTrue(state(CRIME).isNew());
    }

    @Test
    void termsNotAcceptedStopTheDestinationWithMetasWords() {
        meta.inject(Fault.graph(Route.CREATE_AUDIENCE, 400, 2655, 0, "(#2655) Terms of service has not been accepted")
                .userMessage("You must accept the Custom Audiences terms before creating an audience"));
        NetworkDestination d = destination(false, "", "{max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms}");

        DestinationException e = assertThrows(DestinationException.class, () -> deliver(d, CRIME, hashes(0, 5)));
        d.close();

        assertTrue(e.stopsDestination(), "the run tries no other audience at this destination");
        assertTrue(
                e.getMessage().contains("You must accept the Custom Audiences terms before creating an audience"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("act_" + ACCOUNT + " must accept Meta's Custom Audience terms"),
                e.getMessage());
        assertEquals(1, meta.requests(Route.CREATE_AUDIENCE).size());
    }

    @Test
    void aRetiredApiVersionStopsTheDestinationAndSaysWhichSetting() {
        meta.inject(Fault.graph(
                Route.LIST_AUDIENCES,
                400,
                2635,
                0,
                "(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version."));
        NetworkDestination d = destination(false, "", "{max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms}");

        DestinationException e = assertThrows(DestinationException.class, () -> deliver(d, CRIME, hashes(0, 5)));
        d.close();

        assertTrue(e.stopsDestination(), "the run tries no other audience at this destination");
        assertTrue(e.getMessage().contains("You are calling a deprecated version of the Ads API"), e.getMessage());
        assertTrue(e.getMessage().contains("set api_version to a current version"), e.getMessage());
        assertEquals(1, meta.requests().size());
    }

    @Test
    void missingPermissionsStopTheDestination() {
        meta.inject(Fault.graph(Route.CREATE_AUDIENCE, 403, 200, 0, "(#200) Permissions error")
                .userMessage("The user does not have permission to create custom audiences in this ad account"));
        NetworkDestination d = destination(false, "", "{max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms}");

        DestinationException e = assertThrows(DestinationException.class, () -> deliver(d, CRIME, hashes(0, 5)));
        d.close();

        assertTrue(e.stopsDestination(), "the run tries no other audience at this destination");
        assertTrue(e.getMessage().contains("does not have permission to create custom audiences"), e.getMessage());
        assertTrue(e.getMessage().contains("assign ad account act_" + ACCOUNT + " to the system user"), e.getMessage());
    }

    @Test
    void anAudienceNotSharedFailsWithMetasWords() {
        run(CRIME, hashes(0, 5));
        meta.inject(Fault.graph(Route.READ_AUDIENCE, 400, 100, MetaErrors.AUDIENCE_NOT_SHARED, "Invalid parameter")
                .userMessage(
                        "Custom Audience Unavailable: The custom audience you are trying to use has not been shared "
                                + "with your ad account"));

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 8)));

        assertTrue(e.getMessage().contains("has not been shared with your ad account"), e.getMessage());
        assertTrue(e.getMessage().contains("share it with act_" + ACCOUNT), e.getMessage());
        assertEquals(hashes(0, 5), state(CRIME).confirmed());
        assertEquals(1, meta.requests(Route.CREATE_AUDIENCE).size(), "no new audience");
    }

    @Test
    void aDeletedAudienceIsNotSilentlyRecreated() {
        run(CRIME, hashes(0, 5));
        String id = audienceId(CRIME);
        meta.deleteAudience(id);
        meta.forgetRequests();

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 8)));

        assertTrue(e.getMessage().contains("does not exist"), "Meta's own words: " + e.getMessage());
        assertTrue(e.getMessage().contains("It is not replaced on its own"), e.getMessage());
        assertTrue(e.getMessage().contains("crime-buyers.state"), e.getMessage());
        assertEquals(List.of(Route.READ_AUDIENCE), routes(), "no new audience, nothing sent");
        assertEquals(id, state(CRIME).remote().get(MetaAudienceClient.AUDIENCE_ID), "the state keeps the old id");
    }

    @Test
    void anAudienceDeletedWhileSyncingFailsTheSameWay() {
        run(CRIME, hashes(0, 5));
        meta.inject(Fault.graph(
                        Route.ADD_USERS,
                        400,
                        2650,
                        MetaErrors.AUDIENCE_DELETED,
                        "(#2650) Failed to update the custom audience")
                .userMessage("Custom Audience Has Been Deleted"));
        meta.forgetRequests();

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 8)));

        assertTrue(e.getMessage().contains("Custom Audience Has Been Deleted"), e.getMessage());
        assertTrue(e.getMessage().contains("It is not replaced on its own"), e.getMessage());
        assertEquals(1, meta.requests(Route.ADD_USERS).size(), "not retried");
        assertEquals(List.of(), meta.requests(Route.CREATE_AUDIENCE));
        assertEquals(hashes(0, 5), state(CRIME).confirmed());
    }

    @ParameterizedTest
    @ValueSource(
            ints = {
                MetaErrors.FIRST_BATCH_NOT_ONE,
                MetaErrors.SESSION_ALREADY_FINISHED,
                MetaErrors.PARTIAL_UPDATE,
                MetaErrors.TOO_LARGE
            })
    void replaceSessionErrorsFailWithMetasWordsAndLeaveTheState(int subcode) {
        run(CRIME, hashes(0, 5));
        meta.inject(Fault.graph(Route.REPLACE_USERS, 400, 2650, subcode, "(#2650) Failed to update the custom audience")
                .userMessage("Replace failed for reason " + subcode));

        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 8), true, ""));

        assertTrue(e.getMessage().contains("Replace failed for reason " + subcode), e.getMessage());
        assertTrue(e.getMessage().contains("subcode " + subcode), e.getMessage());
        assertEquals(1, meta.requests(Route.REPLACE_USERS).size(), "not retried");
        assertEquals(hashes(0, 5), state(CRIME).confirmed());
        assertEquals(hex(hashes(0, 5)), meta.members(audienceId(CRIME)));
    }

    @Test
    void aRefusalWithoutMetaCodeIsNotRetriedAndSaysWhatHappened() {
        meta.inject(Fault.http(Route.LIST_AUDIENCES, 404));
        DestinationException e = assertThrows(DestinationException.class, () -> run(CRIME, hashes(0, 5)));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertEquals(1, meta.requests().size());
    }

    // ---- crash between Meta's confirmation and the state commit ----

    @Test
    void aCrashBeforeTheStateCommitConvergesOnTheNextRun() throws IOException {
        run(CRIME, hashes(0, 10));
        Path file = store.file("meta", CRIME.id());
        Path saved = Files.copy(file, tmp.resolve("saved.state"));
        SortedHashes desired = hashes(5, 15);

        run(CRIME, desired);
        Files.copy(saved, file, StandardCopyOption.REPLACE_EXISTING); // as if the commit never happened
        assertEquals(hashes(0, 10), state(CRIME).confirmed());

        run(CRIME, desired);
        assertEquals(hex(desired), meta.members(audienceId(CRIME)));
        assertEquals(meta.members(audienceId(CRIME)), hex(state(CRIME).confirmed()));
    }

    // ---- settings ----

    @Test
    void theProofIsTheHmacOfTheTokenKeyedWithTheAppSecret() {
        assertEquals(FakeGraphApi.hmacSha256Hex(APP_SECRET, TOKEN), GraphApi.appSecretProof(TOKEN, APP_SECRET));
        assertTrue(GraphApi.appSecretProof(TOKEN, APP_SECRET).matches("[0-9a-f]{64}"));
    }

    @Test
    void settingsAreReadStrictly() {
        assertSettingsError("colour: blue\n", "exporter.yaml: colour: unknown key");
        assertSettingsError("records_per_request: 10001\n", "records_per_request: must be between 1 and 10000");
        assertSettingsError("api_version: \"24\"\n", "api_version: expected a Graph API version such as v24.0");
        assertSettingsError("endpoint: \"ftp://example.com\"\n", "endpoint: expected an http(s) address");
        assertSettingsError("normalization: basic\n", "normalization: unknown key");

        DefinitionException literal =
                assertThrows(DefinitionException.class, () -> create("""
                type: meta
                ad_account_id: act_1
                access_token: "EAAliteraltoken"
                app_secret: ${%s}
                """.formatted(SECRET_VARIABLE)));
        assertTrue(literal.getMessage().contains("access_token: write it as ${ENV_VAR}"), literal.getMessage());
        assertFalse(literal.getMessage().contains("EAAliteraltoken"));

        DefinitionException unset =
                assertThrows(DefinitionException.class, () -> create("""
                type: meta
                ad_account_id: act_1
                access_token: ${NOT_SET_ANYWHERE}
                app_secret: ${%s}
                """.formatted(SECRET_VARIABLE)));
        assertTrue(unset.getMessage().contains("environment variable NOT_SET_ANYWHERE is not set"), unset.getMessage());

        DefinitionException account =
                assertThrows(DefinitionException.class, () -> create("""
                type: meta
                ad_account_id: acct-12
                access_token: ${%s}
                app_secret: ${%s}
                """.formatted(TOKEN_VARIABLE, SECRET_VARIABLE)));
        assertTrue(
                account.getMessage().contains("ad_account_id: expected the ad account's digits"), account.getMessage());
    }

    @Test
    void theAdAccountIdMayBeWrittenWithOrWithoutActAndAsANumber() {
        for (String written : List.of("act_1234567890", "\"1234567890\"", "1234567890")) {
            MetaSettings s = MetaSettings.read(
                    settings("""
                    type: meta
                    ad_account_id: %s
                    access_token: ${%s}
                    app_secret: ${%s}
                    """.formatted(written, TOKEN_VARIABLE, SECRET_VARIABLE)), context(false));
            assertEquals(ACCOUNT, s.adAccountId(), written);
            assertEquals("v24.0", s.apiVersion());
            assertEquals("https://graph.facebook.com", s.endpoint().toString());
            assertEquals(10_000, s.recordsPerRequest());
            assertEquals(
                    "audience-exporter: crime-buyers", s.audienceName("crime-buyers"), "the name says who made it");
            assertFalse(s.toString().contains(TOKEN) || s.toString().contains(APP_SECRET));
        }
    }

    // ---- helpers ----

    private Delivery run(AudienceDefinition audience, SortedHashes desired) {
        return run(audience, desired, false, "");
    }

    private Delivery run(AudienceDefinition audience, SortedHashes desired, boolean fullRefresh, String more) {
        return run(audience, desired, fullRefresh, more, "{max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms}");
    }

    /** One sync run of one audience, with a destination of its own, as the command line makes. */
    private Delivery run(
            AudienceDefinition audience, SortedHashes desired, boolean fullRefresh, String more, String retry) {
        try (NetworkDestination d = destination(fullRefresh, more, retry)) {
            return deliver(d, audience, desired);
        }
    }

    private static Delivery deliver(NetworkDestination d, AudienceDefinition audience, SortedHashes desired) {
        return d.deliver(AudiencePlan.of(audience, d.id(), desired, d.current(audience), desired));
    }

    private NetworkDestination destination(boolean fullRefresh, String more, String retry) {
        return MetaDestination.create(
                settings("""
                type: meta
                ad_account_id: act_%s
                access_token: ${%s}
                app_secret: ${%s}
                endpoint: %s
                audience_prefix: "nestit-"
                retry: %s
                rate_limit: { per_second: 1000 }
                timeout: 10s
                """.formatted(ACCOUNT, TOKEN_VARIABLE, SECRET_VARIABLE, meta.endpoint(), retry) + more),
                context(fullRefresh));
    }

    private NetworkDestination create(String yaml) {
        return MetaDestination.create(settings(yaml), context(false));
    }

    private void assertSettingsError(String more, String expected) {
        DefinitionException e = assertThrows(
                DefinitionException.class, () -> create("""
                type: meta
                ad_account_id: act_1
                access_token: ${%s}
                app_secret: ${%s}
                """.formatted(TOKEN_VARIABLE, SECRET_VARIABLE) + more));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static DestinationSettings settings(String yaml) {
        return new DestinationSettings("meta", "meta", YamlNode.parse("exporter.yaml", yaml));
    }

    private DestinationContext context(boolean fullRefresh) {
        Map<String, String> env = Map.of(TOKEN_VARIABLE, TOKEN, SECRET_VARIABLE, APP_SECRET);
        return new DestinationContext(tmp.resolve("out"), store, fullRefresh, new ConfigLoader(env::get));
    }

    private AudienceState state(AudienceDefinition audience) {
        return store.load("meta", audience.id());
    }

    private String audienceId(AudienceDefinition audience) {
        return state(audience).remote().get(MetaAudienceClient.AUDIENCE_ID);
    }

    private List<Route> routes() {
        return meta.requests().stream().map(Request::route).toList();
    }

    private static AudienceDefinition audience(String id) {
        return new AudienceDefinition(
                id,
                "Customers in audience " + id,
                List.of("meta"),
                SyncMode.MIRROR,
                1,
                new Rule.Customer(Where.ANY_ROW),
                Path.of("audiences", id + ".yaml"));
    }

    /** Hashes of user{from}@example.com ... user{to - 1}@example.com. */
    static SortedHashes hashes(int from, int to) {
        Sha256 sha = new Sha256();
        List<byte[]> digests = new ArrayList<>();
        IntStream.range(from, to).forEach(i -> digests.add(sha.digest("user" + i + "@example.com")));
        return SortedHashes.of(digests);
    }

    static Set<String> hex(SortedHashes hashes) {
        Set<String> hex = new TreeSet<>();
        try {
            hashes.forEachHex(hex::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return hex;
    }

    private static String usage(int minutes) {
        return "{\"" + ACCOUNT
                + "\":[{\"type\":\"custom_audience\",\"call_count\":100,\"total_cputime\":10,\"total_time\":10,"
                + "\"estimated_time_to_regain_access\":" + minutes + "}]}";
    }

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> multi = new HashMap<>();
        values.forEach((k, v) -> multi.put(k, List.of(v)));
        return HttpHeaders.of(multi, (k, v) -> true);
    }
}
