package se.nestit.audience.source;

import java.util.Locale;
import java.util.Optional;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The status values a consent record may carry; anything else rejects the record. Declared from
 * the least to the most restrictive: on equal timestamps the more restrictive record decides.
 */
public enum ConsentStatus {
    GRANTED,
    DENIED,
    WITHDRAWN;

    /** Made once: the audit trail asks for it of every customer it names. */
    private final String code = name().toLowerCase(Locale.ROOT);

    /** Reads a status cell, ignoring surrounding white space and case. */
    public static Optional<ConsentStatus> parse(String cell) {
        return switch (WhiteSpace.strip(cell).toLowerCase(Locale.ROOT)) {
            case "granted" -> Optional.of(GRANTED);
            case "denied" -> Optional.of(DENIED);
            case "withdrawn" -> Optional.of(WITHDRAWN);
            default -> Optional.empty();
        };
    }

    public String code() {
        return code;
    }
}
