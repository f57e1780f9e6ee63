package se.nestit.audience.identity;

import java.util.Arrays;

/**
 * Sorts digests without boxing: each key packs a digest's first four bytes (as an unsigned
 * number) above its position, so one {@code long[]} sort orders almost everything; the rare runs
 * that share those four bytes are then finished with a full comparison.
 */
final class DigestOrder {

    private static final int N = Sha256.LENGTH;

    private DigestOrder() {}

    /** The positions of the {@code count} digests in {@code flat}, in ascending digest order. */
    static int[] sort(byte[] flat, int count) {
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = ((long) (prefix(flat, i) ^ Integer.MIN_VALUE) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[count];
        for (int k = 0; k < count; k++) {
            order[k] = (int) keys[k];
        }
        int runStart = 0;
        for (int k = 1; k <= count; k++) {
            if (k == count || (keys[k] >>> 32) != (keys[runStart] >>> 32)) {
                if (k - runStart > 1) {
                    insertionSort(flat, order, runStart, k);
                }
                runStart = k;
            }
        }
        return order;
    }

    /** Digest {@code i}'s first four bytes, to be compared unsigned. */
    static int prefix(byte[] flat, int i) {
        int o = i * N;
        return (flat[o] & 0xFF) << 24 | (flat[o + 1] & 0xFF) << 16 | (flat[o + 2] & 0xFF) << 8 | (flat[o + 3] & 0xFF);
    }

    private static void insertionSort(byte[] flat, int[] order, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int v = order[i];
            int j = i - 1;
            while (j >= from && SortedHashes.compareAt(flat, order[j], flat, v) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
    }
}
