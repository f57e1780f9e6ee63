package se.nestit.audience.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.destination.AudienceClient.Settlement;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;
import se.nestit.audience.sync.AudiencePlan;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.StateException;
import se.nestit.audience.sync.StateStore;
import se.nestit.audience.sync.TestHashes;

/** The sync engine against an in-memory network: what is sent, and what is committed. */
class NetworkDestinationTest {

    private static final AudienceDefinition AUDIENCE = new AudienceDefinition(
            "fans", "", List.of("net"), SyncMode.MIRROR, 0, new Rule.Customer(Where.ANY_ROW), Path.of("fans.yaml"));

    @TempDir
    Path stateDir;

    private FakeNetwork network;
    private StateStore store;

    @BeforeEach
    void setUp() {
        network = new FakeNetwork();
        store = new StateStore(stateDir);
    }

    @Test
    void firstSyncSendsEverythingThenNothingThenTheDifference() {
        assertEquals(Delivery.Status.OK, sync(TestHashes.range(0, 100)).status());
        assertEquals(TestHashes.range(0, 100), network.members.get("fans"));
        assertEquals(List.of("ensure fans", "add fans 100"), network.calls);

        network.calls.clear();
        Delivery unchanged = sync(TestHashes.range(0, 100));
        assertEquals(0, unchanged.adds() + unchanged.removes());
        assertEquals(List.of("ensure fans"), network.calls);

        network.calls.clear();
        Delivery changed = sync(TestHashes.range(10, 105));
        assertEquals(5, changed.adds());
        assertEquals(10, changed.removes());
        assertEquals(List.of("ensure fans", "remove fans 10", "add fans 5"), network.calls, "removes go first");
        assertEquals(TestHashes.range(10, 105), network.members.get("fans"));
        assertEquals(TestHashes.range(10, 105), committed().confirmed());
    }

    @Test
    void refusedHashesStayOutOfTheStateAndAreSentAgain() {
        SortedHashes bad = TestHashes.range(0, 3);
        network.refuse = h -> h.minus(h.minus(bad));
        Delivery first = sync(TestHashes.range(0, 50));
        assertEquals(47, first.adds());
        assertEquals(3, first.failed());
        assertEquals(TestHashes.range(3, 50), committed().confirmed());

        network.refuse = h -> SortedHashes.empty();
        network.calls.clear();
        Delivery second = sync(TestHashes.range(0, 50));
        assertEquals(3, second.adds());
        assertTrue(network.calls.contains("add fans 3"), network.calls.toString());
        assertEquals(TestHashes.range(0, 50), committed().confirmed());
    }

    @Test
    void aPendingJobIsSettledByTheNextRun() {
        network.script.add(FakeNetwork.Behaviour.LEAVE_PENDING);
        Delivery first = sync(TestHashes.range(0, 20));
        assertEquals(Delivery.Status.PENDING, first.status());
        assertTrue(committed().confirmed().isEmpty(), "a running job's hashes are not synced yet");
        assertEquals(1, committed().pending().size());

        // still running: no new job may overtake it
        network.calls.clear();
        assertEquals(Delivery.Status.PENDING, sync(TestHashes.range(5, 20)).status());
        assertEquals(List.of("ensure fans", "settle job-0"), network.calls);

        network.jobOutcome.put("job-0", Settlement.State.SUCCEEDED);
        network.calls.clear();
        Delivery settled = sync(TestHashes.range(5, 20));
        assertEquals(List.of("ensure fans", "settle job-0", "remove fans 5"), network.calls);
        assertEquals(Delivery.Status.OK, settled.status());
        assertEquals(TestHashes.range(5, 20), committed().confirmed());
        assertTrue(committed().pending().isEmpty());
    }

    @Test
    void aFailedJobNeverCountsAsSyncedAndIsSentAgain() {
        network.script.add(FakeNetwork.Behaviour.LEAVE_PENDING);
        sync(TestHashes.range(0, 20));
        network.jobOutcome.put("job-0", Settlement.State.FAILED);
        network.calls.clear();

        Delivery retry = sync(TestHashes.range(0, 20));

        assertEquals(List.of("ensure fans", "settle job-0", "add fans 20"), network.calls);
        assertTrue(retry.message().contains("job-0 failed"), retry.message());
        assertEquals(TestHashes.range(0, 20), committed().confirmed());
    }

    @Test
    void aFailedAddWhoseHashesAreNoLongerWantedRemovesThemInCase() {
        network.script.add(FakeNetwork.Behaviour.LEAVE_PENDING);
        sync(TestHashes.range(0, 20));
        network.jobOutcome.put("job-0", Settlement.State.FAILED);
        network.calls.clear();

        // the network may have done part of the failed add: those it might hold and nobody wants now go
        sync(TestHashes.range(0, 10));

        assertEquals(List.of("ensure fans", "settle job-0", "remove fans 10", "add fans 10"), network.calls);
        assertEquals(TestHashes.range(0, 10), committed().confirmed());
        assertTrue(committed().inDoubt().isEmpty());
    }

    @Test
    void whatWasConfirmedBeforeAFailureIsCommitted() {
        sync(TestHashes.range(0, 20));
        network.script.add(FakeNetwork.Behaviour.ACCEPT);
        network.script.add(FakeNetwork.Behaviour.THROW);

        assertThrows(DestinationException.class, () -> sync(TestHashes.range(10, 30)));

        // the removes went through before the adds failed: the state must say so
        assertEquals(TestHashes.range(10, 20), committed().confirmed());
        assertEquals(TestHashes.range(10, 20), network.members.get("fans"));
        assertEquals(TestHashes.range(10, 30), afterNextSync(TestHashes.range(10, 30)));
    }

    @Test
    void aCrashBeforeTheCommitConvergesOnTheNextRun() throws IOException {
        sync(TestHashes.range(0, 20));
        Path file = store.file("net", "fans");
        Path saved = stateDir.resolve("saved");
        Files.copy(file, saved);
        sync(TestHashes.range(10, 40));
        // as if the process had died after the network confirmed but before the commit
        Files.copy(saved, file, StandardCopyOption.REPLACE_EXISTING);

        assertEquals(TestHashes.range(10, 40), afterNextSync(TestHashes.range(10, 40)));
        assertEquals(TestHashes.range(10, 40), committed().confirmed());
    }

    @Test
    void addsANetworkTookBeforeTheRunDiedAreRemovedWhenTheyAreNoLongerWanted() {
        sync(TestHashes.range(0, 20));
        network.script.add(FakeNetwork.Behaviour.ACCEPT);
        network.script.add(FakeNetwork.Behaviour.ACCEPT_THEN_DIE);
        assertThrows(FakeNetwork.Died.class, () -> sync(TestHashes.range(10, 30)));
        assertEquals(TestHashes.range(10, 20), committed().confirmed());
        assertEquals(TestHashes.range(20, 30), committed().inDoubt(), "what the network may or may not hold");

        // 25..29 withdrew their consent before the next run
        assertEquals(TestHashes.range(10, 25), afterNextSync(TestHashes.range(10, 25)));
        assertEquals(TestHashes.range(10, 25), committed().confirmed());
        assertTrue(committed().inDoubt().isEmpty());
    }

    @Test
    void removesANetworkTookBeforeTheRunDiedAreAddedAgainWhenTheyAreWantedAgain() {
        sync(TestHashes.range(0, 20));
        network.script.add(FakeNetwork.Behaviour.ACCEPT_THEN_DIE);
        assertThrows(FakeNetwork.Died.class, () -> sync(TestHashes.range(0, 10)));
        assertEquals(
                TestHashes.range(0, 10), committed().confirmed(), "never claims what the network may have dropped");
        assertEquals(TestHashes.range(10, 20), committed().inDoubt());

        // 10..19 consented again before the next run
        assertEquals(TestHashes.range(0, 20), afterNextSync(TestHashes.range(0, 20)));
        assertEquals(TestHashes.range(0, 20), committed().confirmed());
        assertTrue(committed().inDoubt().isEmpty());
    }

    @Test
    void aRemoveJobThatFailsLeavesItsHashesClaimedSoTheyAreRemovedAgain() {
        sync(TestHashes.range(0, 20));
        network.script.add(FakeNetwork.Behaviour.LEAVE_PENDING);
        assertEquals(Delivery.Status.PENDING, sync(TestHashes.range(0, 10)).status());
        assertEquals(TestHashes.range(0, 20), committed().confirmed(), "held until the job is seen to finish");
        assertTrue(committed().inDoubt().isEmpty());

        network.jobOutcome.put("job-0", Settlement.State.FAILED);
        network.calls.clear();
        sync(TestHashes.range(0, 10));
        assertEquals(List.of("ensure fans", "settle job-0", "remove fans 10"), network.calls);
        assertEquals(TestHashes.range(0, 10), committed().confirmed());
    }

    @Test
    void aLostStateWithAnExistingAudienceIsReplacedWhole() throws IOException {
        sync(TestHashes.range(0, 20));
        Files.delete(store.file("net", "fans"));
        network.calls.clear();

        sync(TestHashes.range(15, 25));

        assertEquals(List.of("ensure fans", "replace fans 10"), network.calls);
        assertEquals(TestHashes.range(15, 25), network.members.get("fans"));
        assertEquals(TestHashes.range(15, 25), committed().confirmed());
    }

    @Test
    void fullRefreshReplacesEvenWithAState() {
        sync(TestHashes.range(0, 20));
        network.calls.clear();
        NetworkDestination refresh = new NetworkDestination("net", "fake", Normalization.META, store, network, true);
        SortedHashes desired = TestHashes.range(0, 20);
        refresh.deliver(AudiencePlan.of(AUDIENCE, "net", desired, refresh.current(AUDIENCE), SortedHashes.empty()));
        assertEquals(List.of("ensure fans", "replace fans 20"), network.calls);
    }

    @Test
    void aFullRefreshOfAnUnchangedAudienceEndsTheReplacementSoTheNextRunSendsNothing() {
        sync(TestHashes.range(0, 20));
        NetworkDestination refresh = new NetworkDestination("net", "fake", Normalization.META, store, network, true);
        refresh.deliver(AudiencePlan.of(
                AUDIENCE, "net", TestHashes.range(0, 20), refresh.current(AUDIENCE), SortedHashes.empty()));
        assertTrue(!committed().replaceUnfinished(), "the replacement succeeded");

        network.calls.clear();
        sync(TestHashes.range(0, 20));
        assertEquals(List.of("ensure fans"), network.calls, "nothing to replace again");
    }

    @Test
    void whatABatchedCallConfirmedBeforeItFailedIsKept() {
        network.script.add(FakeNetwork.Behaviour.HALF_THEN_THROW);
        assertThrows(DestinationException.class, () -> sync(TestHashes.range(0, 20)));

        assertEquals(network.members.get("fans"), committed().confirmed());
        assertEquals(10, committed().confirmed().size());
        network.calls.clear();
        sync(TestHashes.range(0, 20));
        assertEquals(List.of("ensure fans", "add fans 10"), network.calls, "only the unconfirmed half goes again");
    }

    @Test
    void aReplacementThatFailsIsDoneAgainByTheNextPlainRun() {
        sync(TestHashes.range(0, 20));
        network.script.add(FakeNetwork.Behaviour.THROW);
        NetworkDestination refresh = new NetworkDestination("net", "fake", Normalization.META, store, network, true);
        assertThrows(
                DestinationException.class,
                () -> refresh.deliver(AudiencePlan.of(
                        AUDIENCE, "net", TestHashes.range(0, 20), refresh.current(AUDIENCE), SortedHashes.empty())));
        assertTrue(committed().replaceUnfinished());

        network.calls.clear();
        sync(TestHashes.range(5, 20));

        // whatever the failed replacement left at the network, a diff could not be trusted
        assertEquals(List.of("ensure fans", "replace fans 15"), network.calls);
        assertEquals(TestHashes.range(5, 20), committed().confirmed());
        assertTrue(!committed().replaceUnfinished());
    }

    @Test
    void aReplacementLeftRunningIsSettledAndEndsTheReplacement() throws IOException {
        sync(TestHashes.range(0, 20));
        Files.delete(store.file("net", "fans"));
        network.script.add(FakeNetwork.Behaviour.LEAVE_PENDING);
        assertEquals(Delivery.Status.PENDING, sync(TestHashes.range(0, 30)).status());
        assertTrue(committed().replaceUnfinished());

        network.jobOutcome.put("job-0", Settlement.State.SUCCEEDED);
        network.calls.clear();
        sync(TestHashes.range(0, 30));

        assertEquals(List.of("ensure fans", "settle job-0"), network.calls);
        assertEquals(TestHashes.range(0, 30), committed().confirmed());
        assertTrue(!committed().replaceUnfinished());
    }

    @Test
    void aDamagedStateStopsTheDestination() throws IOException {
        sync(TestHashes.range(0, 20));
        Files.write(store.file("net", "fans"), new byte[] {1, 2, 3});
        NetworkDestination d = destination();
        assertThrows(StateException.class, () -> d.current(AUDIENCE));
    }

    private Delivery sync(SortedHashes desired) {
        NetworkDestination d = destination();
        return d.deliver(AudiencePlan.of(AUDIENCE, "net", desired, d.current(AUDIENCE), SortedHashes.empty()));
    }

    private SortedHashes afterNextSync(SortedHashes desired) {
        sync(desired);
        return network.members.get("fans");
    }

    private NetworkDestination destination() {
        return new NetworkDestination("net", "fake", Normalization.META, store, network, false);
    }

    private AudienceState committed() {
        return store.load("net", "fans");
    }
}
