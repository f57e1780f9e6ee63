package se.nestit.audience.guardrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import se.nestit.audience.guardrail.Guardrails.Change;
import se.nestit.audience.guardrail.Guardrails.FileRows;
import se.nestit.audience.guardrail.Guardrails.Verdict;
import se.nestit.audience.report.RunReport.AudienceShrink;

class GuardrailsTest {

    private static final Guardrails DEFAULTS = new Guardrails(GuardrailLimits.DEFAULT, Set.of());
    private static final Map<String, List<Change>> STEADY =
            audiences("a", new Change("files", 100, 100), "b", new Change("files", 40, 45));

    @Test
    void aFileTripsPastItsShareAndItsAllowedRowsAndHoldsEveryAudience() {
        Verdict v = DEFAULTS.check(List.of(new FileRows("orders.csv", 1000, 11)), 10, OptionalLong.empty(), STEADY);

        assertTrue(v.tripped());
        assertEquals(Set.of("a", "b"), v.held());
        assertEquals(List.of("a", "b"), v.report().held());
        assertEquals(0.011, v.report().rejectedRows().get("orders.csv").share());
        assertTrue(
                v.report()
                        .messages()
                        .get(0)
                        .startsWith("rejected_rows: orders.csv: 11 of 1000 rows rejected (1.1%, " + "more than 1%)"),
                v.report().messages().get(0));
        assertTrue(
                v.report().messages().get(0).endsWith("--guardrail max_rejected_share=2%"),
                v.report().messages().get(0));
    }

    @Test
    void aFileAtItsLimitsOrWithAFewBadRowsPasses() {
        Verdict v = DEFAULTS.check(
                List.of(
                        new FileRows("orders.csv", 1000, 10),
                        new FileRows("suppressions.csv", 17, 1),
                        new FileRows("customers.csv", 2000, 20),
                        new FileRows("events.csv", 0, 0)),
                10,
                OptionalLong.empty(),
                STEADY);

        assertFalse(v.tripped());
        assertEquals("ok", v.report().status());
        assertEquals(Set.of(), v.held());
        assertEquals(0.0588, v.report().rejectedRows().get("suppressions.csv").share());
    }

    @Test
    void exportableCustomersDroppingMoreThanTheLimitHoldEveryAudience() {
        assertFalse(
                DEFAULTS.check(List.of(), 80, OptionalLong.of(100), STEADY).tripped(), "20% is the limit, not past it");

        Verdict v = DEFAULTS.check(List.of(), 79, OptionalLong.of(100), STEADY);

        assertTrue(v.tripped());
        assertEquals(Set.of("a", "b"), v.held());
        assertEquals(0.21, v.report().exportableDrop().share());
        assertEquals(100L, v.report().exportableDrop().lastSync());
        assertTrue(
                v.report().messages().get(0).contains("--guardrail max_exportable_drop=21%"),
                v.report().messages().get(0));
    }

    @Test
    void theFirstSyncHasNoExportableCountToCompareWith() {
        Verdict v = DEFAULTS.check(List.of(), 0, OptionalLong.empty(), STEADY);
        assertFalse(v.tripped());
        assertNull(v.report().exportableDrop().lastSync());
        assertEquals(0, v.report().exportableDrop().now());
    }

    @Test
    void anAudienceLosingMoreThanHalfOrEveryMemberIsHeldAlone() {
        Verdict v = DEFAULTS.check(
                List.of(),
                10,
                OptionalLong.empty(),
                audiences(
                        "half", new Change("files", 100, 50),
                        "more", new Change("files", 100, 49),
                        "emptied", new Change("files", 3, 0),
                        "never-held", new Change("files", 0, 0),
                        "grew", new Change("files", 10, 30)));

        assertEquals(Set.of("more", "emptied"), v.held());
        assertEquals(0.51, v.report().audienceShrink().get("more").share());
        assertEquals(5, v.report().audienceShrink().size(), "every audience's figure, tripped or not");
        assertEquals(0.0, v.report().audienceShrink().get("grew").share());
    }

    @Test
    void anAudienceIsJudgedAtTheDestinationWhereItLosesMost() {
        Verdict v = DEFAULTS.check(
                List.of(),
                10,
                OptionalLong.empty(),
                audiences(
                        "a", new Change("files", 100, 90), new Change("meta", 100, 20), new Change("google", 100, 60)));

        AudienceShrink a = v.report().audienceShrink().get("a");
        assertEquals("meta", a.destination());
        assertEquals(0.8, a.share());
        assertTrue(a.tripped());
    }

    @Test
    void anAcceptedShrinkGoesThroughAndIsReportedAsAccepted() {
        Verdict v = new Guardrails(GuardrailLimits.DEFAULT, Set.of("a"))
                .check(
                        List.of(),
                        10,
                        OptionalLong.empty(),
                        audiences("a", new Change("files", 100, 0), "b", new Change("files", 100, 0)));

        assertEquals(Set.of("b"), v.held());
        assertTrue(v.report().audienceShrink().get("a").accepted());
        assertFalse(v.report().audienceShrink().get("b").accepted());
    }

    @Test
    void aShrinkLimitOfOneTurnsTheCheckOffEvenForAnEmptiedAudience() {
        Verdict v = new Guardrails(GuardrailLimits.DEFAULT.with("max_audience_shrink", "100%"), Set.of())
                .check(List.of(), 10, OptionalLong.empty(), audiences("a", new Change("files", 100, 0)));
        assertFalse(v.tripped());
    }

    @Test
    void limitsAreReadAsSharesOrPercentagesAndRefusedOutsideZeroToOne() {
        GuardrailLimits limits = GuardrailLimits.DEFAULT
                .with("max_rejected_share", "5%")
                .with("max_exportable_drop", "0.3")
                .with("rejected_rows_allowed", "1_000");
        assertEquals(new GuardrailLimits(0.05, 1000, 0.5, 0.3), limits);

        assertTrue(assertThrows(IllegalArgumentException.class, () -> limits.with("max_audience_shrink", "150%"))
                .getMessage()
                .startsWith("max_audience_shrink must be a share between 0 and 1"));
        assertThrows(IllegalArgumentException.class, () -> limits.with("max_audience_shrink", "half"));
        assertThrows(IllegalArgumentException.class, () -> limits.with("rejected_rows_allowed", "-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> limits.with("max_shrink", "1"))
                .getMessage()
                .startsWith("unknown guardrail 'max_shrink'"));
    }

    private static Map<String, List<Change>> audiences(Object... idThenChanges) {
        Map<String, List<Change>> audiences = new LinkedHashMap<>();
        String id = null;
        for (Object o : idThenChanges) {
            if (o instanceof String s) {
                id = s;
                audiences.put(id, new ArrayList<>());
            } else {
                audiences.get(id).add((Change) o);
            }
        }
        return audiences;
    }
}
