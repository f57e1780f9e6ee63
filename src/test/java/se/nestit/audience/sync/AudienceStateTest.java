package se.nestit.audience.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AudienceStateTest {

    private static final AudienceState STATE = new AudienceState(
            TestHashes.of("a@example.se"), Map.of("list", "7"), List.of(), Instant.parse("2026-11-21T02:30:00Z"));

    @Test
    void theSameContentCommittedAtAnotherTimeIsTheSame() {
        AudienceState later = new AudienceState(
                STATE.confirmed(), STATE.remote(), STATE.pending(), Instant.parse("2026-11-22T02:30:00Z"));
        assertTrue(STATE.sameAs(later));
    }

    @Test
    void everyPartOfTheContentCounts() {
        assertFalse(STATE.sameAs(STATE.withConfirmed(TestHashes.of("b@example.se"))));
        assertFalse(STATE.sameAs(STATE.withRemote(Map.of("list", "8"))));
        assertFalse(STATE.sameAs(STATE.withPending(List.of(new PendingOperation(
                "job-1",
                PendingOperation.Kind.ADD,
                TestHashes.of("b@example.se"),
                Instant.parse("2026-11-21T02:31:00Z"))))));
        assertFalse(STATE.sameAs(STATE.withReplaceUnfinished(true)));
        assertFalse(STATE.sameAs(STATE.withInDoubt(TestHashes.of("b@example.se"))));
    }
}
