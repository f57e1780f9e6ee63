package se.nestit.audience.destination;

/**
 * A destination cannot do what was asked: a file that cannot be written, a batch a network refuses
 * outright, credentials it does not accept. The other destinations carry on, and the run ends with
 * exit code 1. Messages never hold personal data or secrets.
 */
@SuppressWarnings("serial") // never serialized: it does not leave the process
public class DestinationException extends RuntimeException {

    private final boolean stopsDestination;
    private transient Delivery.Sent sentBefore = Delivery.Sent.NOTHING;

    public DestinationException(String message) {
        this(message, null, false);
    }

    public DestinationException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param stopsDestination whether no later call this run can succeed either (a refused token,
     *     terms not accepted), so that the destination's other audiences are not even tried
     */
    public DestinationException(String message, Throwable cause, boolean stopsDestination) {
        super(message, cause);
        this.stopsDestination = stopsDestination;
    }

    public boolean stopsDestination() {
        return stopsDestination;
    }

    /** What the destination had confirmed of the audience before this failure, for the audit trail. */
    public Delivery.Sent sentBefore() {
        return sentBefore;
    }

    DestinationException withSentBefore(Delivery.Sent sent) {
        this.sentBefore = sent;
        return this;
    }
}
