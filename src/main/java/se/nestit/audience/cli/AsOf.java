package se.nestit.audience.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.source.Timestamps;

/** The {@code --as-of} option of every command that evaluates consent, the Spark build's included. */
public final class AsOf {

    private AsOf() {}

    /**
     * @param text the option's value, or null for now
     * @param zone the data's zone (the config's {@code zone}), for dates and date-times without an offset
     */
    public static Instant parse(String text, ZoneId zone) {
        if (text == null) {
            return Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        // a date is the start of that day in the data's zone, like every date in the input files:
        // "as of the 22nd" must not leave out the first hour of a Stockholm day
        return new Timestamps(zone)
                .instant(text)
                .orElseThrow(() -> new DefinitionException(
                        "--as-of: not a date or instant (expected e.g. 2026-11-22 or 2026-11-22T06:00:00Z)"));
    }
}
