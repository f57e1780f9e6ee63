package se.nestit.audience.report;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a run ended: the top-level {@code status} of the report. */
public enum RunStatus {
    /** Every delivery was tried (some may have failed: see the destinations). */
    COMPLETE,
    /** A stop (SIGINT, SIGTERM) cut the deliveries short: the counts are those of what was done. */
    INTERRUPTED;

    /** The value in the report, the constant's name in lower case. */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
