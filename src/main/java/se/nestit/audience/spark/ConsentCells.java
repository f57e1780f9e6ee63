package se.nestit.audience.spark;

import java.io.Serializable;
import java.time.Instant;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

/**
 * What one customer's consent rows came to, on its way between tasks (ConsentRecord itself is not
 * serializable): the deciding record, if any, its line being the order key, and whether a rejected
 * row may have decided instead ({@link se.nestit.audience.consent.ConsentLedger#unreadable}).
 *
 * <p>Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.
 */
final class ConsentCells implements Serializable {

    private static final long serialVersionUID = 2L;

    /** The record's fields; status null when the customer has only unreadable rows. */
    private final String purpose;

    private final ConsentStatus status;
    private final long recordedAtSecond;
    private final int recordedAtNano;
    private final String source;
    private final String brand;
    private final long order;
    private final boolean unreadable;

    private ConsentCells(
            String purpose,
            ConsentStatus status,
            long recordedAtSecond,
            int recordedAtNano,
            String source,
            String brand,
            long order,
            boolean unreadable) {
        this.purpose = purpose;
        this.status = status;
        this.recordedAtSecond = recordedAtSecond;
        this.recordedAtNano = recordedAtNano;
        this.source = source;
        this.brand = brand;
        this.order = order;
        this.unreadable = unreadable;
    }

    long order() {
        return order;
    }

    boolean unreadable() {
        return unreadable;
    }

    /** @param r the deciding record, or null when there is none */
    static ConsentCells of(ConsentRecord r, boolean unreadable) {
        if (r == null) {
            return new ConsentCells(null, null, 0, 0, null, null, 0, unreadable);
        }
        Instant at = r.recordedAt();
        return new ConsentCells(
                r.purpose(),
                r.status(),
                at.getEpochSecond(),
                at.getNano(),
                r.source(),
                r.brand(),
                r.line(),
                unreadable);
    }

    /** The deciding record, or null when there is none. */
    ConsentRecord record(String customerId) {
        return record(customerId, order);
    }

    /** The record with another line: the one the audit trail names; null when there is none. */
    ConsentRecord record(String customerId, long line) {
        return status == null
                ? null
                : new ConsentRecord(
                        customerId,
                        purpose,
                        status,
                        Instant.ofEpochSecond(recordedAtSecond, recordedAtNano),
                        source,
                        brand,
                        line);
    }

    /** Two parts' findings as one: the deciding record of the two, unreadable if either is. */
    static ConsentCells latest(ConsentCells a, ConsentCells b) {
        ConsentCells deciding =
                a.status == null ? b : b.status == null ? a : b.record("").supersedes(a.record("")) ? b : a;
        boolean unreadable = a.unreadable || b.unreadable;
        return deciding.unreadable == unreadable
                ? deciding
                : new ConsentCells(
                        deciding.purpose,
                        deciding.status,
                        deciding.recordedAtSecond,
                        deciding.recordedAtNano,
                        deciding.source,
                        deciding.brand,
                        deciding.order,
                        unreadable);
    }
}
