package se.nestit.audience.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code verify.json}: for every hash a destination holds, whether a customer who passes the
 * consent gate at {@code as_of} stands behind it, and for every add in the audit trail, whether
 * it had a granted, unexpired consent when it was sent. Offending hashes name customer_ids and
 * reasons, never an email.
 *
 * @param status {@code ok} when nothing offends, else {@code failed}
 * @param checked per destination and audience, what was checked
 */
@JsonPropertyOrder({"as_of", "status", "checked", "audit", "offending"})
public record VerifyReport(String asOf, String status, Map<String, Map<String, Checked>> checked, AuditCheck audit,
        List<Offending> offending) {

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
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"check", "destination", "audience", "hash", "run_id", "customers"})
    public record Offending(String check, String destination, String audience, String hash, String runId, List<Holder> customers) {}

    /** A customer behind an offending hash and why it may not be there. */
    @JsonPropertyOrder({"customer_id", "reason"})
    public record Holder(String customerId, String reason) {}
}
