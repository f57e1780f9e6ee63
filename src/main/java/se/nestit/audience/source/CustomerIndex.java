package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import se.nestit.audience.identity.WhiteSpace;

/**
 * Maps customer_ids to dense indexes (0, 1, 2... in the order they are added) and looks them up
 * straight from the bytes of a CSV cell: tens of millions of activity rows each find their customer
 * without building a string. Open addressing over one byte arena; ids are compared exactly, after
 * the same trimming the readers apply.
 */
public final class CustomerIndex {

    private byte[] arena = new byte[1 << 16];
    private int arenaSize;
    private int[] offsets = new int[1024];
    private int[] table = new int[2048];
    private int mask = table.length - 1;
    private int size;

    /** Adds an id (already trimmed) and returns its index, or -1 when it is already there. */
    public int add(String customerId) {
        byte[] key = customerId.getBytes(StandardCharsets.UTF_8);
        if (find(key, 0, key.length, hash(key, 0, key.length)) >= 0) {
            return -1;
        }
        if (size * 2 >= table.length) {
            grow();
        }
        if (size + 1 >= offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        while (arenaSize + key.length > arena.length) {
            arena = Arrays.copyOf(arena, arena.length * 2);
        }
        System.arraycopy(key, 0, arena, arenaSize, key.length);
        offsets[size] = arenaSize;
        arenaSize += key.length;
        offsets[size + 1] = arenaSize;
        insert(size, hash(key, 0, key.length));
        return size++;
    }

    public int size() {
        return size;
    }

    /** The index of an id, or -1. */
    public int indexOf(String customerId) {
        byte[] key = WhiteSpace.strip(customerId).getBytes(StandardCharsets.UTF_8);
        return find(key, 0, key.length, hash(key, 0, key.length));
    }

    /** The index of the id in a cell held as UTF-8 bytes (white space around it ignored), or -1. */
    public int indexOf(byte[] cell, int from, int to) {
        while (from < to && Timestamps.isAsciiSpace(cell[from])) {
            from++;
        }
        while (to > from && Timestamps.isAsciiSpace(cell[to - 1])) {
            to--;
        }
        if ((from < to && cell[from] < 0) || (to > from && cell[to - 1] < 0)) {
            // non-ASCII at an edge may be Unicode white space: trim it the slow way
            return indexOf(new String(cell, from, to - from, StandardCharsets.UTF_8));
        }
        return find(cell, from, to, hash(cell, from, to));
    }

    private int find(byte[] key, int from, int to, int hash) {
        int len = to - from;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot] - 1;
            if (entry < 0) {
                return -1;
            }
            int start = offsets[entry];
            if (offsets[entry + 1] - start == len && Arrays.equals(arena, start, start + len, key, from, to)) {
                return entry;
            }
        }
    }

    private void insert(int entry, int hash) {
        int slot = hash & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = entry + 1;
    }

    private void grow() {
        table = new int[table.length * 2];
        mask = table.length - 1;
        for (int e = 0; e < size; e++) {
            insert(e, hash(arena, offsets[e], offsets[e + 1]));
        }
    }

    private static int hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
