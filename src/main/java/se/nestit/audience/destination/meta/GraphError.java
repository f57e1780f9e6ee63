package se.nestit.audience.destination.meta;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An error answer of the Graph API: {@code {"error": {"message", "type", "code", "error_subcode",
 * "error_user_title", "error_user_msg", "fbtrace_id"}}}, with the HTTP status and how long Meta
 * asked to wait. Texts are already stripped of the token and the app secret.
 *
 * @param code Meta's error code, 0 when the answer carried none (an HTTP error from a proxy, say)
 * @param subcode Meta's error subcode, 0 when there is none
 * @param userMessage {@code error_user_msg}, Meta's explanation for people; may be empty
 * @param retryAfter from {@code X-Business-Use-Case-Usage}'s {@code estimated_time_to_regain_access}
 *     (minutes) or {@code Retry-After} (seconds)
 */
record GraphError(
        int httpStatus,
        int code,
        int subcode,
        String type,
        String message,
        String userTitle,
        String userMessage,
        String fbtraceId,
        Optional<Duration> retryAfter) {

    GraphError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(userTitle, "userTitle");
        Objects.requireNonNull(userMessage, "userMessage");
        Objects.requireNonNull(fbtraceId, "fbtraceId");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** Whether the code or the subcode is {@code n}: open-source syncs see some numbers in either place. */
    boolean is(int n) {
        return code == n || subcode == n;
    }

    /** Meta's own words: the message for people when there is one, else the developer message. */
    String metaSays() {
        String text =
                userMessage.isBlank() ? message : userTitle.isBlank() ? userMessage : userTitle + ": " + userMessage;
        return text.isBlank() ? "HTTP " + httpStatus + " without an error message" : text;
    }

    /** {@code code 2650, subcode 1870158, HTTP 400, fbtrace_id X}: what Meta's support asks for. */
    String reference() {
        StringBuilder s = new StringBuilder();
        s.append(code == 0 ? "no Meta error code" : "code " + code);
        if (subcode != 0) {
            s.append(", subcode ").append(subcode);
        }
        s.append(", HTTP ").append(httpStatus);
        if (!fbtraceId.isBlank()) {
            s.append(", fbtrace_id ").append(fbtraceId);
        }
        return s.toString();
    }
}
