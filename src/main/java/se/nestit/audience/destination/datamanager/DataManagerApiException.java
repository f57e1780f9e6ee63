package se.nestit.audience.destination.datamanager;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * An error answer of the Data Manager API, read from its google.rpc.Status body
 * ({@code {"error": {"code", "status", "message", "details": [{"@type": ".../google.rpc.ErrorInfo", "reason"}]}}}),
 * or no answer at all (a timeout, a refused connection: {@code httpStatus} 0).
 */
final class DataManagerApiException extends RuntimeException {

    // What Google's API design guide and the Data Manager error guide call worth another try.
    private static final Set<Integer> RETRYABLE_HTTP = Set.of(429, 500, 502, 503, 504);
    private static final Set<String> RETRYABLE_STATUS = Set.of("RESOURCE_EXHAUSTED", "UNAVAILABLE", "DEADLINE_EXCEEDED");

    private final int httpStatus;
    private final String status;
    private final String reason;
    private final transient Optional<Duration> retryAfter;

    /**
     * @param status the google.rpc.Code name ({@code INVALID_ARGUMENT}); for no answer {@code UNAVAILABLE}
     *     or {@code DEADLINE_EXCEEDED}
     * @param reason the ErrorInfo reason ({@code TERMS_AND_CONDITIONS_NOT_SIGNED}), empty when Google gave none
     * @param retryAfter how long Google asked us to wait ({@code Retry-After}, or RetryInfo's {@code retryDelay})
     */
    DataManagerApiException(int httpStatus, String status, String reason, String googleMessage, Optional<Duration> retryAfter,
            Throwable cause) {
        super(describe(httpStatus, status, reason, googleMessage), cause);
        this.httpStatus = httpStatus;
        this.status = status;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    int httpStatus() {
        return httpStatus;
    }

    String reason() {
        return reason;
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
        return httpStatus == 401 || httpStatus == 403 || status.equals("UNAUTHENTICATED") || status.equals("PERMISSION_DENIED");
    }

    private static String describe(int httpStatus, String status, String reason, String message) {
        StringBuilder s = new StringBuilder(httpStatus == 0 ? "no answer" : "HTTP " + httpStatus);
        s.append(' ').append(status);
        if (!reason.isEmpty()) {
            s.append(", reason ").append(reason);
        }
        if (!message.isEmpty()) {
            s.append(": ").append(message);
        }
        return s.toString();
    }
}
