package se.nestit.audience.destination.datamanager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An error answer of the Data Manager API, read from its google.rpc.Status body
 * ({@code {"error": {"code", "status", "message", "details": [{"@type": ".../google.rpc.ErrorInfo", "reason"},
 * {"@type": ".../google.rpc.BadRequest", "fieldViolations": [{"field", "reason", "description"}]}]}}}),
 * or no answer at all (a timeout, a refused connection: {@code httpStatus} 0).
 */
@SuppressWarnings("serial") // never serialized: it does not leave the process
final class DataManagerApiException extends RuntimeException {

    // What Google's API design guide and the Data Manager error guide call worth another try.
    private static final Set<Integer> RETRYABLE_HTTP = Set.of(429, 500, 502, 503, 504);
    private static final Set<String> RETRYABLE_STATUS =
            Set.of("RESOURCE_EXHAUSTED", "UNAVAILABLE", "DEADLINE_EXCEEDED");

    private final int httpStatus;
    private final String status;
    private final String reason;
    private final transient List<MemberViolation> violations;
    private final transient Optional<Duration> retryAfter;

    /**
     * One {@code BadRequest.fieldViolations[]} entry (developers.google.com/data-manager/api/reference/rest/v1/BadRequest).
     *
     * @param member the index of the audience member its field path names ({@code audience_members[12]...}), or -1
     * @param reason the specific reason ({@code INVALID_SHA256_FORMAT}), which ErrorInfo gives only as INVALID_ARGUMENT
     */
    record MemberViolation(int member, String reason) {}

    /**
     * @param status the google.rpc.Code name ({@code INVALID_ARGUMENT}); for no answer {@code UNAVAILABLE}
     *     or {@code DEADLINE_EXCEEDED}
     * @param reason the ErrorInfo reason ({@code TERMS_AND_CONDITIONS_NOT_SIGNED}), empty when Google gave none
     * @param retryAfter how long Google asked us to wait ({@code Retry-After}, or RetryInfo's {@code retryDelay})
     */
    DataManagerApiException(
            int httpStatus,
            String status,
            String reason,
            String googleMessage,
            Optional<Duration> retryAfter,
            Throwable cause) {
        this(httpStatus, status, reason, List.of(), googleMessage, retryAfter, cause);
    }

    DataManagerApiException(
            int httpStatus,
            String status,
            String reason,
            List<MemberViolation> violations,
            String googleMessage,
            Optional<Duration> retryAfter,
            Throwable cause) {
        super(describe(httpStatus, status, reason, violations, googleMessage), cause);
        this.httpStatus = httpStatus;
        this.status = status;
        this.reason = reason;
        this.violations = List.copyOf(violations);
        this.retryAfter = retryAfter;
    }

    int httpStatus() {
        return httpStatus;
    }

    String reason() {
        return reason;
    }

    /** The BadRequest field violations, in Google's order. */
    List<MemberViolation> violations() {
        return violations;
    }

    /** Whether Google gave a specific reason, in ErrorInfo or in a field violation. */
    boolean hasReason(String specific) {
        return reason.equals(specific)
                || violations.stream().anyMatch(v -> v.reason().equals(specific));
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }

    boolean retryable() {
        return RETRYABLE_HTTP.contains(httpStatus) || RETRYABLE_STATUS.contains(status);
    }

    /**
     * Google does not accept the credentials, or they may not act on the account (which includes
     * an API not enabled in the credentials' Cloud project: 403 with reason SERVICE_DISABLED).
     */
    boolean credentialsRefused() {
        return httpStatus == 401
                || httpStatus == 403
                || status.equals("UNAUTHENTICATED")
                || status.equals("PERMISSION_DENIED");
    }

    private static String describe(
            int httpStatus, String status, String reason, List<MemberViolation> violations, String message) {
        StringBuilder s = new StringBuilder(httpStatus == 0 ? "no answer" : "HTTP " + httpStatus);
        s.append(' ').append(status);
        if (!reason.isEmpty()) {
            s.append(", reason ").append(reason);
        }
        List<String> specific = violations.stream()
                .map(MemberViolation::reason)
                .filter(r -> !r.isEmpty() && !r.equals(reason))
                .distinct()
                .toList();
        if (!specific.isEmpty()) {
            s.append(" (").append(String.join(", ", specific)).append(')');
        }
        if (!message.isEmpty()) {
            s.append(": ").append(message);
        }
        return s.toString();
    }
}
