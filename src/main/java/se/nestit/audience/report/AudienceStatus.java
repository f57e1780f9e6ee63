package se.nestit.audience.report;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What became of one audience at one destination: {@code audiences.*.destinations.*.status} in the report. */
public enum AudienceStatus {
    /** Carried out: the destination holds what the plan asked for (failed members are retried next run). */
    OK,
    /** {@code plan} only: what a sync would do, nothing done. */
    PLANNED,
    /** Fewer hashes than the audience's min_size: nothing added (removes still go; a file is deleted). */
    BELOW_MIN_SIZE,
    /** The network accepted the work but had not finished it; the next run settles it. */
    PENDING,
    /** A guardrail kept the audience at what it was: nobody added, only people who can no longer be exported removed. */
    HELD,
    /** An audience without a definition any more that nobody had to leave: kept as it is, untouched. */
    KEPT,
    /** Not carried out (or not tried after an earlier failure at this destination); the message says why. */
    FAILED,
    /** A stop cut the delivery short or came before it; the counts are what was confirmed, the next run continues. */
    INTERRUPTED;

    /** The value in the report, the constant's name in lower case. */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
