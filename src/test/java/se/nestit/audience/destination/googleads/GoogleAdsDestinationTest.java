package se.nestit.audience.destination.googleads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ads.googleads.v23.enums.OfflineUserDataJobStatusEnum.OfflineUserDataJobStatus;
import com.google.ads.googleads.v23.enums.UserListTypeEnum.UserListType;
import com.google.ads.googleads.v23.errors.GoogleAdsException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.NetworkDestination;
import se.nestit.audience.destination.Ownership;
import se.nestit.audience.destination.googleads.FakeGoogleAds.Fault;
import se.nestit.audience.destination.googleads.FakeGoogleAds.JobOutcome;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;
import se.nestit.audience.sync.AudiencePlan;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.PendingOperation;
import se.nestit.audience.sync.StateStore;

/** The sync engine through the Google Ads client, against a fake Google Ads reached by the real generated clients. */
class GoogleAdsDestinationTest {

    private static final String CONFIG = """
            type: google-ads
            customer_id: 123-456-7890
            list_prefix: "shop: "
            identifiers_per_request: 3
            job_wait: 2s
            poll_interval: 2ms
            retry: {max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms}
            """;
    private static final String LIST = "shop: buyers";
    private static final AudienceDefinition AUDIENCE = new AudienceDefinition(
            "buyers",
            "People who bought",
            List.of("google"),
            SyncMode.MIRROR,
            0,
            new Rule.Customer(Where.ANY_ROW),
            Path.of("audiences/buyers.yaml"));

    @TempDir
    Path tmp;

    private FakeGoogleAds google;
    private StateStore store;

    @BeforeEach
    void start() throws IOException {
        google = new FakeGoogleAds(3, null).startInProcess();
        store = new StateStore(tmp.resolve("state"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        google.close();
        assertEquals(List.of(), google.violations(), "requests the real Google Ads would refuse, or promises broken");
    }

    @Test
    void firstSyncCreatesTheListAndUploadsEveryoneInBatches() {
        SortedHashes desired = people(0, 7);
        Delivery d = sync(CONFIG, desired);

        assertEquals(Delivery.Status.OK, d.status(), d.message());
        assertEquals(7, d.adds());
        String list = google.listNamed(LIST).orElseThrow();
        assertEquals(UserListType.CRM_BASED, google.list(list).getType());
        assertEquals(540, google.list(list).getMembershipLifeSpan());
        assertEquals(hex(desired), google.members(LIST));
        assertEquals(List.of(3, 3, 1), google.jobs().get(0).requestSizes());
        AudienceState state = store.load("google", "buyers");
        assertEquals(desired, state.confirmed());
        assertEquals(list, state.remote().get(UserLists.KEY));
    }

    @Test
    void unchangedInputSendsNothingAndAChangeSendsExactlyTheDifferenceInSeparateJobs() {
        sync(CONFIG, people(0, 5));
        sync(CONFIG, people(0, 5));
        assertEquals(1, google.jobs().size(), "an unchanged audience starts no job");

        Delivery d = sync(CONFIG, people(2, 8));

        assertEquals(3, d.adds());
        assertEquals(2, d.removes());
        List<FakeGoogleAds.Job> jobs = google.jobs();
        assertEquals(3, jobs.size());
        assertTrue(jobs.get(1).removes() && !jobs.get(1).creates(), "removes go first, in a job of their own");
        assertTrue(jobs.get(2).creates() && !jobs.get(2).removes());
        assertEquals(hex(people(2, 8)), google.members(LIST));
        assertEquals(people(2, 8), store.load("google", "buyers").confirmed());
    }

    @Test
    void unavailableOnceIsRetriedAndSucceeds() {
        google.failNext("AddOfflineUserDataJobOperations", Fault.unavailable());

        Delivery d = sync(CONFIG, people(0, 4));

        assertEquals(Delivery.Status.OK, d.status());
        assertEquals(3, google.calls("AddOfflineUserDataJobOperations"), "two batches, one of them twice");
        assertEquals(hex(people(0, 4)), google.members(LIST));
        assertEquals(people(0, 4), store.load("google", "buyers").confirmed());
    }

    @Test
    void theClientLibraryDoesNotRetryBehindResilience4jsBack() {
        google.failNext("CreateOfflineUserDataJob", Fault.unavailable());

        DestinationException e = assertThrows(
                DestinationException.class,
                () -> sync(CONFIG.replace("max_attempts: 3", "max_attempts: 1"), people(0, 4)));

        assertTrue(e.getMessage().contains("UNAVAILABLE"), e.getMessage());
        assertEquals(1, google.calls("CreateOfflineUserDataJob"), "gax must not retry on its own");
        assertEquals(SortedHashes.empty(), store.load("google", "buyers").confirmed());
    }

    @Test
    void aShortQuotaWaitIsHonouredAndRetried() {
        google.failNext("AddOfflineUserDataJobOperations", Fault.quota(Duration.ofMillis(20)));

        Delivery d = sync(CONFIG, people(0, 2));

        assertEquals(Delivery.Status.OK, d.status());
        assertEquals(2, google.calls("AddOfflineUserDataJobOperations"));
        assertEquals(people(0, 2), store.load("google", "buyers").confirmed());
    }

    @Test
    void aDailyQuotaFailsTheAudienceAtOnceAndCommitsNothing() {
        google.failNext("CreateOfflineUserDataJob", Fault.quota(Duration.ofHours(3)));

        DestinationException e = assertThrows(DestinationException.class, () -> sync(CONFIG, people(0, 2)));

        assertTrue(
                e.getMessage().contains("RESOURCE_EXHAUSTED") && e.getMessage().contains("request id req-"),
                e.getMessage());
        assertEquals(1, google.calls("CreateOfflineUserDataJob"), "a wait of hours is not waited out");
        assertEquals(SortedHashes.empty(), store.load("google", "buyers").confirmed());
        assertEquals(Set.of(), google.members(LIST));
    }

    @Test
    void concurrentModificationIsRetriedThoughItsStatusIsNotARetryableOne() {
        google.failNext("AddOfflineUserDataJobOperations", Fault.concurrentModification());

        assertEquals(Delivery.Status.OK, sync(CONFIG, people(0, 2)).status());
        assertEquals(2, google.calls("AddOfflineUserDataJobOperations"));
    }

    @Test
    void refusedOperationsAreFailedStayOutOfTheStateAndAreSentAgainNextRun() {
        SortedHashes desired = people(0, 7);
        Set<String> refused = Set.of(desired.hex(1), desired.hex(5));
        google.refuse(refused);

        Delivery d = sync(CONFIG, desired);

        assertEquals(5, d.adds());
        assertEquals(2, d.failed());
        assertTrue(d.message().contains("INVALID_SHA256_FORMAT"), d.message());
        Set<String> expected = new HashSet<>(hex(desired));
        expected.removeAll(refused);
        assertEquals(expected, google.members(LIST));
        assertEquals(expected, hex(store.load("google", "buyers").confirmed()));

        google.accept();
        Delivery again = sync(CONFIG, desired);

        assertEquals(2, again.adds(), "exactly the refused ones are sent again");
        assertEquals(hex(desired), google.members(LIST));
        assertEquals(desired, store.load("google", "buyers").confirmed());
    }

    @Test
    void aFailedJobCountsNothingAsSyncedAndIsSentAgain() {
        google.jobsEnd(JobOutcome.FAILED);

        Delivery d = sync(CONFIG, people(0, 4));

        assertEquals(0, d.adds());
        assertEquals(4, d.failed());
        assertTrue(d.message().contains("INSUFFICIENT_MATCHED_TRANSACTIONS"), d.message());
        assertEquals(SortedHashes.empty(), store.load("google", "buyers").confirmed());

        google.jobsEnd(JobOutcome.SUCCESS);
        assertEquals(4, sync(CONFIG, people(0, 4)).adds());
        assertEquals(hex(people(0, 4)), google.members(LIST));
    }

    @Test
    void aJobStillRunningIsPendingAndTheNextRunSettlesItWithoutSendingAgain() {
        google.jobsEnd(JobOutcome.HOLD);
        String config = CONFIG.replace("job_wait: 2s", "job_wait: 20ms");

        Delivery d = sync(config, people(0, 4));

        assertEquals(Delivery.Status.PENDING, d.status());
        AudienceState state = store.load("google", "buyers");
        assertEquals(SortedHashes.empty(), state.confirmed());
        PendingOperation pending = state.pending().get(0);
        assertEquals(google.jobs().get(0).resourceName, pending.id());
        assertEquals(PendingOperation.Kind.ADD, pending.kind());
        assertEquals(people(0, 4), pending.hashes());

        Delivery waiting = sync(config, people(0, 4));
        assertEquals(Delivery.Status.PENDING, waiting.status(), "a job still running holds the audience back");
        assertEquals(1, google.jobs().size());

        google.finishHeldJobs(JobOutcome.SUCCESS);
        Delivery settled = sync(config, people(0, 4));

        assertEquals(Delivery.Status.OK, settled.status(), settled.message());
        assertEquals(1, google.jobs().size(), "nothing sent again");
        assertEquals(people(0, 4), store.load("google", "buyers").confirmed());
        assertEquals(List.of(), store.load("google", "buyers").pending());
        assertEquals(hex(people(0, 4)), google.members(LIST));
    }

    @Test
    void aPendingJobThatFailsIsSentAgainOnTheNextRun() {
        google.jobsEnd(JobOutcome.HOLD);
        String config = CONFIG.replace("job_wait: 2s", "job_wait: 0s");
        assertEquals(Delivery.Status.PENDING, sync(config, people(0, 4)).status());

        google.finishHeldJobs(JobOutcome.FAILED);
        google.jobsEnd(JobOutcome.SUCCESS);
        Delivery d = sync(CONFIG, people(0, 4));

        assertEquals(Delivery.Status.OK, d.status());
        assertEquals(4, d.adds());
        assertEquals(OfflineUserDataJobStatus.FAILED, google.jobs().get(0).status());
        assertEquals(hex(people(0, 4)), google.members(LIST));
        assertEquals(people(0, 4), store.load("google", "buyers").confirmed());
    }

    @Test
    void notAllowlistedPointsToTheDataManagerDestination() {
        google.failNext("CreateOfflineUserDataJob", Fault.notAllowlisted());

        DestinationException e = assertThrows(DestinationException.class, () -> sync(CONFIG, people(0, 2)));

        assertTrue(e.getMessage().contains("CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE"), e.getMessage());
        assertTrue(e.getMessage().contains("google-data-manager"), e.getMessage());
        assertTrue(e.getMessage().contains("request id req-"), e.getMessage());
        assertFalse(e.getMessage().contains(FakeGoogleAds.DEVELOPER_TOKEN));
        assertInstanceOf(
                GoogleAdsException.class, e.getCause(), "the client library decoded the GoogleAdsFailure trailer");
        assertEquals(1, google.calls("CreateOfflineUserDataJob"), "not retried");
        assertEquals(SortedHashes.empty(), store.load("google", "buyers").confirmed());
    }

    @Test
    void termsNotAcceptedSaysWhereToAcceptThem() {
        google.failNext("AddOfflineUserDataJobOperations", Fault.termsNotAccepted());

        DestinationException e = assertThrows(DestinationException.class, () -> sync(CONFIG, people(0, 2)));

        assertTrue(
                e.getMessage().contains("CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS")
                        && e.getMessage().contains("accept the Customer Match terms"),
                e.getMessage());
        assertEquals(Set.of(), google.members(LIST));
    }

    @Test
    void aRememberedListDeletedAtGoogleFailsTheAudienceInsteadOfRecreatingIt() {
        sync(CONFIG, people(0, 3));
        String list = google.listNamed(LIST).orElseThrow();
        google.deleteList(list);

        DestinationException e = assertThrows(DestinationException.class, () -> sync(CONFIG, people(0, 4)));

        assertTrue(e.getMessage().contains(list + " no longer exists"), e.getMessage());
        assertTrue(e.getMessage().contains(store.file("google", "buyers").toString()), e.getMessage());
        assertTrue(google.listNamed(LIST).isEmpty(), "no new list behind the user's back");
        assertEquals(people(0, 3), store.load("google", "buyers").confirmed());
    }

    @Test
    void anExistingListWithoutStateIsReplacedWholeStartingWithRemoveAll() {
        String list =
                google.createList(LIST, UserListType.CRM_BASED, "People who bought " + Ownership.marker(AUDIENCE));
        google.addMembers(list, hex(people(50, 53)));

        Delivery d = sync(CONFIG, people(0, 4));

        assertEquals(Delivery.Status.OK, d.status(), d.message());
        FakeGoogleAds.Job job = google.jobs().get(0);
        assertTrue(job.removesAll() && !job.removes(), "one job: remove_all first, then the creates");
        assertEquals(List.of(3, 1), job.requestSizes());
        assertEquals(hex(people(0, 4)), google.members(LIST));
        assertEquals(people(0, 4), store.load("google", "buyers").confirmed());
        assertEquals(list, store.load("google", "buyers").remote().get(UserLists.KEY));
    }

    @Test
    void aFullRefreshReplacesTheMembersAndAFailedOneLeavesTheStateAsItWas() {
        sync(CONFIG, people(0, 4));
        String list = google.listNamed(LIST).orElseThrow();
        google.addMembers(list, hex(people(50, 52)));

        assertEquals(Delivery.Status.OK, sync(CONFIG, people(0, 3), true).status());
        assertTrue(google.jobs().get(1).removesAll());
        assertEquals(hex(people(0, 3)), google.members(LIST), "strangers and leavers are gone");
        assertEquals(people(0, 3), store.load("google", "buyers").confirmed());

        google.jobsEnd(JobOutcome.FAILED);
        DestinationException e = assertThrows(DestinationException.class, () -> sync(CONFIG, people(5, 6), true));

        assertTrue(
                e.getMessage().contains("full refresh") && e.getMessage().contains("INSUFFICIENT_MATCHED_TRANSACTIONS"),
                e.getMessage());
        assertEquals(
                people(0, 3),
                store.load("google", "buyers").confirmed(),
                "members that may still be on the list are not forgotten");
    }

    @Test
    void aPartialFailureThatNamesNoOperationCountsTheWholeBatchAsRefused() {
        google.refuseNextBatchWithoutLocation();
        SortedHashes desired = people(0, 7);

        Delivery d = sync(CONFIG, desired);

        assertEquals(3, d.failed(), "the first batch of three");
        assertEquals(4, d.adds());
        assertEquals(google.members(LIST), hex(store.load("google", "buyers").confirmed()));
        assertEquals(hex(desired.slice(3, 7)), google.members(LIST));
    }

    @Test
    void theListsThisJobCreatesCarryItsMarker() {
        sync(CONFIG, people(0, 2));

        assertEquals(
                "People who bought [audience-exporter:buyers]",
                google.list(google.listNamed(LIST).orElseThrow()).getDescription());
    }

    @Test
    void aSameNameListThisJobDidNotCreateIsNeverWrittenTo() {
        String list = google.createList(LIST, UserListType.CRM_BASED, "Made by hand");
        google.addMembers(list, hex(people(50, 53)));

        DestinationException e = assertThrows(DestinationException.class, () -> sync(CONFIG, people(0, 4)));
        assertThrows(DestinationException.class, () -> sync(CONFIG, people(0, 4), true));

        assertEquals(0, google.jobs().size(), "no job, so no member sent or removed");
        assertEquals(hex(people(50, 53)), google.members(LIST));
        assertTrue(store.load("google", "buyers").isNew());
        assertTrue(
                e.getMessage()
                        .contains("user list " + list + " named '" + LIST + "' in customer 1234567890 was not created "
                                + "by this job"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'adopt: true'"), e.getMessage());
    }

    @Test
    void adoptTakesAForeignListOverWithAFullReplace() {
        String list = google.createList(LIST, UserListType.CRM_BASED, "");
        google.addMembers(list, hex(people(50, 53)));
        AudienceDefinition adopting = new AudienceDefinition(
                AUDIENCE.id(),
                AUDIENCE.description(),
                AUDIENCE.destinations(),
                AUDIENCE.sync(),
                AUDIENCE.minSize(),
                true,
                AUDIENCE.rule(),
                AUDIENCE.file());

        assertEquals(
                Delivery.Status.OK, sync(CONFIG, people(0, 4), false, adopting).status());

        assertTrue(google.jobs().get(0).removesAll());
        assertEquals(hex(people(0, 4)), google.members(LIST));
        assertEquals(list, store.load("google", "buyers").remote().get(UserLists.KEY));
    }

    @Test
    void aListOfAnotherKindWithTheSameNameIsNotTouched() {
        google.createList(LIST, UserListType.RULE_BASED);

        DestinationException e = assertThrows(DestinationException.class, () -> sync(CONFIG, people(0, 2)));

        assertTrue(e.getMessage().contains("RULE_BASED"), e.getMessage());
        assertEquals(0, google.jobs().size());
    }

    @Test
    void namesWithQuotesAndBackslashesAreFoundAgain() {
        String config = CONFIG.replace("list_prefix: \"shop: \"", "list_prefix: \"O'Brien's \\\\ \"");
        sync(config, people(0, 2));
        String name = "O'Brien's \\ buyers";
        assertTrue(google.listNamed(name).isPresent());
        store = new StateStore(tmp.resolve("lost-state"));

        sync(config, people(0, 2));

        assertEquals(1, google.calls("MutateUserLists"), "found by name, not created twice");
        assertEquals(hex(people(0, 2)), google.members(name));
    }

    @Test
    void aHeldAudienceWhoseStateWasLostIsNotReplacedWithNobody() {
        sync(CONFIG, people(0, 5));
        store = new StateStore(tmp.resolve("lost-state"));

        try (NetworkDestination destination =
                GoogleAdsDestination.create("google", settings(CONFIG), google.services(), store, false)) {
            // a guardrail tripped: held at what the (lost) state says it holds, which is nothing
            AudiencePlan held = AudiencePlan.of(
                            AUDIENCE, "google", SortedHashes.empty(), destination.current(AUDIENCE), people(0, 5))
                    .hold(people(0, 5));
            DestinationException e = assertThrows(DestinationException.class, () -> destination.deliver(held));
            assertTrue(e.getMessage().contains("a guardrail holds this audience"), e.getMessage());
        }

        assertEquals(hex(people(0, 5)), google.members(LIST), "the list keeps its members");
        assertTrue(store.load("google", "buyers").isNew(), "still lost: the next run replaces the members");
    }

    @Test
    void settingsAreReadStrictly() {
        assertSettingsError(CONFIG + "colour: blue\n", "colour: unknown key");
        assertSettingsError(CONFIG + "membership_days: 541\n", "membership_days: must be between 1 and 540");
        assertSettingsError(
                CONFIG.replace("identifiers_per_request: 3", "identifiers_per_request: 100001"),
                "identifiers_per_request: must be between 1 and 100000");
        assertSettingsError(
                CONFIG.replace("123-456-7890", "12345"), "customer_id: expected a 10-digit Google Ads customer id");
        assertSettingsError(CONFIG + "endpoint: nowhere\n", "endpoint: expected host:port");
        assertSettingsError(CONFIG.replace("customer_id: 123-456-7890\n", ""), "customer_id: required");
        GoogleAdsSettings s = settings(CONFIG + "login_customer_id: 9876543210\n");
        assertEquals("1234567890", s.customerId());
        assertEquals("9876543210", s.loginCustomerId().orElseThrow());
        assertEquals(
                Duration.ofMinutes(10),
                settings("type: google-ads\ncustomer_id: 1234567890\n").jobWait());
    }

    private void assertSettingsError(String yaml, String expected) {
        DefinitionException e = assertThrows(DefinitionException.class, () -> settings(yaml));
        assertTrue(e.getMessage().contains("exporter.yaml: destinations.google." + expected), e.getMessage());
    }

    // ---- helpers

    private Delivery sync(String yaml, SortedHashes desired) {
        return sync(yaml, desired, false);
    }

    private Delivery sync(String yaml, SortedHashes desired, boolean fullRefresh) {
        return sync(yaml, desired, fullRefresh, AUDIENCE);
    }

    private Delivery sync(String yaml, SortedHashes desired, boolean fullRefresh, AudienceDefinition audience) {
        try (NetworkDestination destination =
                GoogleAdsDestination.create("google", settings(yaml), google.services(), store, fullRefresh)) {
            return destination.deliver(
                    AudiencePlan.of(audience, "google", desired, destination.current(audience), desired));
        }
    }

    private GoogleAdsSettings settings(String yaml) {
        YamlNode root = YamlNode.parse("exporter.yaml", "destinations:\n  google:\n" + yaml.indent(4));
        DestinationSettings s = new DestinationSettings(
                "google", "google-ads", root.get("destinations").get("google"));
        return GoogleAdsSettings.from(
                s, new DestinationContext(tmp.resolve("out"), store, false, new ConfigLoader(n -> null)));
    }

    static SortedHashes people(int from, int to) {
        Sha256 sha = new Sha256();
        return SortedHashes.of(IntStream.range(from, to)
                .mapToObj(i -> sha.digest("person" + i + "@example.com"))
                .toList());
    }

    static Set<String> hex(SortedHashes hashes) {
        return IntStream.range(0, hashes.size()).mapToObj(hashes::hex).collect(Collectors.toSet());
    }
}
