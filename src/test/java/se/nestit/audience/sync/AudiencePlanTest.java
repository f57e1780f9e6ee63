package se.nestit.audience.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.Rule;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.segment.Where;

class AudiencePlanTest {

    private static final SortedHashes A = TestHashes.of("a@x.se");
    private static final SortedHashes B = TestHashes.of("b@x.se");
    private static final SortedHashes C = TestHashes.of("c@x.se");

    @Test
    void mirrorAddsTheNewAndRemovesTheGone() {
        AudiencePlan plan =
                AudiencePlan.of(audience(SyncMode.MIRROR, 0), "d", A.plus(B), B.plus(C), SortedHashes.empty());
        assertEquals(A, plan.adds());
        assertEquals(C, plan.removes());
        assertEquals(A.plus(B), plan.target());
    }

    @Test
    void addOnlyKeepsWhoLeftTheSegmentButNotWhoLostConsent() {
        // B left the segment but is still exportable; C can no longer be exported at all
        SortedHashes exportable = A.plus(B);
        AudiencePlan plan = AudiencePlan.of(audience(SyncMode.ADD_ONLY, 0), "d", A, B.plus(C), exportable);
        assertEquals(A, plan.adds());
        assertEquals(C, plan.removes());
        assertEquals(A.plus(B), plan.target());
    }

    @Test
    void belowMinSizeHoldsAddsBackButStillRemoves() {
        AudiencePlan plan =
                AudiencePlan.of(audience(SyncMode.MIRROR, 3), "d", A.plus(B), B.plus(C), SortedHashes.empty());
        assertTrue(plan.belowMinSize());
        assertTrue(plan.adds().isEmpty());
        assertEquals(C, plan.removes());
    }

    @Test
    void aHeldAudienceKeepsWhatItHoldsAddsNobodyAndLosesOnlyTheNoLongerExportable() {
        // the segment now wants C alone; A can no longer be exported at all
        for (SyncMode mode : SyncMode.values()) {
            AudiencePlan held = AudiencePlan.of(audience(mode, 0), "d", C, A.plus(B), B.plus(C))
                    .hold(B.plus(C));
            assertEquals(SortedHashes.empty(), held.adds(), mode.name());
            assertEquals(A, held.removes(), mode.name());
            assertEquals(B, held.target(), mode.name());
        }
    }

    @Test
    void minSizeIsReachedAtExactlyMinSize() {
        assertFalse(AudiencePlan.of(
                        audience(SyncMode.MIRROR, 2), "d", A.plus(B), SortedHashes.empty(), SortedHashes.empty())
                .belowMinSize());
    }

    @Test
    void rebaseRecomputesAgainstWhatTheDestinationReallyHolds() {
        AudiencePlan plan =
                AudiencePlan.of(audience(SyncMode.MIRROR, 0), "d", A.plus(B), A.plus(B), SortedHashes.empty());
        assertTrue(plan.isEmpty());
        // a job that was to add B failed: B must be sent again
        AudiencePlan rebased = plan.rebase(A);
        assertEquals(B, rebased.adds());
        assertTrue(rebased.removes().isEmpty());
    }

    @Test
    void hashesInDoubtGoAgainAsAddsWhenWantedAndAsRemovesWhenNot() {
        // a killed run was sending B and C: the destination may hold either or not
        AudiencePlan plan = AudiencePlan.of(audience(SyncMode.MIRROR, 0), "d", A.plus(B), A, SortedHashes.empty());
        AudiencePlan rebased = plan.rebase(A, B.plus(C));
        assertEquals(B, rebased.adds());
        assertEquals(C, rebased.removes());
        assertEquals(A.plus(B), rebased.target());
    }

    @Test
    void addOnlyRemovesHashesInDoubtOnlyWhenTheyCanNoLongerBeExported() {
        SortedHashes exportable = A.plus(B);
        AudiencePlan plan = AudiencePlan.of(audience(SyncMode.ADD_ONLY, 0), "d", A, SortedHashes.empty(), exportable);
        AudiencePlan rebased = plan.rebase(SortedHashes.empty(), B.plus(C));
        assertEquals(A, rebased.adds());
        assertEquals(
                C, rebased.removes(), "B merely left the segment; C lost consent and must go whatever became of it");
    }

    @Test
    void belowMinSizeStillRemovesHashesInDoubt() {
        AudiencePlan plan =
                AudiencePlan.of(audience(SyncMode.MIRROR, 3), "d", A, SortedHashes.empty(), SortedHashes.empty());
        AudiencePlan rebased = plan.rebase(SortedHashes.empty(), A.plus(C));
        assertTrue(rebased.adds().isEmpty());
        assertEquals(C, rebased.removes());
    }

    static AudienceDefinition audience(SyncMode mode, int minSize) {
        return new AudienceDefinition(
                "aud", "", List.of("d"), mode, minSize, new Rule.Customer(Where.ANY_ROW), Path.of("aud.yaml"));
    }
}
