package se.nestit.audience.identity;

import java.util.Arrays;

/**
 * Sorts digests without boxing: a radix sort orders the positions by each digest's first four
 * bytes, a byte a pass and stably, so that equal prefixes keep their positions' order; the rare
 * runs that share those four bytes are then finished with a full comparison. Four passes over
 * arrays of ints, where a comparison sort of a few hundred thousand random keys took most of the
 * time of planning a quiet night's audiences.
 */
final class DigestOrder {

    private static final int N = Sha256.LENGTH;

    private DigestOrder() {}

    /** The positions of the {@code count} digests in {@code flat}, in ascending digest order. */
    static int[] sort(byte[] flat, int count) {
        int[] order = new int[count];
        int[] keys = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
            keys[i] = prefix(flat, i);
        }
        if (count < 2) {
            return order;
        }
        int[] nextOrder = new int[count];
        int[] nextKeys = new int[count];
        int[] starts = new int[256];
        for (int shift = 0; shift < 32; shift += 8) {
            Arrays.fill(starts, 0);
            for (int i = 0; i < count; i++) {
                starts[(keys[i] >>> shift) & 0xFF]++;
            }
            if (starts[(keys[0] >>> shift) & 0xFF] == count) {
                continue; // every key has this byte: the pass would change nothing
            }
            for (int b = 0, at = 0; b < 256; b++) {
                int n = starts[b];
                starts[b] = at;
                at += n;
            }
            for (int i = 0; i < count; i++) {
                int to = starts[(keys[i] >>> shift) & 0xFF]++;
                nextOrder[to] = order[i];
                nextKeys[to] = keys[i];
            }
            int[] t = order;
            order = nextOrder;
            nextOrder = t;
            t = keys;
            keys = nextKeys;
            nextKeys = t;
        }
        int runStart = 0;
        for (int k = 1; k <= count; k++) {
            if (k == count || keys[k] != keys[runStart]) {
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
