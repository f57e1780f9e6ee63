package se.nestit.audience.destination;

import java.util.Objects;

/**
 * What a destination did with one audience's plan.
 *
 * @param adds hashes the destination accepted as added
 * @param removes hashes the destination accepted as removed
 * @param failed hashes the destination refused or that could not be sent; they are retried next run
 * @param held how many hashes the destination holds for the audience afterwards
 * @param message why it failed or what to know, never personal data; empty when there is nothing to say
 */
public record Delivery(Status status, long adds, long removes, long failed, long held, String message) {

    public enum Status {
        /** Carried out. */
        OK,
        /** The audience is below its min_size: nothing added (removes still went). */
        BELOW_MIN_SIZE,
        /** The network accepted the work but has not finished it; a later run settles it. */
        PENDING,
        FAILED
    }

    public Delivery {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }
}
