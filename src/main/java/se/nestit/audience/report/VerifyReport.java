package se.nestit.audience.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code verify.json}: for every hash a destination holds, whether a customer who passes the
 * consent gate at {@code as_of} stands behind it, and for every add in the audit trail, whether
 * it had a granted, unexpired consent when it was sent. Offending hashes name customer_ids and
 * reasons, never an email; {@code findings} tell the hashes whose consent merely changed since
 * they were sent from those that were never allowed, one per customer and audience.
 *
 * @param status {@code ok} when nothing offends; {@code changed} when every finding is a consent
 *     that changed after the hash was sent (the next sync removes them); else {@code failed}
 * @param checked per destination and audience, what was checked
 */
@JsonPropertyOrder({"as_of", "status", "checked", "audit", "offending", "findings"})
public record VerifyReport(
        String asOf,
        String status,
        Map<String, Map<String, Checked>> checked,
        AuditCheck audit,
        List<Offending> offending,
        List<Finding> findings) {

    /** A consent that was valid when its hash was sent and changed since: the next sync removes the hash. */
    public static final String CHANGED = "changed_since_sync";
    /** No valid consent when the hash was sent, or nothing that proves one: an offence. */
    public static final String NEVER_ALLOWED = "never_allowed";

    /**
     * One audience at one destination.
     *
     * @param source the file checked, or {@code state} for a network destination's sync state
     * @param removePending held hashes no consented customer stands behind, but whose remove a
     *     running network job still owes: not offending
     */
    @JsonPropertyOrder({"source", "hashes", "consented", "remove_pending", "offending"})
    public record Checked(String source, long hashes, long consented, long removePending, long offending) {}

    /** The audit trail: its files, the adds in them, and those without a valid consent behind them. */
    @JsonPropertyOrder({"files", "adds", "offending"})
    public record AuditCheck(long files, long adds, long offending) {}

    /**
     * A hash that should not be where it is.
     *
     * @param check {@code file}, {@code state} or {@code audit}
     * @param runId for the audit: the run that sent it
     * @param kind {@link #CHANGED} or {@link #NEVER_ALLOWED}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"check", "destination", "audience", "hash", "run_id", "kind", "customers"})
    public record Offending(
            String check,
            String destination,
            String audience,
            String hash,
            String runId,
            String kind,
            List<Holder> customers) {}

    /** A customer behind an offending hash and why it may not be there. */
    @JsonPropertyOrder({"customer_id", "reason"})
    public record Holder(String customerId, String reason) {}

    /**
     * The offending hashes of the same customers in one audience, sent by the same run, with the
     * destinations that hold or were sent them grouped.
     *
     * @param kind {@link #CHANGED} or {@link #NEVER_ALLOWED}
     * @param checks which checks found it: {@code file}, {@code state}, {@code audit}
     * @param hashes per destination, the hash
     * @param sent the run that sent it as the audit trail says; null when the trail has no add of it
     * @param action what to do
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "audience", "destinations", "checks", "customers", "hashes", "sent", "action"})
    public record Finding(
            String kind,
            String audience,
            List<String> destinations,
            List<String> checks,
            List<Customer> customers,
            Map<String, String> hashes,
            Sent sent,
            String action) {}

    /**
     * A customer of a finding: why they may not be there and the consent record that decided it,
     * as the inputs say now (for {@code file} and {@code state}) or as the trail recorded it at the
     * run (for {@code audit}); null when there is none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"customer_id", "reason", "consent"})
    public record Customer(String customerId, String reason, Consent consent) {}

    /** A consents.csv row: {@code line} is its line in the file. */
    @JsonPropertyOrder({"purpose", "status", "recorded_at", "source", "brand", "line"})
    public record Consent(String purpose, String status, String recordedAt, String source, String brand, long line) {}

    /** The run that sent a hash: {@code time} is when it ran, {@code as_of} the moment its consent gate decided on. */
    @JsonPropertyOrder({"run_id", "time", "as_of"})
    public record Sent(String runId, String time, String asOf) {}
}
