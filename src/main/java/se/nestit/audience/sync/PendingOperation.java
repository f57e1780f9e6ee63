package se.nestit.audience.sync;

import java.time.Instant;
import java.util.Objects;
import se.nestit.audience.identity.SortedHashes;

/**
 * Work a network accepted but has not finished (a Google Ads job still running when the run had to
 * stop waiting). Its hashes are not confirmed until a later run sees it succeed.
 *
 * @param id the network's name for it (a job's resource name)
 */
public record PendingOperation(String id, Kind kind, SortedHashes hashes, Instant submittedAt) {

    public enum Kind {
        ADD,
        REMOVE,
        /** Replaces every member with {@code hashes}. */
        REPLACE
    }

    public PendingOperation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
