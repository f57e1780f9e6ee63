package se.nestit.audience.destination;

import java.util.Objects;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.AudienceStatus;

/**
 * What a destination did with one audience's plan: the hashes it accepted as added and as
 * removed, those it refused (they are retried next run) and those it took but has not finished
 * with; the audit trail records each of them.
 *
 * @param held how many hashes the destination holds for the audience afterwards
 * @param message why it failed or what to know, never personal data; empty when there is nothing to say
 * @param matchRate the share of the uploaded people the network matched to its users, as it reports it
 *     ({@code 61-70%}); empty when it said nothing
 */
public record Delivery(Status status, Sent sent, long held, String message, String matchRate) {

    public enum Status {
        /** Carried out. */
        OK,
        /** The audience is below its min_size: nothing added (removes still went). */
        BELOW_MIN_SIZE,
        /** The network accepted the work but has not finished it; a later run settles it. */
        PENDING,
        FAILED;

        /** This outcome as the report names it. */
        public AudienceStatus reported() {
            return switch (this) {
                case OK -> AudienceStatus.OK;
                case BELOW_MIN_SIZE -> AudienceStatus.BELOW_MIN_SIZE;
                case PENDING -> AudienceStatus.PENDING;
                case FAILED -> AudienceStatus.FAILED;
            };
        }
    }

    /** The hashes of each outcome. */
    public record Sent(SortedHashes added, SortedHashes removed, SortedHashes refused, SortedHashes pending) {

        public static final Sent NOTHING =
                new Sent(SortedHashes.empty(), SortedHashes.empty(), SortedHashes.empty(), SortedHashes.empty());

        public Sent {
            Objects.requireNonNull(added, "added");
            Objects.requireNonNull(removed, "removed");
            Objects.requireNonNull(refused, "refused");
            Objects.requireNonNull(pending, "pending");
        }
    }

    public Delivery {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(sent, "sent");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(matchRate, "matchRate");
    }

    public Delivery(Status status, Sent sent, long held, String message) {
        this(status, sent, held, message, "");
    }

    public long adds() {
        return sent.added().size();
    }

    public long removes() {
        return sent.removed().size();
    }

    public long failed() {
        return sent.refused().size();
    }
}
