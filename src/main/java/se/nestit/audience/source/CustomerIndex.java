package se.nestit.audience.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import se.nestit.audience.identity.WhiteSpace;

/**
 * Maps customer_ids to dense indexes (0, 1, 2... in the order they are added) and looks them up
 * straight from the bytes of a CSV cell: tens of millions of activity rows each find their customer
 * without building a string. Ids are compared exactly, after the same trimming the readers apply.
 *
 * <p>Open addressing, two longs a slot: the id's first eight bytes and its length with its index.
 * Ids of up to eight bytes, the usual kind, are found with one memory access; longer ones are
 * confirmed against a byte arena.
 */
public final class CustomerIndex implements CustomerLookup {

    /** The most ids {@link #expect} makes room for: a guess too high holds its memory for the whole run. */
    private static final int MAX_EXPECTED = 1 << 22;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long[] slots = new long[2 * 2048];
    private int mask = 2048 - 1;
    private byte[] arena = new byte[1 << 16];
    private int arenaSize;
    private int[] offsets = new int[1024];
    private int size;

    /** Adds an id (already trimmed) and returns its index, or -1 when it is already there. */
    public int add(String customerId) {
        int i = addOrFind(customerId);
        return i < 0 ? -1 : i;
    }

    /**
     * Adds an id (already trimmed) and returns its index; when it is already there, -1 minus its
     * index. One probe of the table either way.
     */
    public int addOrFind(String customerId) {
        byte[] key = customerId.getBytes(StandardCharsets.UTF_8);
        return addOrFind(key, 0, key.length);
    }

    /** {@link #addOrFind(String)} of an id held as UTF-8 bytes, already trimmed, at {@code [from, to)}. */
    public int addOrFind(byte[] key, int from, int to) {
        int length = to - from;
        if (size * 2 >= mask + 1) {
            // before the probe: the empty slot it ends at must be the one the id goes into
            resize(2 * (mask + 1));
        }
        long head = head(key, from, to);
        int slot = slot(key, from, to, head);
        long tail = slots[2 * slot + 1];
        if (tail != 0) {
            return -(int) tail;
        }
        if (size + 1 >= offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        while (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, arena.length * 2);
        }
        System.arraycopy(key, from, arena, arenaSize, length);
        offsets[size] = arenaSize;
        arenaSize += length;
        offsets[size + 1] = arenaSize;
        slots[2 * slot] = head;
        slots[2 * slot + 1] = (long) length << 32 | (size + 1);
        return size++;
    }

    /**
     * Makes room for about {@code ids} ids (at most {@link #MAX_EXPECTED}), so that adding them does
     * not grow the table: each growth places every id again, a cache miss each once the table is
     * larger than the caches.
     */
    public void expect(long ids) {
        long n = Math.min(Math.max(ids, 0), MAX_EXPECTED);
        int capacity = mask + 1;
        while (2 * n > capacity) {
            capacity *= 2;
        }
        if (capacity > mask + 1) {
            resize(capacity);
        }
        int room = expected(ids);
        if (offsets.length < room + 1) {
            offsets = Arrays.copyOf(offsets, room + 1);
        }
    }

    /**
     * How many entries tables kept beside the index make room for when {@code ids} are expected: a
     * sixteenth more, since an estimate falls short as often as not, and growing by doubling then
     * would hold twice the room.
     */
    public static int expected(long ids) {
        long n = Math.min(Math.max(ids, 0), MAX_EXPECTED);
        return (int) (n + n / 16);
    }

    public int size() {
        return size;
    }

    /** The id at an index. */
    public String id(int index) {
        return new String(arena, offsets[index], offsets[index + 1] - offsets[index], StandardCharsets.UTF_8);
    }

    /** The index of an id, or -1. */
    @Override
    public int indexOf(String customerId) {
        byte[] key = WhiteSpace.strip(customerId).getBytes(StandardCharsets.UTF_8);
        return find(key, 0, key.length);
    }

    /** The index of the id that {@code other} holds at {@code index}, or -1: found by its bytes, no string made. */
    public int indexOf(CustomerIndex other, int index) {
        return find(other.arena, other.offsets[index], other.offsets[index + 1]);
    }

    /** The index of the id in a cell held as UTF-8 bytes (white space around it ignored), or -1. */
    @Override
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
        return find(cell, from, to);
    }

    /**
     * A lookup for one reading thread, once every id is added, that remembers the last cell it was
     * asked about (an id added later would not undo a remembered miss): orders and
     * events list a customer's rows together as exports usually do, so most rows repeat the id
     * before, and a row whose cell holds the same bytes has the same answer without hashing.
     */
    public CustomerLookup remembering() {
        return new LastCell();
    }

    private final class LastCell implements CustomerLookup {
        /** The last cell's bytes, untrimmed: equal cells trim alike. */
        private byte[] cell = new byte[32];

        private int length = -1;
        private int index;

        @Override
        public int indexOf(String customerId) {
            return CustomerIndex.this.indexOf(customerId);
        }

        @Override
        public int indexOf(byte[] b, int from, int to) {
            int n = to - from;
            if (n == length && Arrays.equals(b, from, to, cell, 0, n)) {
                return index;
            }
            index = CustomerIndex.this.indexOf(b, from, to);
            if (n > cell.length) {
                cell = new byte[Math.max(n, 2 * cell.length)];
            }
            System.arraycopy(b, from, cell, 0, n);
            length = n;
            return index;
        }
    }

    private int find(byte[] key, int from, int to) {
        long tail = slots[2 * slot(key, from, to, head(key, from, to)) + 1];
        return (int) tail - 1;
    }

    /** The slot that holds the key, or the empty slot where its probe ends. */
    private int slot(byte[] key, int from, int to, long head) {
        int len = to - from;
        for (int slot = hash(key, from, to, head) & mask; ; slot = (slot + 1) & mask) {
            long tail = slots[2 * slot + 1];
            if (tail == 0) {
                return slot;
            }
            if (slots[2 * slot] == head && (int) (tail >>> 32) == len) {
                int entry = (int) tail - 1;
                if (len <= 8 || Arrays.equals(arena, offsets[entry], offsets[entry + 1], key, from, to)) {
                    return slot;
                }
            }
        }
    }

    private void insert(int entry, byte[] key, int from, int to) {
        long head = head(key, from, to);
        int slot = hash(key, from, to, head) & mask;
        while (slots[2 * slot + 1] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[2 * slot] = head;
        slots[2 * slot + 1] = (long) (to - from) << 32 | (entry + 1);
    }

    private void resize(int capacity) {
        slots = new long[2 * capacity];
        mask = capacity - 1;
        for (int e = 0; e < size; e++) {
            insert(e, arena, offsets[e], offsets[e + 1]);
        }
    }

    /** The first eight bytes of a key, zero-padded: the whole key when it is short. */
    private static long head(byte[] key, int from, int to) {
        if (to - from >= 8) {
            return (long) LONGS.get(key, from);
        }
        long h = 0;
        for (int i = to - 1; i >= from; i--) {
            h = h << 8 | (key[i] & 0xFF);
        }
        return h;
    }

    /** Mixes every byte of the key; a short key is its head alone. */
    private static int hash(byte[] key, int from, int to, long head) {
        long h = (head ^ (to - from)) * 0x9E3779B97F4A7C15L;
        for (int i = from + 8; i < to; i += 8) {
            long word = i + 8 <= to ? (long) LONGS.get(key, i) : head(key, i, to);
            h = (h ^ (h >>> 31) ^ word) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 29));
    }
}
