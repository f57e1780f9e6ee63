package se.nestit.audience.identity;

import java.util.Arrays;

/**
 * Finds which entries of a list of digests equal a given digest: many customers can share one hash
 * (one email under two customer_ids, Gmail spellings under the google profile).
 */
public final class DigestIndex {

    private static final int N = Sha256.LENGTH;

    private final int[] order;
    /**
     * The digests in sorted order, back to back: a walk in order reads them one after the other,
     * where reading them by entry would miss the caches on every digest (32 bytes an entry more
     * than the entries' own).
     */
    private final byte[] sorted;
    /**
     * The first four bytes of each digest in sorted order: a search compares these side by side in
     * memory and reads a whole digest only when they are equal.
     */
    private final int[] prefixes;

    private DigestIndex(byte[] flat, int[] order) {
        this.order = order;
        this.sorted = new byte[order.length * N];
        this.prefixes = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            System.arraycopy(flat, order[k] * N, sorted, k * N, N);
            prefixes[k] = DigestOrder.prefix(sorted, k);
        }
    }

    /** @param flat {@code count} digests back to back; entry {@code i} is the one at offset {@code 32 i} */
    public static DigestIndex of(byte[] flat, int count) {
        if (count < 0 || flat.length < (long) count * N) {
            throw new IllegalArgumentException("expected at least " + (long) count * N + " bytes for " + count
                    + " digests but got " + flat.length);
        }
        return new DigestIndex(flat, DigestOrder.sort(flat, count));
    }

    /** The entries whose digest equals {@code digest}, in ascending order; empty when none. */
    public int[] find(byte[] digest) {
        checkLength(digest);
        int p = DigestOrder.prefix(digest, 0);
        return matches(lowerBound(0, order.length, digest, p), digest, p);
    }

    /** A walk through the index for digests asked for in ascending order. */
    public Cursor cursor() {
        return new Cursor();
    }

    /**
     * Finds digests asked for in ascending order (a sorted set's): each search starts where the one
     * before ended and gallops forward, so the walk reads the index about once, in order, instead of
     * searching all of it for each digest. A digest out of order is searched for in the whole index.
     * One walk for one thread.
     */
    public final class Cursor {
        /** Every entry before it is less than the digest asked for last. */
        private int from;

        private Cursor() {}

        /** The entries whose digest equals {@code digest}, in ascending order; empty when none. */
        public int[] find(byte[] digest) {
            int n = seek(digest);
            return Arrays.copyOfRange(order, from, from + n);
        }

        /**
         * Moves to the first place of the ascending order whose digest is not less than {@code
         * digest}, as {@link #find} does, and gives how many places from {@link #place} on hold it;
         * their entries are {@link #entryAt}, with no array made.
         */
        public int seek(byte[] digest) {
            checkLength(digest);
            int p = DigestOrder.prefix(digest, 0);
            if (from > 0 && compare(from - 1, digest, p) >= 0) {
                from = 0;
            }
            int lo = from;
            int hi = from;
            for (int step = 1; hi < order.length && compare(hi, digest, p) < 0; step <<= 1) {
                lo = hi + 1;
                hi = lo + step;
            }
            from = lowerBound(lo, Math.min(hi, order.length), digest, p);
            int end = from;
            while (end < order.length && compare(end, digest, p) == 0) {
                end++;
            }
            return end - from;
        }

        /** The place the last {@link #seek} moved to. */
        public int place() {
            return from;
        }
    }

    /** The number of entries. */
    public int size() {
        return order.length;
    }

    /** The entry at place {@code k} of the digests' ascending order; equal digests keep their entries' order. */
    public int entryAt(int k) {
        return order[k];
    }

    /** The first place in {@code [lo, hi)} whose digest is not less than {@code digest}, or {@code hi}. */
    private int lowerBound(int lo, int hi, byte[] digest, int p) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, digest, p) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int[] matches(int lo, byte[] digest, int p) {
        int end = lo;
        while (end < order.length && compare(end, digest, p) == 0) {
            end++;
        }
        // equal digests keep their positions' order in the sort, so this is ascending already
        return Arrays.copyOfRange(order, lo, end);
    }

    /** The digest at place {@code k} of the sorted order against {@code digest}, whose prefix is {@code p}. */
    private int compare(int k, byte[] digest, int p) {
        int c = Integer.compareUnsigned(prefixes[k], p);
        return c != 0 ? c : Arrays.compareUnsigned(sorted, k * N, k * N + N, digest, 0, N);
    }

    private static void checkLength(byte[] digest) {
        if (digest.length != N) {
            throw new IllegalArgumentException("a SHA-256 digest has " + N + " bytes, not " + digest.length);
        }
    }
}
