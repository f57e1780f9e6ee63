package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.report.RunReport.AudienceShrink;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.report.RunReport.GuardrailReport;

class HtmlReportTest {

    private static final String HOSTILE = "<script>alert('x')</script>&\"";
    private static final String HASH = "a".repeat(64);

    private static RunReport night(
            int day,
            String runId,
            Map<String, AudienceDelivery> deliveries,
            Map<String, DestinationReport> destinations,
            GuardrailReport guard) {
        Map<String, AudienceReport> audiences = new LinkedHashMap<>();
        audiences.put(
                HOSTILE,
                new AudienceReport(100 + day, 80 + day, Map.of("consent_missing", 15L, "suppressed", 5L), deliveries));
        String asOf =
                Instant.parse("2026-11-01T00:00:00Z").plusSeconds(day * 86_400L).toString();
        return new RunReport(
                asOf,
                "sync",
                runId,
                asOf,
                3.25,
                audiences,
                Map.of("orders.csv", 2L),
                destinations,
                null,
                null,
                null,
                Map.of("read", 1.5, "deliver", 0.75),
                Map.of(),
                guard,
                RunStatus.COMPLETE);
    }

    private static String render(List<RunReport> runs) {
        return HtmlReport.render(
                runs, ZoneOffset.UTC, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z"));
    }

    private static List<RunReport> history() {
        RunReport first = night(
                1,
                "run-1",
                Map.of("google", new AudienceDelivery(AudienceStatus.OK, 80, 80, 0, 0, 80, "", "61-70%")),
                Map.of(
                        "google",
                        new DestinationReport(
                                DestinationStatus.OK, "google-data-manager", 80, 0, 0, 1.0, "", Map.of())),
                null);
        RunReport failed = night(
                2,
                "run-2",
                Map.of(
                        "google",
                        new AudienceDelivery(
                                AudienceStatus.FAILED,
                                81,
                                0,
                                0,
                                1,
                                80,
                                "refused " + HASH + " of jane.doe@example.com " + HOSTILE)),
                Map.of(
                        "google",
                        new DestinationReport(
                                DestinationStatus.FAILED,
                                "google-data-manager",
                                0,
                                0,
                                1,
                                1.0,
                                "PERMISSION_DENIED " + HOSTILE,
                                Map.of())),
                null);
        GuardrailReport held = new GuardrailReport(
                "tripped",
                Map.of("max_audience_shrink", 0.5),
                Map.of(),
                null,
                Map.of(HOSTILE, new AudienceShrink("google", 80, 20, 0.75, true, false)),
                List.of(HOSTILE),
                List.of("audience_shrink: " + HOSTILE + " would lose 75.0 %"));
        RunReport pending = night(
                3,
                "run-3",
                Map.of("google", new AudienceDelivery(AudienceStatus.PENDING, 82, 2, 0, 0, 82, "")),
                Map.of(
                        "google",
                        new DestinationReport(DestinationStatus.OK, "google-data-manager", 2, 0, 0, 1.0, "", Map.of())),
                held);
        return List.of(first, failed, pending);
    }

    @Test
    void textFromDefinitionsAndNetworksIsEscapedNeverMarkup() {
        String html = render(history());
        Document page = Jsoup.parse(html);

        assertTrue(page.select("script").isEmpty(), "no script, a hostile name's least of all");
        assertFalse(html.contains(HOSTILE));
        Element audience = page.selectFirst("article.audience");
        assertNotNull(audience);
        assertEquals(HOSTILE, audience.attr("data-audience"));
        assertEquals(HOSTILE, audience.selectFirst("h3").text());
        assertEquals(HOSTILE, page.select("nav a").first().text());
    }

    @Test
    void aNetworksMessageLosesItsHashesAndEmailsAndTheLastErrorSaysWhatToDo() {
        Document page = Jsoup.parse(render(history()));

        Element destination = page.selectFirst("article.destination[data-destination=google]");
        assertNotNull(destination);
        Element error = destination.selectFirst(".error");
        assertNotNull(error);
        assertEquals("run-2", error.attr("data-run"));
        assertTrue(error.text().contains("PERMISSION_DENIED " + HOSTILE), error.text());
        assertTrue(destination.selectFirst(".todo").text().contains("check"), destination.text());
        assertTrue(destination.selectFirst(".todo").text().contains("Syncs since then did not fail here."));
        assertFalse(page.html().contains(HASH));
        assertFalse(page.html().contains("jane.doe"));
        assertEquals(
                List.of("ok", "failed", "ok"), destination.select("ol.runs li").eachAttr("data-status"));
        assertEquals("1", destination.selectFirst(".pending-requests").attr("data-pending"));
    }

    @Test
    void theAudienceShowsGooglesLatestMatchRateAndItsGuardrailWithWhatToDo() {
        Document page = Jsoup.parse(render(history()));

        Element row = page.selectFirst("article.audience table.deliveries tr[data-destination=google]");
        assertNotNull(row);
        assertEquals("61-70%", row.selectFirst(".match-rate").text(), "the latest rate known, from the first night");
        assertTrue(row.text().contains("pending"), row.text());
        Element guardrail = page.selectFirst("article.audience .guardrail");
        assertNotNull(guardrail);
        assertTrue(guardrail.text().contains("80 → 20 members (75.0 % lost, limit 50.0 %) held"), guardrail.text());
        assertTrue(page.selectFirst("article.audience .todo").text().contains("--accept-shrink " + HOSTILE));
    }

    @Test
    void theChartsCarryEachRunsFigures() {
        Document page = Jsoup.parse(render(history()));

        assertEquals(
                List.of("80", "80", "82"),
                page.select("svg[data-chart=members] circle").eachAttr("data-value"));
        assertEquals(
                List.of("run-1", "run-2", "run-3"),
                page.select("svg[data-chart=members] circle").eachAttr("data-run"));
        assertEquals(
                List.of("80", "0", "0", "0", "2", "0"),
                page.select("svg[data-chart=adds-removes] rect").eachAttr("data-value"));
        // per run: exported, then each skip reason
        assertEquals(
                List.of("81", "15", "5", "82", "15", "5", "83", "15", "5"),
                page.select("svg[data-chart=skipped] rect").eachAttr("data-value"));
        assertEquals(
                List.of("deliver", "read"),
                page.select("[data-stage]").eachAttr("data-stage").stream()
                        .sorted()
                        .toList());
    }

    @Test
    void aDeliveryAtADestinationTheRunsTotalsLeaveOutIsStillCharted() {
        RunReport files = night(
                1,
                "run-1",
                Map.of("files", new AudienceDelivery(AudienceStatus.OK, 80, 80, 0, 0, 80, "")),
                Map.of(),
                null);

        Document page = Jsoup.parse(render(List.of(files)));

        assertEquals(
                List.of("files"), page.select("svg[data-chart=members] circle").eachAttr("data-series"));
        assertEquals(List.of("files"), page.select("article.destination").eachAttr("data-destination"));
    }

    @Test
    void aPeriodWithoutSyncsSaysSo() {
        Document page = Jsoup.parse(render(List.of()));

        assertTrue(page.text().contains("No sync in this period"), page.text());
        assertTrue(page.select("svg").isEmpty());
    }

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(1, SvgChart.niceStep(3, 4));
        assertEquals(2, SvgChart.niceStep(7, 4));
        assertEquals(500, SvgChart.niceStep(1964, 4));
        assertEquals(1000, SvgChart.niceStep(2001, 4));
        assertEquals(0, SvgChart.niceStep(0, 4));
    }
}
