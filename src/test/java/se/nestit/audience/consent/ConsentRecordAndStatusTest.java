package se.nestit.audience.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

// ConsentRecord and ConsentStatus live in the source package; these tests cover what the gate relies on.
class ConsentRecordAndStatusTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static ConsentRecord at(Instant when, long line) {
        return new ConsentRecord("c1", "marketing", ConsentStatus.GRANTED, when, "web", "", line);
    }

    @Test
    void parsesStatusIgnoringCase() {
        assertEquals(Optional.of(ConsentStatus.GRANTED), ConsentStatus.parse("Granted"));
        assertEquals(Optional.of(ConsentStatus.DENIED), ConsentStatus.parse("DENIED"));
    }

    @Test
    void parsesStatusIgnoringSurroundingWhiteSpace() {
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), ConsentStatus.parse(" withdrawn "));
        assertEquals(Optional.of(ConsentStatus.GRANTED), ConsentStatus.parse("\uFEFFgranted\u00A0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pending", "", " ", "grant", "granted.", "gran ted", "yes", "true"})
    void otherStatusValuesAreRejected(String cell) {
        assertEquals(Optional.empty(), ConsentStatus.parse(cell));
    }

    @Test
    void statusCodesAreLowercase() {
        assertEquals("granted", ConsentStatus.GRANTED.code());
        assertEquals("denied", ConsentStatus.DENIED.code());
        assertEquals("withdrawn", ConsentStatus.WITHDRAWN.code());
    }

    @Test
    void laterRecordSupersedes() {
        assertTrue(at(T.plusSeconds(1), 2).supersedes(at(T, 3)));
        assertFalse(at(T, 3).supersedes(at(T.plusSeconds(1), 2)));
    }

    @Test
    void onEqualTimestampsAndStatusesHigherLineSupersedes() {
        assertTrue(at(T, 5).supersedes(at(T, 4)));
        assertFalse(at(T, 4).supersedes(at(T, 5)));
    }

    @Test
    void onEqualTimestampsTheMoreRestrictiveStatusSupersedesWhateverItsLine() {
        ConsentRecord granted = at(T, 9);
        ConsentRecord denied = new ConsentRecord("c1", "marketing", ConsentStatus.DENIED, T, "web", "", 5);
        ConsentRecord withdrawn = new ConsentRecord("c1", "marketing", ConsentStatus.WITHDRAWN, T, "web", "", 2);
        assertTrue(withdrawn.supersedes(granted));
        assertTrue(withdrawn.supersedes(denied));
        assertTrue(denied.supersedes(granted));
        assertFalse(granted.supersedes(withdrawn));
        assertFalse(granted.supersedes(denied));
        assertFalse(denied.supersedes(withdrawn));
    }

    @Test
    void recordDoesNotSupersedeItsEqual() {
        assertFalse(at(T, 4).supersedes(at(T, 4)));
    }
}
