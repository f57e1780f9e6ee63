package se.nestit.audience.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which moment and which audiences a run evaluates: the options of every command, the Spark build's included. */
public final class SelectionOptions {

    @Option(
            names = "--as-of",
            paramLabel = "DATE|INSTANT",
            description =
                    "The moment to evaluate consent and "
                            + "time windows at: 2026-11-22 (00:00 that day in the configured zone), 2026-11-22T06:00:00Z or with an offset. Default: now.")
    String asOf;

    @Option(
            names = "--only",
            paramLabel = "AUDIENCE-ID",
            description = "Work on this audience only; repeat for several. Default: every audience.")
    List<String> only = List.of();

    /** @param zone the data's zone, for date-times without an offset */
    public Instant asOf(ZoneId zone) {
        return AsOf.parse(asOf, zone);
    }

    boolean asOfGiven() {
        return asOf != null;
    }

    public Set<String> only() {
        return new LinkedHashSet<>(only);
    }
}
