package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import se.nestit.audience.identity.WhiteSpace;

/**
 * A cell's text as UTF-8 bytes: most often a range of the record's own bytes, so that a reader
 * hands a million cells on without a string each. A reader refills the same one for every row: it
 * is valid only while the row is handled.
 */
public final class Utf8Cell {

    private byte[] bytes = new byte[0];
    private int from;
    private int to;

    Utf8Cell() {}

    /** Takes a row's cell stripped of white space as everywhere ({@link WhiteSpace#strip}): from its bytes when they are its text. */
    void strip(RowView row, int column) {
        if (row instanceof ByteRecord r && !r.escaped(column)) {
            strip(r.bytes(), r.start(column), r.end(column));
        } else {
            strip(row.cell(column));
        }
    }

    /** Takes a row's cell as it is: from its bytes when they are its text (an escaped cell's are not). */
    void raw(RowView row, int column) {
        if (row instanceof ByteRecord r && !r.escaped(column)) {
            raw(r.bytes(), r.start(column), r.end(column));
        } else {
            raw(row.cell(column));
        }
    }

    /** Takes a cell's text, stripped. */
    void strip(String cell) {
        raw(WhiteSpace.strip(cell));
    }

    /** The same of a cell held as UTF-8 bytes: ASCII white space trimmed here, other white space at an edge as text. */
    private void strip(byte[] cell, int from, int to) {
        while (from < to && Timestamps.isAsciiSpace(cell[from])) {
            from++;
        }
        while (to > from && Timestamps.isAsciiSpace(cell[to - 1])) {
            to--;
        }
        if ((from < to && cell[from] < 0) || (to > from && cell[to - 1] < 0)) {
            strip(new String(cell, from, to - from, StandardCharsets.UTF_8));
        } else {
            raw(cell, from, to);
        }
    }

    private void raw(String cell) {
        byte[] b = cell.getBytes(StandardCharsets.UTF_8);
        raw(b, 0, b.length);
    }

    /** The array is the reader's, not copied. */
    private void raw(byte[] cell, int from, int to) {
        this.bytes = cell;
        this.from = from;
        this.to = to;
    }

    /** The array that holds the text, at {@code [from(), to())}: to read, not to keep. */
    public byte[] bytes() {
        return bytes;
    }

    public int from() {
        return from;
    }

    public int to() {
        return to;
    }

    public boolean isEmpty() {
        return from == to;
    }

    public String text() {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
