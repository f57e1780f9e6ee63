package se.nestit.audience.source;

/**
 * The input cannot be used as a whole: a missing file or column, a file that is not UTF-8 CSV.
 * Unlike a bad row, which is rejected and the run goes on, this stops the run (exit code 2).
 * Messages name the file, line and column, never a cell's value.
 */
@SuppressWarnings("serial") // never serialized: it does not leave the process
public class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
