package se.nestit.audience.source;

import java.time.Instant;

/**
 * One usable consents.csv record as the reader hands it to a {@link ConsentSink}: the customer_id
 * as UTF-8 bytes (most often the file's own) and recorded_at as seconds and nanos, so that a
 * million rows make no string, instant or record each. The reader fills the same one for every
 * row: it is valid only while the sink handles it.
 */
public final class ConsentRow {

    private final Utf8Cell id = new Utf8Cell();
    private String purpose;
    private ConsentStatus status;
    private long second;
    private int nano;
    private String source;
    private String brand;
    private long line;

    ConsentRow() {}

    /** The row a record makes, for a record read elsewhere. */
    public static ConsentRow of(ConsentRecord record) {
        ConsentRow row = new ConsentRow();
        row.id.strip(record.customerId());
        row.at(record.recordedAt());
        row.set(record.purpose(), record.status(), record.source(), record.brand(), record.line());
        return row;
    }

    void at(long second, int nano) {
        this.second = second;
        this.nano = nano;
    }

    void at(Instant at) {
        at(at.getEpochSecond(), at.getNano());
    }

    void set(String purpose, ConsentStatus status, String source, String brand, long line) {
        this.purpose = purpose;
        this.status = status;
        this.source = source;
        this.brand = brand;
        this.line = line;
    }

    /** The customer_id, stripped. */
    public Utf8Cell id() {
        return id;
    }

    public String customerId() {
        return id.text();
    }

    /** The purpose cell, stripped. */
    public String purpose() {
        return purpose;
    }

    public ConsentStatus status() {
        return status;
    }

    /** recorded_at's seconds since the epoch. */
    public long second() {
        return second;
    }

    /** recorded_at's nanoseconds within its second. */
    public int nano() {
        return nano;
    }

    /** The source cell, stripped; empty when the file has none. */
    public String source() {
        return source;
    }

    /** The brand cell, stripped; empty when the file has none. */
    public String brand() {
        return brand;
    }

    public long line() {
        return line;
    }
}
