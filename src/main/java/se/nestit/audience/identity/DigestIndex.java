package se.nestit.audience.identity;

import java.util.Arrays;

/**
 * Finds which entries of a list of digests equal a given digest: many customers can share one hash
 * (one email under two customer_ids, Gmail spellings under the google profile).
 */
public final class DigestIndex {

    private static final int N = Sha256.LENGTH;

    private final byte[] flat;
    private final int[] order;

    private DigestIndex(byte[] flat, int[] order) {
        this.flat = flat;
        this.order = order;
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
        if (digest.length != N) {
            throw new IllegalArgumentException("a SHA-256 digest has " + N + " bytes, not " + digest.length);
        }
        int lo = 0;
        int hi = order.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(flat, order[mid] * N, order[mid] * N + N, digest, 0, N) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int end = lo;
        while (end < order.length && Arrays.equals(flat, order[end] * N, order[end] * N + N, digest, 0, N)) {
            end++;
        }
        // equal digests keep their positions' order in the sort, so this is ascending already
        return Arrays.copyOfRange(order, lo, end);
    }
}
