package se.nestit.audience.source;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of consents.csv: who, for what purpose, which decision, when and where it was given.
 * {@code line} is its line in the file, which lets an auditor find the row.
 */
public record ConsentRecord(
        String customerId,
        String purpose,
        ConsentStatus status,
        Instant recordedAt,
        String source,
        String brand,
        long line) {

    public ConsentRecord {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(brand, "brand");
    }

    /**
     * Whether this record replaces {@code other} as the customer's latest decision. On equal
     * timestamps the more restrictive status wins (withdrawn, then denied, then granted): database
     * exports do not keep row order, so the file's order must not turn a withdrawal into a grant.
     * Only between equal statuses does the later line win, so that one record is named.
     */
    public boolean supersedes(ConsentRecord other) {
        int c = recordedAt.compareTo(other.recordedAt);
        if (c != 0) {
            return c > 0;
        }
        int restrictive = status.compareTo(other.status);
        return restrictive > 0 || (restrictive == 0 && line > other.line);
    }
}
