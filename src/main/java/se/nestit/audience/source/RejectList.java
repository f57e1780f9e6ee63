package se.nestit.audience.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rejected records in two or three bytes each: the distance from the line before and the number of
 * the reason, as variable-length integers, with each distinct reason kept once. A file whose every
 * row is rejected (an export with one column too many) has tens of millions of them and a handful
 * of reasons; as objects they took more memory than the whole run. Not thread-safe.
 */
final class RejectList {

    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<String> reasons = new ArrayList<>();
    private byte[] bytes = new byte[64];
    private int length;
    private int size;
    private long previous;

    void add(long line, String reason) {
        int number = numbers.computeIfAbsent(reason, r -> {
            reasons.add(r);
            return reasons.size() - 1;
        });
        long distance = line - previous;
        // zigzag, so that a line before the previous one is stored too, in ten bytes
        put((distance << 1) ^ (distance >> 63));
        put(number);
        previous = line;
        size++;
    }

    private void put(long value) {
        if (length + 10 > bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        while ((value & ~0x7FL) != 0) {
            bytes[length++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        bytes[length++] = (byte) value;
    }

    int size() {
        return size;
    }

    /** The rejects added so far, to read as often as needed; those added later are not in it. */
    Snapshot snapshot() {
        return new Snapshot(bytes, size, List.copyOf(reasons));
    }

    /** Rejects as they were; the bytes they take up are never written again. */
    record Snapshot(byte[] bytes, int size, List<String> reasons) {
        Cursor cursor() {
            return new Cursor(this);
        }
    }

    /** Reads a snapshot's rejects in the order they were added. */
    static final class Cursor {
        private final Snapshot from;
        private int read;
        private int pos;
        private long line;
        private String reason;

        private Cursor(Snapshot from) {
            this.from = from;
        }

        /** Moves to the next reject; false after the last. */
        boolean next() {
            if (read == from.size()) {
                return false;
            }
            long zigzag = get();
            line += (zigzag >>> 1) ^ -(zigzag & 1);
            reason = from.reasons().get((int) get());
            read++;
            return true;
        }

        private long get() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = from.bytes()[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }

        long line() {
            return line;
        }

        String reason() {
            return reason;
        }
    }
}
