package se.nestit.audience.config;

/**
 * A configuration file or audience definition that cannot be used. The message names the file
 * and the path inside it ({@code audiences/x.yaml: rule.all[1].purchased.within_days: expected a
 * number}); the run stops with exit code 2.
 */
@SuppressWarnings("serial") // never serialized: it does not leave the process
public class DefinitionException extends RuntimeException {

    public DefinitionException(String message) {
        super(message);
    }

    public DefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
