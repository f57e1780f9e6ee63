package se.nestit.audience.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code verify.json}: for every hash a destination holds, whether a customer who passes the
 * consent gate at {@code as_of} stands behind it. Offending hashes name customer_ids and reasons,
 * never an email.
 *
 * @param status {@code ok} when no hash offends, else {@code failed}
 * @param checked per destination and audience, what was checked
 */
@JsonPropertyOrder({"as_of", "status", "checked", "offending"})
public record VerifyReport(String asOf, String status, Map<String, Map<String, Checked>> checked, List<Offending> offending) {

    /** One audience at one destination. */
    @JsonPropertyOrder({"source", "hashes", "consented", "offending"})
    public record Checked(String source, long hashes, long consented, long offending) {}

    /** A hash no consented customer stands behind, and the customers who do carry it. */
    @JsonPropertyOrder({"destination", "audience", "hash", "customers"})
    public record Offending(String destination, String audience, String hash, List<Holder> customers) {}

    /** A customer behind an offending hash and why the gate refuses them. */
    @JsonPropertyOrder({"customer_id", "reason"})
    public record Holder(String customerId, String reason) {}
}
