package se.nestit.audience.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * How the cells of a column that repeats a few texts (consents' purpose, status, source and
 * brand) read: worked out once per text and found again from the cell's bytes, so that a million
 * rows build no string for the column and share one copy of each value. Past {@link #KEPT}
 * distinct texts the rest are read the slow way: correct, only slower. Not thread-safe: one per
 * reading thread.
 */
final class RepeatedCells<T> {

    static final int KEPT = 64;

    private final Function<String, T> read;
    private final List<byte[]> texts = new ArrayList<>();
    private final List<T> values = new ArrayList<>();

    /** @param read what a cell's text reads as; it must depend on the text alone */
    RepeatedCells(Function<String, T> read) {
        this.read = read;
    }

    T get(RowView row, int column) {
        // an escaped cell's text is not its bytes (doubled quotes become one)
        if (!(row instanceof ByteRecord record) || record.escaped(column)) {
            return read.apply(row.cell(column));
        }
        byte[] b = record.bytes();
        int from = record.start(column);
        int to = record.end(column);
        for (int k = 0; k < texts.size(); k++) {
            byte[] text = texts.get(k);
            if (Arrays.equals(text, 0, text.length, b, from, to)) {
                return values.get(k);
            }
        }
        T value = read.apply(record.cell(column));
        if (texts.size() < KEPT) {
            texts.add(Arrays.copyOfRange(b, from, to));
            values.add(value);
        }
        return value;
    }
}
