package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.nestit.audience.report.PrometheusText.Family;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.report.RunReport.CustomerReport;
import se.nestit.audience.report.RunReport.DestinationReport;

class MetricsFileTest {

    private static final Instant START = Instant.parse("2026-11-22T02:00:00Z");
    private static final Instant END = Instant.parse("2026-11-22T02:05:30.250Z");

    @TempDir
    Path out;

    @Test
    void aFailedDeliveryGivesNoMembersRatherThanAnEmptiedAudience() throws IOException {
        AudienceReport audience = new AudienceReport(
                10,
                8,
                Map.of(),
                Map.of(
                        "meta", new AudienceDelivery(AudienceStatus.FAILED, 8, 0, 0, 0, 0, "HTTP 500"),
                        "google", new AudienceDelivery(AudienceStatus.OK, 8, 3, 1, 1, 7, "")));
        RunReport report = new RunReport(
                "2026-11-22T00:00:00Z",
                "sync",
                "r1",
                START.toString(),
                330.25,
                Map.of("vip", audience),
                Map.of(),
                Map.of(
                        "meta",
                                new DestinationReport(
                                        DestinationStatus.FAILED, "meta", 0, 0, 0, 1, "HTTP 500", Map.of()),
                        "google", new DestinationReport(DestinationStatus.OK, "google_ads", 3, 1, 1, 2, "", Map.of())),
                new CustomerReport(10, 0, 8, Map.of()),
                null,
                null,
                null,
                null);

        MetricsFile.write(out, new MetricsFile.Run(START, END, 1, report), Optional.empty());

        Map<String, Family> m = PrometheusText.parse(Files.readString(out.resolve(MetricsFile.FILE)));
        Family members = m.get("audience_exporter_audience_members");
        assertEquals(Map.of(Map.of("audience", "vip", "destination", "google"), 7.0), members.samples());
        assertEquals(
                1,
                m.get("audience_exporter_last_run_delivery_status")
                        .value("audience", "vip", "destination", "meta", "status", "failed"));
        assertEquals(1, m.get("audience_exporter_last_run_destination_failed").value("destination", "meta"));
        assertEquals(0, m.get("audience_exporter_last_run_destination_failed").value("destination", "google"));
        assertEquals(1, m.get("audience_exporter_last_run_failed").value("audience", "vip", "destination", "google"));
        assertEquals(1, m.get("audience_exporter_last_run_exit_code").value());
        assertEquals(
                1_795_313_130.25,
                m.get("audience_exporter_last_run_end_timestamp_seconds").value());
        assertFalse(m.containsKey(MetricsFile.LAST_SUCCESS), "no success known: the alert's absent() catches it");
    }

    @Test
    void aFailedRunCarriesTheLastSuccessOfTheFileItReplacesBeforeTheStateDirectorys() throws IOException {
        MetricsFile.write(out, new MetricsFile.Run(START, END, 0, null), Optional.empty());
        Instant later = END.plusSeconds(86_400);
        MetricsFile.write(out, new MetricsFile.Run(later, later.plusSeconds(5), 1, null), Optional.of(START));

        Map<String, Family> m = PrometheusText.parse(Files.readString(out.resolve(MetricsFile.FILE)));
        assertEquals(
                END.toEpochMilli() / 1000.0, m.get(MetricsFile.LAST_SUCCESS).value());
        assertEquals(
                later.toEpochMilli() / 1000.0,
                m.get("audience_exporter_last_run_start_timestamp_seconds").value());
    }

    @Test
    void theWriteIsAtomicLeavingNoTemporaryFile() throws IOException {
        MetricsFile.write(out, new MetricsFile.Run(START, END, 0, null), Optional.empty());
        try (var files = Files.list(out)) {
            assertEquals(java.util.List.of(out.resolve(MetricsFile.FILE)), files.toList());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a 1\n",
                "# TYPE a gauge\na{b=\"c\"} one\n",
                "# TYPE a gauge\na{b=c} 1\n",
                "# TYPE a gauge\na 1\na 2\n",
                "# TYPE a gauge\n# TYPE a gauge\n",
                "# TYPE a gauge\na 1",
                "# TYPE a gauge\n a 1\n",
                "# TYPE a gauge\na{b=\"c\",b=\"d\"} 1\n"
            })
    void theTestParserRefusesWhatTheFormatDoesNotAllow(String text) {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text));
    }

    @Test
    void theTestParserReadsEscapedLabelsAndSpecialValues() {
        Map<String, Family> m = PrometheusText.parse(
                "# HELP a An a.\n# TYPE a gauge\na{b=\"x\\\"y\\\\z\",c=\"\"} +Inf\na 1.5e3 1700000000000\n");
        assertEquals(Double.POSITIVE_INFINITY, m.get("a").value("b", "x\"y\\z", "c", ""));
        assertEquals(1500, m.get("a").value());
        assertEquals("An a.", m.get("a").help());
        assertTrue(m.get("a").type().equals("gauge"));
    }
}
