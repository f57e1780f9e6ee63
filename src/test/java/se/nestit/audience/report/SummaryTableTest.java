package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.report.RunReport.CustomerReport;
import se.nestit.audience.report.RunReport.DestinationReport;

class SummaryTableTest {

    private static final RunReport WITH_REJECTS = new RunReport(
            "2026-11-22T00:00:00Z",
            "sync",
            "run",
            "2026-11-22T02:30:00Z",
            1.5,
            Map.of(),
            Map.of("orders.csv", 3L),
            Map.of(),
            new CustomerReport(10, 0, 10, Map.of()),
            null,
            null,
            Map.of(),
            Map.of());

    @Test
    void namesTheCustomersAGoogleDestinationDidNotGetForWantOfAConsentSignal() {
        RunReport.AudienceDelivery google = new RunReport.AudienceDelivery(AudienceStatus.OK, 2, 2, 0, 0, 2, "")
                .withWithheld(Map.of("ad_personalization_not_granted", 3L));
        RunReport report = new RunReport(
                "2026-11-22T00:00:00Z",
                "sync",
                "run",
                "2026-11-22T02:30:00Z",
                1.5,
                Map.of("buyers", new RunReport.AudienceReport(5, 5, Map.of(), Map.of("dm", google))),
                Map.of(),
                Map.of(),
                new CustomerReport(5, 0, 5, Map.of()),
                null,
                null,
                Map.of(),
                Map.of());

        String table = SummaryTable.render(report, true);

        assertTrue(
                table.contains("dm buyers: not sent, consent signal not granted: ad_personalization_not_granted 3"),
                table);
        assertFalse(SummaryTable.render(WITH_REJECTS, true).contains("consent signal"));
    }

    @Test
    void fitsOneHundredAndTwentyColumnsAndExplainsItsColumnsOnce() {
        Map<String, Long> everyReason = new LinkedHashMap<>();
        for (String reason : List.of(
                "no_email",
                "invalid_email",
                "suppressed",
                "consent_unreadable",
                "consent_missing",
                "consent_denied",
                "consent_withdrawn",
                "consent_expired")) {
            everyReason.put(reason, 1_234_567L);
        }
        String longId = "lapsed-high-value-customers-of-both-shops";
        Map<String, AudienceReport> audiences = new LinkedHashMap<>();
        audiences.put(
                longId,
                new AudienceReport(
                        9_000_000,
                        5_000_000,
                        everyReason,
                        Map.of("meta", new AudienceDelivery(AudienceStatus.OK, 4_999_000, 10, 2, 0, 4_999_000, ""))));
        audiences.put(
                "buyers",
                new AudienceReport(
                        10,
                        8,
                        everyReason,
                        Map.of("meta", new AudienceDelivery(AudienceStatus.OK, 7, 7, 0, 0, 7, ""))));
        RunReport report = new RunReport(
                "2026-11-22T00:00:00Z",
                "sync",
                "run",
                "2026-11-22T02:30:00Z",
                1.5,
                audiences,
                Map.of(),
                Map.of(),
                new CustomerReport(20_000_000, 0, 8_000_000, everyReason),
                null,
                null,
                Map.of(),
                Map.of());

        String table = SummaryTable.render(report, true);

        table.lines().forEach(line -> assertTrue(line.length() <= 120, line.length() + ": " + line));
        assertEquals(1, table.split("HASHES: ", -1).length - 1, table);
        assertTrue(table.contains("two customers share one address"), table);
        assertTrue(table.contains("HELD: hashes the\n  destination holds after the run"), table);
        String joined = table.replaceAll("\\s+", " ");
        assertTrue(
                joined.contains(
                        longId + " 9000000 5000000 no_email 1234567, invalid_email 1234567, suppressed 1234567, "
                                + "consent_unreadable 1234567, consent_missing 1234567, consent_denied 1234567, consent_withdrawn 1234567, "
                                + "consent_expired 1234567"),
                joined);
        assertTrue(joined.contains("skipped: no_email 1234567, invalid_email 1234567,"), joined);
    }

    @Test
    void wrapsAListBetweenItems() {
        assertEquals(List.of("a 1, bb 2,", "ccc 3"), SummaryTable.wrap("a 1, bb 2, ccc 3", 10));
        assertEquals(List.of("none"), SummaryTable.wrap("none", 2));
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

    @Test
    void aStoppedSyncEndsInOneLineSayingWhatWasCommittedAndThatTheNextRunContinues() {
        Map<String, DestinationReport> destinations = new LinkedHashMap<>();
        destinations.put(
                "meta",
                new DestinationReport(DestinationStatus.INTERRUPTED, "meta", 400, 12, 0, 3.2, "stopped", Map.of()));
        destinations.put("files", new DestinationReport(DestinationStatus.OK, "file", 900, 0, 0, 0.1, "", Map.of()));
        Map<String, AudienceReport> audiences = new LinkedHashMap<>();
        audiences.put(
                "buyers",
                new AudienceReport(
                        900,
                        900,
                        Map.of(),
                        Map.of(
                                "meta", new AudienceDelivery(AudienceStatus.INTERRUPTED, 900, 400, 12, 0, 0, "stopped"),
                                "files", new AudienceDelivery(AudienceStatus.OK, 900, 900, 0, 0, 900, ""))));
        audiences.put(
                "crime",
                new AudienceReport(
                        300,
                        300,
                        Map.of(),
                        Map.of(
                                "meta",
                                new AudienceDelivery(AudienceStatus.INTERRUPTED, 300, 0, 0, 0, 0, "not tried"))));
        RunReport stopped = new RunReport(
                        "2026-11-22T00:00:00Z",
                        "sync",
                        "run",
                        "2026-11-22T02:30:00Z",
                        3.3,
                        audiences,
                        Map.of(),
                        destinations,
                        new CustomerReport(1000, 0, 900, Map.of()),
                        null,
                        null,
                        Map.of(),
                        Map.of())
                .interrupted();

        assertEquals(RunStatus.INTERRUPTED, stopped.status());
        assertEquals(
                "STOPPED on request: committed what the destinations confirmed (meta 400 adds, 12 removes; files 900 adds, "
                        + "0 removes); 2 audience deliveries cut short or not started. The next sync continues from there.",
                SummaryTable.stopped(stopped));
        assertEquals(RunStatus.COMPLETE, WITH_REJECTS.status());
    }

    @Test
    void showsEveryGuardrailsFigureAndWhatATrippedOneHeld() {
        RunReport.GuardrailReport guardrails = new RunReport.GuardrailReport(
                "tripped",
                Map.of(
                        "max_rejected_share",
                        0.01,
                        "rejected_rows_allowed",
                        10,
                        "max_audience_shrink",
                        0.5,
                        "max_exportable_drop",
                        0.2),
                Map.of("orders.csv", new RunReport.RejectedRows(1599, 1599, 1.0, true)),
                new RunReport.ExportableDrop(240L, 233, 0.0292, false),
                Map.of("crime", new RunReport.AudienceShrink("meta", 40, 0, 1.0, true, false)),
                List.of("crime"),
                List.of("rejected_rows: orders.csv: 1599 of 1599 rows rejected"));
        RunReport report = new RunReport(
                WITH_REJECTS.asOf(),
                "sync",
                "run",
                WITH_REJECTS.startedAt(),
                1.5,
                Map.of(),
                Map.of(),
                Map.of(),
                WITH_REJECTS.customers(),
                null,
                null,
                Map.of(),
                Map.of(),
                guardrails);

        String table = SummaryTable.render(report, true);

        assertTrue(
                table.contains("rejected_rows    orders.csv     1599 of 1599 rows (100%)  1%, 10 rows  TRIPPED"),
                table);
        assertTrue(table.contains("exportable_drop  customers      240 -> 233 (-2.9%)        20%          ok"), table);
        assertTrue(
                table.contains("audience_shrink  crime at meta  40 -> 0 (-100%)           50%          TRIPPED"),
                table);
        assertTrue(
                table.contains("HELD at what they were (only people who can no longer be exported left them): crime"),
                table);
        assertTrue(table.contains("GUARDRAIL rejected_rows: orders.csv: 1599 of 1599 rows rejected"), table);
    }

    @Test
    void aShareIsAPercentageAndOneRowInThousandsIsNotNone() {
        assertEquals("1.3%", SummaryTable.percent(0.0125));
        assertEquals("100%", SummaryTable.percent(1.0));
        assertEquals("0%", SummaryTable.percent(0));
        assertEquals("0.1%", SummaryTable.percent(0.0005));
        assertEquals("<0.1%", SummaryTable.percent(1 / 2954.0));
    }
}
