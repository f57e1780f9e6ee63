package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.FakeNetwork;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.destination.NetworkDestination;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.guardrail.Guardrails;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.AudienceStatus;
import se.nestit.audience.report.DestinationStatus;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;
import se.nestit.audience.sync.AudiencePlan;
import se.nestit.audience.sync.StateStore;
import se.nestit.audience.sync.TestHashes;

/** Delivering to several destinations at once, when one of them breaks in a way nobody planned for. */
class DeliveryStageTest {

    private static final SortedHashes MEMBERS = TestHashes.range(0, 20);

    @TempDir
    Path out;

    @TempDir
    Path state;

    @Test
    void aDestinationThatThrowsSomethingUnexpectedFailsAloneAndTheFilesAreStillWritten() {
        List<AudienceDefinition> audiences = List.of(audience("fans"), audience("buyers"));
        FakeNetwork network = new FakeNetwork();
        network.script.add(FakeNetwork.Behaviour.BUG);
        List<Destination> destinations = List.of(
                new NetworkDestination("net", "meta", Normalization.BASIC, new StateStore(state), network, false),
                new FileDestination("files", Normalization.BASIC, out));

        DeliveryStage stage;
        try (AuditTrail trail = AuditTrail.open(out, "run-1", Instant.EPOCH, 30)) {
            AuditRecorder audit =
                    new AuditRecorder(trail, "run-1", Instant.EPOCH, Instant.EPOCH, ConsentPolicy.DEFAULT, new NoOne());
            stage = new DeliveryStage(true, true, new Everyone(), audit);
            stage.run(destinations, audiences);
        }

        Map<String, DestinationReport> reports = stage.destinationReports(destinations);
        assertEquals(DestinationStatus.FAILED, reports.get("net").status());
        assertEquals(
                "unexpected IllegalStateException: the fake network has a bug",
                reports.get("net").message());
        assertEquals(DestinationStatus.OK, reports.get("files").status());
        for (String audience : List.of("fans", "buyers")) {
            assertTrue(Files.isRegularFile(out.resolve(audience).resolve("files.csv")), audience);
            assertEquals(
                    AudienceStatus.OK, stage.deliveries(audience).get("files").status());
            AudienceDelivery atNetwork = stage.deliveries(audience).get("net");
            assertEquals(AudienceStatus.FAILED, atNetwork.status());
            assertEquals(0, atNetwork.adds());
        }
        // whatever state the bug left the network in, nothing more is sent to it this run
        assertEquals(
                "not tried: unexpected IllegalStateException: the fake network has a bug",
                stage.deliveries("buyers").get("net").message());
    }

    @Test
    void eachNetworksUploadShowsTheMembersItConfirmedOfThosePlanned() {
        List<AudienceDefinition> audiences = List.of(audience("fans"), audience("buyers"));
        List<Destination> destinations = List.of(
                new NetworkDestination(
                        "net", "meta", Normalization.BASIC, new StateStore(state), new FakeNetwork(), false),
                new FileDestination("files", Normalization.BASIC, out));
        Map<String, long[]> bars = new ConcurrentHashMap<>();
        Progress progress = (name, total) -> {
            long[] bar = {total, 0, 0};
            bars.put(name, bar);
            return new Progress.Task() {
                @Override
                public void advance(long n) {
                    bar[1] += n;
                }

                @Override
                public void close() {
                    bar[2]++;
                }
            };
        };

        try (AuditTrail trail = AuditTrail.open(out, "run-1", Instant.EPOCH, 30)) {
            AuditRecorder audit =
                    new AuditRecorder(trail, "run-1", Instant.EPOCH, Instant.EPOCH, ConsentPolicy.DEFAULT, new NoOne());
            DeliveryStage stage = new DeliveryStage(true, true, new Everyone(), audit);
            stage.showProgress(progress);
            stage.preview(destinations, audiences);
            stage.run(destinations, audiences);
        }

        assertEquals(List.of("upload net"), List.copyOf(bars.keySet()), "files get no upload bar");
        long[] net = bars.get("upload net");
        assertEquals(2 * MEMBERS.size(), net[0], "both audiences' members planned");
        assertEquals(2 * MEMBERS.size(), net[1], "all of them confirmed");
        assertEquals(1, net[2], "closed once");
    }

    @Test
    void aDestinationThatCannotSayWhatItHoldsFailsAloneBeforeAndOnDelivery() {
        List<AudienceDefinition> audiences = List.of(audience("fans"));
        List<Destination> destinations =
                List.of(new Unreadable("net"), new FileDestination("files", Normalization.BASIC, out));

        DeliveryStage stage = new DeliveryStage(false, true, new Everyone(), null);
        Map<String, List<Guardrails.Change>> previewed = stage.preview(destinations, audiences);
        stage.run(destinations, audiences);

        assertEquals(
                List.of(new Guardrails.Change("files", 0, MEMBERS.size())),
                previewed.get("fans"),
                "the guardrails see the destinations that could plan");
        assertEquals(
                DestinationStatus.FAILED,
                stage.destinationReports(destinations).get("net").status());
        assertEquals(
                "unexpected UnsupportedOperationException: no current members",
                stage.deliveries("fans").get("net").message());
        assertEquals(
                AudienceStatus.PLANNED, stage.deliveries("fans").get("files").status());
    }

    @Test
    void eachDestinationPlansOnItsOwnThreadAtTheSameTimeAsTheOthers() {
        // each destination waits, while it reads what it holds, for the other to read too
        CountDownLatch reading = new CountDownLatch(2);
        List<Destination> destinations = List.of(new Meeting("one", reading), new Meeting("two", reading));
        AudienceDefinition fans = new AudienceDefinition(
                "fans",
                "",
                List.of("one", "two"),
                SyncMode.MIRROR,
                0,
                new Rule.Customer(Where.ANY_ROW),
                Path.of("fans.yaml"));

        DeliveryStage stage = new DeliveryStage(false, true, new Everyone(), null);
        Map<String, List<Guardrails.Change>> previewed = stage.preview(destinations, List.of(fans));

        assertEquals(
                List.of(
                        new Guardrails.Change("one", MEMBERS.size(), MEMBERS.size()),
                        new Guardrails.Change("two", MEMBERS.size(), MEMBERS.size())),
                previewed.get("fans"),
                "both planned, in the config's order");
    }

    @Test
    void anOrphanAudienceThatCannotBePlannedFailsAlone() {
        AudienceDefinition toFiles = new AudienceDefinition(
                "fans",
                "",
                List.of("files"),
                SyncMode.MIRROR,
                0,
                new Rule.Customer(Where.ANY_ROW),
                Path.of("fans.yaml"));
        List<Destination> destinations =
                List.of(new Unreadable("net"), new FileDestination("files", Normalization.BASIC, out));

        DeliveryStage stage = new DeliveryStage(false, true, new Everyone(), null);
        stage.run(destinations, List.of(toFiles));

        DestinationReport net = stage.destinationReports(destinations).get("net");
        assertEquals(DestinationStatus.FAILED, net.status());
        assertEquals(
                "unexpected UnsupportedOperationException: no current members",
                net.orphans().get("gone").message());
        assertEquals(
                AudienceStatus.PLANNED, stage.deliveries("fans").get("files").status());
    }

    private static AudienceDefinition audience(String id) {
        return new AudienceDefinition(
                id,
                "",
                List.of("net", "files"),
                SyncMode.MIRROR,
                0,
                new Rule.Customer(Where.ANY_ROW),
                Path.of(id + ".yaml"));
    }

    /** Customers behind no hash: what the trail says of them is not these tests' concern. */
    private static final class NoOne implements HashHolders {
        @Override
        public Search search(Normalization profile, boolean signals) {
            return (digest, add) -> new int[0];
        }

        @Override
        public AuditEntry.Holder holder(int key) {
            throw new AssertionError("no customer has a key");
        }
    }

    /** A destination with a bug: asked what it holds of an audience, it throws what no destination should. */
    private record Unreadable(String id) implements Destination {
        @Override
        public List<String> heldAudiences() {
            return List.of("gone");
        }

        @Override
        public String type() {
            return "meta";
        }

        @Override
        public Normalization normalization() {
            return Normalization.META;
        }

        @Override
        public SortedHashes current(AudienceDefinition audience) {
            throw new UnsupportedOperationException("no current members");
        }

        @Override
        public Delivery deliver(AudiencePlan plan) {
            throw new AssertionError("a destination that could not plan is never asked to deliver");
        }

        @Override
        public List<Finding> check(List<AudienceDefinition> audiences) {
            return List.of();
        }
    }

    /** A destination that holds every member, but says so only once the other destinations are reading too. */
    private record Meeting(String id, CountDownLatch reading) implements Destination {
        @Override
        public List<String> heldAudiences() {
            return List.of();
        }

        @Override
        public String type() {
            return "meta";
        }

        @Override
        public Normalization normalization() {
            return Normalization.META;
        }

        @Override
        public SortedHashes current(AudienceDefinition audience) {
            reading.countDown();
            try {
                if (!reading.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(id + " read alone");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return MEMBERS;
        }

        @Override
        public Delivery deliver(AudiencePlan plan) {
            throw new AssertionError("only planned");
        }

        @Override
        public List<Finding> check(List<AudienceDefinition> audiences) {
            return List.of();
        }
    }

    /** Every audience holds the same members; nobody is withheld. */
    private static final class Everyone implements DeliveryStage.Hashes {
        @Override
        public SortedHashes desired(AudienceDefinition audience, Normalization profile, boolean signals) {
            return MEMBERS;
        }

        @Override
        public SortedHashes exportable(Normalization profile, boolean signals) {
            return MEMBERS;
        }

        @Override
        public Map<String, Long> withheld(AudienceDefinition audience) {
            return Map.of();
        }
    }
}
