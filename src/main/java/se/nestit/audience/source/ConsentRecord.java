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
        return supersedes(
                recordedAt.getEpochSecond(),
                recordedAt.getNano(),
                status,
                line,
                other.recordedAt.getEpochSecond(),
                other.recordedAt.getNano(),
                other.status,
                other.line);
    }

    /** {@link #supersedes(ConsentRecord)} over the fields that decide it, for records kept field by field. */
    public static boolean supersedes(
            long second,
            int nano,
            ConsentStatus status,
            long line,
            long otherSecond,
            int otherNano,
            ConsentStatus otherStatus,
            long otherLine) {
        if (second != otherSecond) {
            return second > otherSecond;
        }
        if (nano != otherNano) {
            return nano > otherNano;
        }
        int restrictive = status.compareTo(otherStatus);
        return restrictive > 0 || (restrictive == 0 && line > otherLine);
    }
}
