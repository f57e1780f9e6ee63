package se.nestit.audience.sync;

/**
 * A sync state file that cannot be trusted. It is never silently replaced by an empty state: that
 * would forget the removes the job still owes the network.
 */
@SuppressWarnings("serial") // never serialized: it does not leave the process
public class StateException extends RuntimeException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
