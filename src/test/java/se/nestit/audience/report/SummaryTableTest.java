package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.nestit.audience.report.RunReport.CustomerReport;

class SummaryTableTest {

    private static final RunReport WITH_REJECTS = new RunReport("2026-11-22T00:00:00Z", "sync", "run", "2026-11-22T02:30:00Z",
            1.5, Map.of(), Map.of("orders.csv", 3L), Map.of(), new CustomerReport(10, 0, 10, Map.of()), null, null, Map.of(),
            Map.of());

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

    @Test
    void showsEveryGuardrailsFigureAndWhatATrippedOneHeld() {
        RunReport.GuardrailReport guardrails = new RunReport.GuardrailReport("tripped",
                Map.of("max_rejected_share", 0.01, "rejected_rows_allowed", 10, "max_audience_shrink", 0.5,
                        "max_exportable_drop", 0.2),
                Map.of("orders.csv", new RunReport.RejectedRows(1599, 1599, 1.0, true)),
                new RunReport.ExportableDrop(240L, 233, 0.0292, false),
                Map.of("crime", new RunReport.AudienceShrink("meta", 40, 0, 1.0, true, false)),
                List.of("crime"), List.of("rejected_rows: orders.csv: 1599 of 1599 rows rejected"));
        RunReport report = new RunReport(WITH_REJECTS.asOf(), "sync", "run", WITH_REJECTS.startedAt(), 1.5, Map.of(),
                Map.of(), Map.of(), WITH_REJECTS.customers(), null, null, Map.of(), Map.of(), guardrails);

        String table = SummaryTable.render(report, true);

        assertTrue(table.contains("rejected_rows    orders.csv     1599 of 1599 rows (100%)  1%, 10 rows  TRIPPED"), table);
        assertTrue(table.contains("exportable_drop  customers      240 -> 233 (-2.9%)        20%          ok"), table);
        assertTrue(table.contains("audience_shrink  crime at meta  40 -> 0 (-100%)           50%          TRIPPED"), table);
        assertTrue(table.contains("HELD at what they were (only people who can no longer be exported left them): crime"), table);
        assertTrue(table.contains("GUARDRAIL rejected_rows: orders.csv: 1599 of 1599 rows rejected"), table);
    }
}
