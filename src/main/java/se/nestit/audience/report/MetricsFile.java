package se.nestit.audience.report;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import se.nestit.audience.io.AtomicFiles;

/**
 * {@code metrics.prom}: a sync's figures in the Prometheus text format, for node_exporter's
 * textfile collector. Every value is a gauge of the last run (a batch job has no counters that
 * live between runs); labels carry audience, destination, file, stage and reason names only,
 * never anything about a person.
 */
public final class MetricsFile {

    public static final String FILE = "metrics.prom";
    static final String PREFIX = "audience_exporter_";
    static final String LAST_SUCCESS = PREFIX + "last_success_timestamp_seconds";

    /**
     * How a sync ended.
     *
     * @param started when it began (its report's {@code started_at} when it got that far)
     * @param exitCode the process's exit code; 0 is a success
     * @param report its report, or null when it broke before making one
     */
    public record Run(Instant started, Instant ended, int exitCode, RunReport report) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private MetricsFile() {}

    /**
     * Replaces {@code out/metrics.prom}. A run that did not succeed carries the last success over
     * from the file it replaces or, when that is gone, from when the last completed sync recorded
     * its figures in the state directory.
     */
    public static void write(Path out, Run run, Optional<Instant> lastCompletedSync) throws IOException {
        Path file = out.resolve(FILE);
        OptionalDouble lastSuccess = run.succeeded() ? OptionalDouble.of(seconds(run.ended())) : previousSuccess(file);
        if (lastSuccess.isEmpty() && lastCompletedSync.isPresent()) {
            lastSuccess = OptionalDouble.of(seconds(lastCompletedSync.get()));
        }
        MetricSnapshots metrics = snapshots(run, lastSuccess);
        AtomicFiles.writeBytes(file, o -> PrometheusTextFormatWriter.create().write(o, metrics));
    }

    static MetricSnapshots snapshots(Run run, OptionalDouble lastSuccess) {
        List<GaugeSnapshot> families = new ArrayList<>();
        families.add(gauge(
                "last_run_start_timestamp_seconds",
                Unit.SECONDS,
                "When the last sync started.",
                List.of(point(seconds(run.started())))));
        families.add(gauge(
                "last_run_end_timestamp_seconds",
                Unit.SECONDS,
                "When the last sync ended.",
                List.of(point(seconds(run.ended())))));
        lastSuccess.ifPresent(t -> families.add(gauge(
                "last_success_timestamp_seconds",
                Unit.SECONDS,
                "When the last sync that exited 0 ended.",
                List.of(point(t)))));
        families.add(gauge(
                "last_run_exit_code",
                null,
                "The last sync's exit code: 0 ok, 1 failed or held, 2 usage, " + "130/143 stopped.",
                List.of(point(run.exitCode()))));
        if (run.report() != null) {
            families.addAll(reportFamilies(run.report()));
        }
        return new MetricSnapshots(families.stream()
                .filter(g -> !g.getDataPoints().isEmpty())
                .map(MetricSnapshot.class::cast)
                .toList());
    }

    private static List<GaugeSnapshot> reportFamilies(RunReport r) {
        List<GaugeDataPointSnapshot> members = new ArrayList<>();
        List<GaugeDataPointSnapshot> adds = new ArrayList<>();
        List<GaugeDataPointSnapshot> removes = new ArrayList<>();
        List<GaugeDataPointSnapshot> failed = new ArrayList<>();
        List<GaugeDataPointSnapshot> status = new ArrayList<>();
        List<GaugeDataPointSnapshot> skipped = new ArrayList<>();
        r.audiences().forEach((audience, a) -> {
            a.destinations().forEach((destination, d) -> {
                Labels labels = Labels.of("audience", audience, "destination", destination);
                delivery(labels, d, members, adds, removes, failed, status);
            });
            a.skipped().forEach((reason, n) -> skipped.add(point(n, "audience", audience, "reason", reason)));
        });
        r.destinations()
                .forEach((destination, d) -> d.orphans()
                        .forEach((audience, o) -> delivery(
                                Labels.of("audience", audience, "destination", destination),
                                o,
                                members,
                                adds,
                                removes,
                                failed,
                                status)));
        List<GaugeDataPointSnapshot> destinationFailed = new ArrayList<>();
        r.destinations()
                .forEach((destination, d) -> destinationFailed.add(
                        point(d.status() == DestinationStatus.FAILED ? 1 : 0, "destination", destination)));
        List<GaugeDataPointSnapshot> customersSkipped = new ArrayList<>();
        r.customers().skipped().forEach((reason, n) -> customersSkipped.add(point(n, "reason", reason)));
        List<GaugeDataPointSnapshot> rejected = new ArrayList<>();
        if (r.sources() != null) {
            r.sources().forEach((file, s) -> rejected.add(point((double) s.rejected(), "file", file)));
        } else {
            r.rejected().forEach((file, n) -> rejected.add(point(n, "file", file)));
        }
        List<GaugeDataPointSnapshot> stages = new ArrayList<>();
        if (r.timings() != null) {
            r.timings().forEach((stage, s) -> stages.add(point(s, "stage", stage)));
        }
        List<GaugeSnapshot> families = new ArrayList<>(List.of(
                gauge(
                        "audience_members",
                        null,
                        "Hashes an audience's destination holds after the last sync; "
                                + "none when its delivery failed.",
                        members),
                gauge("last_run_adds", null, "Hashes the last sync added to an audience at a destination.", adds),
                gauge(
                        "last_run_removes",
                        null,
                        "Hashes the last sync removed from an audience at a destination.",
                        removes),
                gauge("last_run_failed", null, "Hashes a destination refused in the last sync.", failed),
                gauge(
                        "last_run_delivery_status",
                        null,
                        "1 for the status of each audience's delivery in the last sync "
                                + "(ok, pending, below_min_size, held, failed, interrupted).",
                        status),
                gauge(
                        "last_run_destination_failed",
                        null,
                        "1 when a destination failed in the last sync.",
                        destinationFailed),
                gauge(
                        "last_run_skipped",
                        null,
                        "Members of an audience's segment the last sync did not export, " + "by reason.",
                        skipped),
                gauge(
                        "last_run_customers_skipped",
                        null,
                        "Customers the consent gate skipped in the last sync, " + "by reason.",
                        customersSkipped),
                gauge("last_run_rejected_rows", null, "Rows of an input file the last sync rejected.", rejected),
                gauge("last_run_stage_seconds", Unit.SECONDS, "Seconds each stage of the last sync took.", stages)));
        if (r.guardrails() != null) {
            families.add(guardrails(r.guardrails()));
            families.add(gauge(
                    "last_run_audiences_held",
                    null,
                    "Audiences a guardrail held at what they were " + "in the last sync.",
                    List.of(point(r.guardrails().held().size()))));
        }
        return families;
    }

    private static void delivery(
            Labels labels,
            RunReport.AudienceDelivery d,
            List<GaugeDataPointSnapshot> members,
            List<GaugeDataPointSnapshot> adds,
            List<GaugeDataPointSnapshot> removes,
            List<GaugeDataPointSnapshot> failed,
            List<GaugeDataPointSnapshot> status) {
        // a failed delivery reports no holding: a 0 would read as an audience emptied
        if (d.status() != AudienceStatus.FAILED) {
            members.add(point((double) d.held(), labels));
        }
        adds.add(point((double) d.adds(), labels));
        removes.add(point((double) d.removes(), labels));
        failed.add(point((double) d.failed(), labels));
        status.add(point(1, labels.add("status", d.status().code())));
    }

    /** Each guardrail, 1 when it tripped on anything in the last sync. */
    private static GaugeSnapshot guardrails(RunReport.GuardrailReport g) {
        boolean rejectedRows = g.rejectedRows().values().stream().anyMatch(RunReport.RejectedRows::tripped);
        boolean shrink = g.audienceShrink().values().stream().anyMatch(RunReport.AudienceShrink::tripped);
        return gauge(
                "last_run_guardrail_tripped",
                null,
                "1 when a guardrail tripped in the last sync.",
                List.of(
                        point(rejectedRows ? 1 : 0, "guardrail", "rejected_rows"),
                        point(g.exportableDrop().tripped() ? 1 : 0, "guardrail", "exportable_drop"),
                        point(shrink ? 1 : 0, "guardrail", "audience_shrink")));
    }

    /** The last success the file at {@code file} gives, if it exists and gives one. */
    static OptionalDouble previousSuccess(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return OptionalDouble.empty();
        }
        for (String line : lines) {
            if (line.startsWith(LAST_SUCCESS + " ")) {
                try {
                    return OptionalDouble.of(Double.parseDouble(
                            line.substring(LAST_SUCCESS.length() + 1).trim()));
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
            }
        }
        return OptionalDouble.empty();
    }

    private static GaugeSnapshot gauge(String name, Unit unit, String help, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(PREFIX + name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static GaugeDataPointSnapshot point(double value, String... labels) {
        return point(value, Labels.of(labels));
    }

    // counts go in as doubles: exact up to 2^53, far beyond any audience
    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
