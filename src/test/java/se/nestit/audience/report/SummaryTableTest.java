package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import se.nestit.audience.report.RunReport.CustomerReport;

class SummaryTableTest {

    private static final RunReport WITH_REJECTS = new RunReport("2026-11-22T00:00:00Z", "sync", "run", "2026-11-22T02:30:00Z",
            1.5, Map.of(), Map.of("orders.csv", 3L), Map.of(), new CustomerReport(10, 0, 10, Map.of()), null, null, Map.of(),
            Map.of());

    @Test
    void namesTheCustomersAGoogleDestinationDidNotGetForWantOfAConsentSignal() {
        RunReport.AudienceDelivery google = new RunReport.AudienceDelivery("ok", 2, 2, 0, 0, 2, "")
                .withWithheld(Map.of("ad_personalization_not_granted", 3L));
        RunReport report = new RunReport("2026-11-22T00:00:00Z", "sync", "run", "2026-11-22T02:30:00Z", 1.5,
                Map.of("buyers", new RunReport.AudienceReport(5, 5, Map.of(), Map.of("dm", google))), Map.of(), Map.of(),
                new CustomerReport(5, 0, 5, Map.of()), null, null, Map.of(), Map.of());

        String table = SummaryTable.render(report, true);

        assertTrue(table.contains("dm buyers: not sent, consent signal not granted: ad_personalization_not_granted 3"), table);
        assertFalse(SummaryTable.render(WITH_REJECTS, true).contains("consent signal"));
    }

    @Test
    void pointsToRejectsCsvWhenTheRunWroteIt() {
        String table = SummaryTable.render(WITH_REJECTS, true);
        assertTrue(table.contains("rejected rows (see rejects.csv): orders.csv 3"), table);
    }

    @Test
    void onlyCountsRejectedRowsWhenNoRejectsCsvWasWritten() {
        String table = SummaryTable.render(WITH_REJECTS, false);
        assertTrue(table.contains("rejected rows: orders.csv 3"), table);
        assertFalse(table.contains("rejects.csv"), table);
    }
}
