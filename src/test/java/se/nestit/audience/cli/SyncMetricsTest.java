package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.report.PrometheusText;
import se.nestit.audience.report.PrometheusText.Family;

/** {@code out/metrics.prom}: what a sync leaves for node_exporter, checked against its own report.json. */
class SyncMetricsTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");
    private static final String P = "audience_exporter_";

    @TempDir
    Path tmp;

    @Test
    void aSyncsMetricsParseAndHoldTheFiguresOfItsReport() throws IOException {
        Instant before = Instant.now();
        Cli.Result r = run("sync", FIXTURE.resolve("data"));
        Instant after = Instant.now();
        assertEquals(ExitCode.OK, r.exitCode(), r.err());

        Map<String, Family> m = metrics();
        JsonNode report =
                new ObjectMapper().readTree(tmp.resolve("out/report.json").toFile());

        assertEquals(
                Instant.parse(report.get("started_at").asText()).toEpochMilli() / 1000.0,
                m.get(P + "last_run_start_timestamp_seconds").value());
        double end = m.get(P + "last_run_end_timestamp_seconds").value();
        assertTrue(end >= before.getEpochSecond() && end <= after.toEpochMilli() / 1000.0, "end " + end);
        assertEquals(
                end, m.get(P + "last_success_timestamp_seconds").value(), "a sync that exits 0 is the last success");
        assertEquals(0, m.get(P + "last_run_exit_code").value());

        int deliveries = 0;
        for (Iterator<Map.Entry<String, JsonNode>> as = report.get("audiences").fields(); as.hasNext(); ) {
            Map.Entry<String, JsonNode> a = as.next();
            for (Iterator<Map.Entry<String, JsonNode>> ds =
                            a.getValue().get("destinations").fields();
                    ds.hasNext(); ) {
                Map.Entry<String, JsonNode> d = ds.next();
                String[] labels = {"audience", a.getKey(), "destination", d.getKey()};
                assertEquals(
                        d.getValue().path("held").asLong(),
                        m.get(P + "audience_members").value(labels),
                        a.getKey());
                assertEquals(
                        d.getValue().path("adds").asLong(),
                        m.get(P + "last_run_adds").value(labels));
                assertEquals(
                        d.getValue().path("removes").asLong(),
                        m.get(P + "last_run_removes").value(labels));
                assertEquals(
                        d.getValue().path("failed").asLong(),
                        m.get(P + "last_run_failed").value(labels));
                assertEquals(
                        1,
                        m.get(P + "last_run_delivery_status")
                                .value(
                                        "audience",
                                        a.getKey(),
                                        "destination",
                                        d.getKey(),
                                        "status",
                                        d.getValue().get("status").asText()));
                deliveries++;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ss =
                            a.getValue().get("skipped").fields();
                    ss.hasNext(); ) {
                Map.Entry<String, JsonNode> s = ss.next();
                assertEquals(
                        s.getValue().asLong(),
                        m.get(P + "last_run_skipped").value("audience", a.getKey(), "reason", s.getKey()));
            }
        }
        assertEquals(13, deliveries, "the deliveries the fixture's five audiences name");
        assertEquals(deliveries, m.get(P + "audience_members").samples().size());
        assertTrue(m.get(P + "audience_members").samples().values().stream().anyMatch(v -> v > 0));

        report.get("customers")
                .get("skipped")
                .fields()
                .forEachRemaining(s -> assertEquals(
                        s.getValue().asLong(),
                        m.get(P + "last_run_customers_skipped").value("reason", s.getKey())));
        report.get("sources")
                .fields()
                .forEachRemaining(f -> assertEquals(
                        f.getValue().get("rejected").asLong(),
                        m.get(P + "last_run_rejected_rows").value("file", f.getKey())));
        assertTrue(report.get("rejected").size() > 0, "the fixture rejects rows");
        report.get("rejected")
                .fields()
                .forEachRemaining(f -> assertEquals(
                        f.getValue().asLong(),
                        m.get(P + "last_run_rejected_rows").value("file", f.getKey())));
        report.get("timings")
                .fields()
                .forEachRemaining(t -> assertEquals(
                        t.getValue().asDouble(),
                        m.get(P + "last_run_stage_seconds").value("stage", t.getKey())));
        report.get("destinations")
                .fields()
                .forEachRemaining(d -> assertEquals(
                        d.getValue().get("status").asText().equals("failed") ? 1 : 0,
                        m.get(P + "last_run_destination_failed").value("destination", d.getKey())));
        for (String g : List.of("rejected_rows", "exportable_drop", "audience_shrink")) {
            assertEquals(0, m.get(P + "last_run_guardrail_tripped").value("guardrail", g));
        }
        assertEquals(
                report.get("guardrails").get("held").size(),
                m.get(P + "last_run_audiences_held").value());
        m.values().forEach(f -> assertEquals("gauge", f.type()));
    }

    @Test
    void noLabelNamesAPerson() throws IOException {
        assertEquals(ExitCode.OK, run("sync", FIXTURE.resolve("data")).exitCode());
        String metrics = Files.readString(tmp.resolve("out/metrics.prom"));
        Set<String> ids = new HashSet<>();
        for (String line :
                Files.readAllLines(FIXTURE.resolve("data/customers.csv")).subList(1, 10)) {
            ids.add(line.split(",")[0]);
        }
        for (Family f : PrometheusText.parse(metrics).values()) {
            f.samples()
                    .keySet()
                    .forEach(labels -> labels.values().forEach(v -> {
                        assertFalse(v.contains("@"), v);
                        assertFalse(ids.contains(v), v);
                    }));
        }
    }

    @Test
    void aFailedSyncKeepsTheLastSuccessAndSaysHowItEnded() throws IOException {
        assertEquals(ExitCode.OK, run("sync", FIXTURE.resolve("data")).exitCode());
        double success = metrics().get(P + "last_success_timestamp_seconds").value();

        Path data = copyOfFixtureData();
        Files.delete(data.resolve("consents.csv"));
        assertEquals(ExitCode.USAGE, run("sync", data).exitCode());

        Map<String, Family> m = metrics();
        assertEquals(ExitCode.USAGE, m.get(P + "last_run_exit_code").value());
        assertEquals(success, m.get(P + "last_success_timestamp_seconds").value());
        assertTrue(m.get(P + "last_run_start_timestamp_seconds").value() >= success, "the failed run's own start");
        assertFalse(m.containsKey(P + "audience_members"), "a run without a report has no figures to give");
    }

    @Test
    void withoutAnEarlierMetricsFileTheLastSuccessIsWhenTheLastCompletedSyncRecordedIt() throws IOException {
        assertEquals(ExitCode.OK, run("sync", FIXTURE.resolve("data")).exitCode());
        Instant recorded = Instant.parse("2026-11-22T03:00:00Z");
        Files.setLastModifiedTime(tmp.resolve("state/last-sync.json"), FileTime.from(recorded));
        Files.delete(tmp.resolve("out/metrics.prom"));

        Path data = copyOfFixtureData();
        Files.delete(data.resolve("consents.csv"));
        assertEquals(ExitCode.USAGE, run("sync", data).exitCode());

        assertEquals(
                recorded.getEpochSecond(),
                metrics().get(P + "last_success_timestamp_seconds").value());
    }

    @Test
    void aSyncThatStopsBeforeTheOutputDirectoryExistsWritesNothing() throws IOException {
        Path data = copyOfFixtureData();
        Files.delete(data.resolve("consents.csv"));
        assertEquals(ExitCode.USAGE, run("sync", data).exitCode());
        assertTrue(Files.notExists(tmp.resolve("out")));
    }

    @Test
    void planLeavesTheSyncsMetricsAlone() throws IOException {
        assertEquals(ExitCode.OK, run("sync", FIXTURE.resolve("data")).exitCode());
        String synced = Files.readString(tmp.resolve("out/metrics.prom"));

        assertEquals(ExitCode.OK, run("plan", FIXTURE.resolve("data")).exitCode());

        assertEquals(synced, Files.readString(tmp.resolve("out/metrics.prom")));
    }

    private Map<String, Family> metrics() throws IOException {
        return PrometheusText.parse(Files.readString(tmp.resolve("out/metrics.prom")));
    }

    private Cli.Result run(String command, Path data) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--no-progress",
                "--config",
                FIXTURE.resolve("exporter.yaml").toString(),
                "--data",
                data.toString(),
                "--audiences",
                FIXTURE.resolve("audiences").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22"));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path copyOfFixtureData() throws IOException {
        Path to = Files.createDirectories(tmp.resolve("data"));
        try (Stream<Path> files = Files.list(FIXTURE.resolve("data"))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
