package se.nestit.audience.sync;

/** Another run holds the lock on the state directory (exit code 3). */
public class LockHeldException extends RuntimeException {

    public LockHeldException(String message) {
        super(message);
    }
}
