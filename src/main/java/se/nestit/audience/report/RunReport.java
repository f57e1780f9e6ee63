package se.nestit.audience.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json}: what a run did, per audience, per skip reason, per input file and per
 * destination. {@code timings} gives the seconds of each stage (read, gate, evaluate, hash,
 * deliver), {@code task_seconds} those of each task within them (reading one file, say), which
 * may overlap as tasks run in parallel; {@code guardrails} each guardrail's figure. The fields of
 * the contract ({@code as_of}, {@code audiences.*.in_segment}, {@code exported}, {@code skipped}, {@code rejected},
 * {@code destinations.*.status, adds, removes, failed, seconds}) keep their names and meaning; the others are additions.
 * {@code status} is {@code complete}, or {@code interrupted} when a stop (SIGINT, SIGTERM) cut the deliveries short:
 * the counts are then those of what was done, and the next run continues ({@link RunStatus}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "as_of",
    "command",
    "status",
    "run_id",
    "started_at",
    "seconds",
    "audiences",
    "rejected",
    "destinations",
    "customers",
    "sources",
    "normalization",
    "timings",
    "task_seconds",
    "guardrails"
})
public record RunReport(
        String asOf,
        String command,
        String runId,
        String startedAt,
        double seconds,
        Map<String, AudienceReport> audiences,
        Map<String, Long> rejected,
        Map<String, DestinationReport> destinations,
        CustomerReport customers,
        Map<String, SourceReport> sources,
        Map<String, NormalizationReport> normalization,
        Map<String, Double> timings,
        Map<String, Double> taskSeconds,
        GuardrailReport guardrails,
        RunStatus status) {

    /** A complete run's report without guardrail figures: a Spark build checks none. */
    public RunReport(
            String asOf,
            String command,
            String runId,
            String startedAt,
            double seconds,
            Map<String, AudienceReport> audiences,
            Map<String, Long> rejected,
            Map<String, DestinationReport> destinations,
            CustomerReport customers,
            Map<String, SourceReport> sources,
            Map<String, NormalizationReport> normalization,
            Map<String, Double> timings,
            Map<String, Double> taskSeconds) {
        this(
                asOf,
                command,
                runId,
                startedAt,
                seconds,
                audiences,
                rejected,
                destinations,
                customers,
                sources,
                normalization,
                timings,
                taskSeconds,
                null,
                RunStatus.COMPLETE);
    }

    /** A complete run's report. */
    public RunReport(
            String asOf,
            String command,
            String runId,
            String startedAt,
            double seconds,
            Map<String, AudienceReport> audiences,
            Map<String, Long> rejected,
            Map<String, DestinationReport> destinations,
            CustomerReport customers,
            Map<String, SourceReport> sources,
            Map<String, NormalizationReport> normalization,
            Map<String, Double> timings,
            Map<String, Double> taskSeconds,
            GuardrailReport guardrails) {
        this(
                asOf,
                command,
                runId,
                startedAt,
                seconds,
                audiences,
                rejected,
                destinations,
                customers,
                sources,
                normalization,
                timings,
                taskSeconds,
                guardrails,
                RunStatus.COMPLETE);
    }

    /** The same report, of a run a stop cut short. */
    public RunReport interrupted() {
        return new RunReport(
                asOf,
                command,
                runId,
                startedAt,
                seconds,
                audiences,
                rejected,
                destinations,
                customers,
                sources,
                normalization,
                timings,
                taskSeconds,
                guardrails,
                RunStatus.INTERRUPTED);
    }

    public boolean wasInterrupted() {
        return status == RunStatus.INTERRUPTED;
    }

    /** One audience: who the rule selected and what became of them. */
    @JsonPropertyOrder({"in_segment", "exported", "skipped", "destinations"})
    public record AudienceReport(
            long inSegment, long exported, Map<String, Long> skipped, Map<String, AudienceDelivery> destinations) {}

    /**
     * One audience at one destination.
     *
     * @param status what became of it, see {@link AudienceStatus}
     * @param hashes distinct hashes the segment wants at this destination
     * @param held hashes the destination holds afterwards (for {@code plan}: would hold)
     * @param matchRate the network's upload match rate range ({@code 61-70%}), when it reported one
     * @param withheld at a Google destination, exported customers it does not get, by the first
     *     consent signal they did not grant ({@code ad_user_data_not_granted}, ...)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"status", "hashes", "adds", "removes", "failed", "held", "message", "match_rate", "withheld"})
    public record AudienceDelivery(
            AudienceStatus status,
            long hashes,
            long adds,
            long removes,
            long failed,
            long held,
            String message,
            String matchRate,
            Map<String, Long> withheld) {

        public AudienceDelivery(
                AudienceStatus status, long hashes, long adds, long removes, long failed, long held, String message) {
            this(status, hashes, adds, removes, failed, held, message, "", Map.of());
        }

        public AudienceDelivery(
                AudienceStatus status,
                long hashes,
                long adds,
                long removes,
                long failed,
                long held,
                String message,
                String matchRate) {
            this(status, hashes, adds, removes, failed, held, message, matchRate, Map.of());
        }

        public AudienceDelivery withWithheld(Map<String, Long> counts) {
            return new AudienceDelivery(status, hashes, adds, removes, failed, held, message, matchRate, counts);
        }
    }

    /**
     * One destination over all its audiences; {@code status} is {@code ok}, {@code failed} or
     * {@code interrupted} ({@link DestinationStatus}).
     *
     * @param orphans audiences the destination holds that no definition names any more: kept, but
     *     emptied of whoever can no longer be exported (status {@code kept} when nobody had to go)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"status", "type", "adds", "removes", "failed", "seconds", "message", "orphans"})
    public record DestinationReport(
            DestinationStatus status,
            String type,
            long adds,
            long removes,
            long failed,
            double seconds,
            String message,
            Map<String, AudienceDelivery> orphans) {}

    /** Every customers.csv row accounted for: exportable, skipped with a reason, or rejected. */
    @JsonPropertyOrder({"rows", "rejected", "exportable", "skipped"})
    public record CustomerReport(long rows, long rejected, long exportable, Map<String, Long> skipped) {}

    /**
     * One input file: records read, rejected, and accepted rows that could not count (an unknown
     * customer_id, a time after {@code as_of}); {@code unread}, per column, the cells of rows that
     * counted without them because no rule needed them (null when there are none).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"path", "present", "records", "rejected", "unknown_customer", "after_as_of", "unread"})
    public record SourceReport(
            String path,
            boolean present,
            long records,
            long rejected,
            Long unknownCustomer,
            Long afterAsOf,
            Map<String, Long> unread) {}

    /**
     * One normalization profile: distinct customers hashed, and those whose email this profile
     * turns into something unusable (a Gmail address that is nothing but dots and a +tag).
     */
    public record NormalizationReport(long hashed, long unusable) {}

    /**
     * Each guardrail's figure on this run, tripped or not, and what a tripped one held.
     *
     * @param status {@code ok}, or {@code tripped} when a guardrail held audiences
     * @param limits the limits this run checked against, by their config names
     * @param rejectedRows per input file, its rejected rows against its rows
     * @param exportableDrop exportable customers against the last completed sync
     * @param audienceShrink per audience, its largest loss at any of its destinations
     * @param held the audiences held at what they were (only people who can no longer be exported left them)
     * @param messages for each tripped guardrail: which, the numbers, and how to accept the change
     */
    @JsonPropertyOrder({"status", "limits", "rejected_rows", "exportable_drop", "audience_shrink", "held", "messages"})
    public record GuardrailReport(
            String status,
            Map<String, Number> limits,
            Map<String, RejectedRows> rejectedRows,
            ExportableDrop exportableDrop,
            Map<String, AudienceShrink> audienceShrink,
            List<String> held,
            List<String> messages) {}

    /** One input file: {@code share} is rejected rows over rows read. */
    @JsonPropertyOrder({"records", "rejected", "share", "tripped"})
    public record RejectedRows(long records, long rejected, double share, boolean tripped) {}

    /**
     * Exportable customers now and at the last completed sync ({@code last_sync} absent before the
     * first); {@code share} is the drop, 0 when they did not fall.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"last_sync", "now", "share", "tripped"})
    public record ExportableDrop(Long lastSync, long now, double share, boolean tripped) {}

    /**
     * One audience at the destination where it would lose most: members {@code before} this run
     * and {@code after} its plan, {@code share} the part lost; {@code accepted} when
     * {@code --accept-shrink} let it through.
     */
    @JsonPropertyOrder({"destination", "before", "after", "share", "tripped", "accepted"})
    public record AudienceShrink(
            String destination, long before, long after, double share, boolean tripped, boolean accepted) {}
}
