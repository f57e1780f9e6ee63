package se.nestit.audience.spark;

import java.io.Serializable;
import java.time.Instant;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

/**
 * A consent record on its way between tasks (ConsentRecord itself is not serializable), its line
 * being the order key: {@link ConsentRecord#supersedes} then breaks ties by file order.
 *
 * <p>Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.
 */
final class ConsentCells implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String purpose;
    private final ConsentStatus status;
    private final long recordedAtSecond;
    private final int recordedAtNano;
    private final String source;
    private final String brand;
    private final long order;

    ConsentCells(String purpose, ConsentStatus status, long recordedAtSecond, int recordedAtNano, String source, String brand, long order) {
        this.purpose = purpose;
        this.status = status;
        this.recordedAtSecond = recordedAtSecond;
        this.recordedAtNano = recordedAtNano;
        this.source = source;
        this.brand = brand;
        this.order = order;
    }

    String purpose() {
        return purpose;
    }

    ConsentStatus status() {
        return status;
    }

    long recordedAtSecond() {
        return recordedAtSecond;
    }

    int recordedAtNano() {
        return recordedAtNano;
    }

    String source() {
        return source;
    }

    String brand() {
        return brand;
    }

    long order() {
        return order;
    }

    static ConsentCells of(ConsentRecord r) {
        return new ConsentCells(r.purpose(), r.status(), r.recordedAt().getEpochSecond(), r.recordedAt().getNano(),
                r.source(), r.brand(), r.line());
    }

    ConsentRecord record(String customerId) {
        return record(customerId, order);
    }

    /** The record with another line: the one the audit trail names. */
    ConsentRecord record(String customerId, long line) {
        return new ConsentRecord(customerId, purpose, status, Instant.ofEpochSecond(recordedAtSecond, recordedAtNano), source,
                brand, line);
    }

    /** The one of two that decides: the later, and on equal times the later row in the file. */
    static ConsentCells latest(ConsentCells a, ConsentCells b) {
        return b.record("").supersedes(a.record("")) ? b : a;
    }
}
