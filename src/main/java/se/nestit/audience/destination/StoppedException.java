package se.nestit.audience.destination;

/**
 * The process is ending (SIGINT, SIGTERM), so a request was not started: the destination stops,
 * and the next run sends what is left.
 */
@SuppressWarnings("serial") // never serialized: it does not leave the process
public final class StoppedException extends DestinationException {

    StoppedException(String destination, String what) {
        super(destination + ": stopped on request before trying to " + what, null, true);
    }

    /** Whether the failure is, or was caused by, a stop. */
    public static boolean causedBy(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof StoppedException) {
                return true;
            }
        }
        return false;
    }
}
