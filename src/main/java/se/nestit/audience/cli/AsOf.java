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
     * @param zone the data's zone, for date-times without an offset
     */
    public static Instant parse(String text, ZoneId zone) {
        if (text == null) {
            return Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        // A bare date is midnight UTC whatever the data's zone, so that "as of the 22nd" means one
        // instant everywhere; date-times without an offset are read in the data's zone.
        Timestamps parser = new Timestamps(text.strip().length() == 10 ? ZoneId.of("UTC") : zone);
        return parser.instant(text).orElseThrow(() -> new DefinitionException(
                "--as-of: not a date or instant (expected e.g. 2026-11-22 or 2026-11-22T06:00:00Z)"));
    }
}
