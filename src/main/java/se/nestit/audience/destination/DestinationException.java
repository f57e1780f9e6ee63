package se.nestit.audience.destination;

/**
 * A destination cannot be used this run: a file that cannot be written, credentials a network
 * refuses. The other destinations carry on, and the run ends with exit code 1. Messages never hold
 * personal data or secrets.
 */
public class DestinationException extends RuntimeException {

    public DestinationException(String message) {
        super(message);
    }

    public DestinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
