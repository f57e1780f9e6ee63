package se.nestit.audience.report;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one destination fared over all its audiences: {@code destinations.*.status} in the report. */
public enum DestinationStatus {
    /** No audience failed, and no stop cut the destination short. */
    OK,
    /** At least one audience (or orphan) failed; the message is the first failure. */
    FAILED,
    /** A stop cut the destination's deliveries short; none failed. */
    INTERRUPTED;

    /** The value in the report, the constant's name in lower case. */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
