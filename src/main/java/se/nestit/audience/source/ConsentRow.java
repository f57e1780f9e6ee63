package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import se.nestit.audience.identity.WhiteSpace;

/**
 * One usable consents.csv record as the reader hands it to a {@link ConsentSink}: the customer_id
 * as UTF-8 bytes (most often the file's own) and recorded_at as seconds and nanos, so that a
 * million rows make no string, instant or record each. The reader fills the same one for every
 * row: it is valid only while the sink handles it.
 */
public final class ConsentRow {

    private byte[] idBytes;
    private int idFrom;
    private int idTo;
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
        row.id(record.customerId());
        row.at(record.recordedAt());
        row.set(record.purpose(), record.status(), record.source(), record.brand(), record.line());
        return row;
    }

    /** Takes a customer_id cell's text, stripped as everywhere. */
    void id(String cell) {
        idBytes = WhiteSpace.strip(cell).getBytes(StandardCharsets.UTF_8);
        idFrom = 0;
        idTo = idBytes.length;
    }

    /** Takes a customer_id cell's UTF-8 bytes, trimmed of ASCII white space; other white space at an edge is stripped as text. */
    void id(byte[] cell, int from, int to) {
        while (from < to && Timestamps.isAsciiSpace(cell[from])) {
            from++;
        }
        while (to > from && Timestamps.isAsciiSpace(cell[to - 1])) {
            to--;
        }
        if ((from < to && cell[from] < 0) || (to > from && cell[to - 1] < 0)) {
            id(new String(cell, from, to - from, StandardCharsets.UTF_8));
            return;
        }
        idBytes = cell;
        idFrom = from;
        idTo = to;
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

    boolean idEmpty() {
        return idFrom == idTo;
    }

    /** The array that holds the customer_id's UTF-8 bytes, at {@code [idFrom(), idTo())}: to read, not to keep. */
    public byte[] idBytes() {
        return idBytes;
    }

    public int idFrom() {
        return idFrom;
    }

    public int idTo() {
        return idTo;
    }

    public String customerId() {
        return new String(idBytes, idFrom, idTo - idFrom, StandardCharsets.UTF_8);
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
