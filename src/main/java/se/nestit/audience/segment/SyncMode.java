package se.nestit.audience.segment;

import java.util.Locale;

/** Whether a destination's copy of an audience follows the segment both ways or only grows. */
public enum SyncMode {
    /** Adds new members and removes those who left (or lost consent). The default. */
    MIRROR,
    /** Adds only; members who leave stay at the destination until it expires them. */
    ADD_ONLY;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
