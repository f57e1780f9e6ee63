package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditReader;
import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;
import se.nestit.audience.sync.TestHashes;

class AuditRecorderTest {

    private static final Instant TIME = Instant.parse("2026-11-22T03:04:05Z");

    @TempDir
    Path out;

    @Test
    void findsEachHashsCustomersBeforeTakingTheTrailsLockSoThatDestinationsLookUpAtOnce() {
        SortedHashes adds =
                SortedHashes.of(List.of(TestHashes.sha256("a@example.se"), TestHashes.sha256("b@example.se")));
        SortedHashes removes = SortedHashes.of(List.of(TestHashes.sha256("c@example.se")));
        List<Boolean> lockedWhileLooking = new ArrayList<>();
        try (AuditTrail trail = AuditTrail.open(out, "run-1", TIME, 30)) {
            HashHolders holders = new HashHolders() {
                @Override
                public Search search(Normalization profile, boolean signals) {
                    return (digest, add) -> {
                        lockedWhileLooking.add(Thread.holdsLock(trail));
                        return new int[] {add ? 0 : 1};
                    };
                }

                @Override
                public AuditEntry.Holder holder(int key) {
                    return new AuditEntry.Holder("C" + key, "exportable", null);
                }
            };
            AuditRecorder audit = new AuditRecorder(
                    trail,
                    "run-1",
                    TIME,
                    TIME,
                    new ConsentPolicy("marketing", 395, Optional.empty(), Map.of()),
                    holders);
            audit.record(
                    "files",
                    Normalization.BASIC,
                    new AudienceDefinition(
                            "fans",
                            "",
                            List.of("files"),
                            SyncMode.MIRROR,
                            0,
                            new Rule.Customer(Where.ANY_ROW),
                            Path.of("fans.yaml")),
                    new Delivery.Sent(adds, removes, SortedHashes.empty(), SortedHashes.empty()),
                    adds,
                    false);
        }

        assertEquals(List.of(false, false, false), lockedWhileLooking);
        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(
                List.of("add C0", "add C0", "remove C1"),
                read.stream()
                        .map(e -> e.operation() + " " + e.customers().get(0).customerId())
                        .toList());
        assertFalse(read.get(0).hash().equals(read.get(1).hash()));
    }
}
