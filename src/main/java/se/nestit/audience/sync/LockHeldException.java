package se.nestit.audience.sync;

/** Another run holds the lock on the state directory (exit code 3). */
@SuppressWarnings("serial") // never serialized: it does not leave the process
public class LockHeldException extends RuntimeException {

    public LockHeldException(String message) {
        super(message);
    }
}
