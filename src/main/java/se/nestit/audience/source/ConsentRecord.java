package se.nestit.audience.source;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of consents.csv: who, for what purpose, which decision, when and where it was given.
 * {@code line} is its line in the file, which breaks ties between equal timestamps and lets an
 * auditor find the row.
 */
public record ConsentRecord(
        String customerId, String purpose, ConsentStatus status, Instant recordedAt, String source, String brand, long line) {

    public ConsentRecord {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(brand, "brand");
    }

    /** Whether this record replaces {@code other} as the customer's latest decision. */
    public boolean supersedes(ConsentRecord other) {
        int c = recordedAt.compareTo(other.recordedAt);
        return c > 0 || (c == 0 && line > other.line);
    }
}
