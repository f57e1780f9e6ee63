package se.nestit.audience.pipeline;

import java.util.Arrays;
import se.nestit.audience.identity.DigestIndex;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;

/**
 * The SHA-256 digests of some customers' emails under one normalization profile. Every customer
 * that may be hashed has its place fixed up front, so that several threads can fill in disjoint
 * customers at once.
 */
final class ProfileHashes {

    private static final int N = Sha256.LENGTH;
    private static final int NONE = -1;

    private final Normalization profile;
    /** Per customer, its place in {@link #digests}, or {@link #NONE}. */
    private final int[] place;

    private final int[] customerAt;
    private final byte[] digests;
    private final boolean[] filled;
    private int hashed;
    private int unusable;
    private DigestIndex index;
    private int[] byPlace;

    /** @param customers the run's customer count; {@code candidates} the customers that may be hashed, ascending */
    ProfileHashes(Normalization profile, int customers, int[] candidates) {
        this.profile = profile;
        this.place = new int[customers];
        Arrays.fill(place, NONE);
        for (int i = 0; i < candidates.length; i++) {
            place[candidates[i]] = i;
        }
        this.customerAt = candidates;
        this.digests = new byte[candidates.length * N];
        this.filled = new boolean[candidates.length];
    }

    Normalization profile() {
        return profile;
    }

    /** Sets a candidate's digest; candidates may be set from different threads. */
    void put(int customer, byte[] digest) {
        int p = place[customer];
        System.arraycopy(digest, 0, digests, p * N, N);
        filled[p] = true;
    }

    /** Counts, once every thread is done. */
    void tally(int hashed, int unusable) {
        this.hashed += hashed;
        this.unusable += unusable;
    }

    int hashed() {
        return hashed;
    }

    int unusable() {
        return unusable;
    }

    /** The customers whose digest equals {@code digest}, ascending (places are in customer order). */
    int[] customersWith(byte[] digest) {
        return hashed(index().find(digest));
    }

    /** A walk for digests asked for in ascending order, as a sorted set gives them: faster than one by one. */
    Search search() {
        return new Search();
    }

    /** Finds the customers of digests asked for in ascending order; one walk for one thread. */
    final class Search {
        private final DigestIndex.Cursor cursor = index().cursor();
        private final int[] byPlace = byPlace();

        private Search() {}

        int[] customersWith(byte[] digest) {
            int n = cursor.seek(digest);
            int from = cursor.place();
            int hashed = 0;
            for (int k = from; k < from + n; k++) {
                hashed += byPlace[k] == NONE ? 0 : 1;
            }
            int[] customers = new int[hashed];
            for (int k = from, i = 0; k < from + n; k++) {
                if (byPlace[k] != NONE) {
                    customers[i++] = byPlace[k];
                }
            }
            return customers;
        }
    }

    /** The customers at these places that were hashed, ascending (places are in customer order). */
    private int[] hashed(int[] places) {
        int n = 0;
        for (int p : places) {
            if (filled[p]) {
                places[n++] = customerAt[p];
            }
        }
        return n == places.length ? places : Arrays.copyOf(places, n);
    }

    /**
     * Per place of the index's order, the customer there, or {@link #NONE} when not hashed: a walk
     * in digest order then reads customers one after the other, where going through {@link
     * #customerAt} and {@link #filled} by place would miss the caches on every digest, for every
     * audience.
     */
    private synchronized int[] byPlace() {
        if (byPlace == null) {
            DigestIndex sorted = index();
            int[] customers = new int[sorted.size()];
            for (int k = 0; k < customers.length; k++) {
                int p = sorted.entryAt(k);
                customers[k] = filled[p] ? customerAt[p] : NONE;
            }
            byPlace = customers;
        }
        return byPlace;
    }

    private synchronized DigestIndex index() {
        if (index == null) {
            index = DigestIndex.of(digests, customerAt.length);
        }
        return index;
    }

    /** Whether every one of these customers was hashed (or found unusable) in this profile. */
    boolean coversAll(int[] customers) {
        for (int c : customers) {
            if (place[c] == NONE) {
                return false;
            }
        }
        return true;
    }

    /** The distinct digests of these customers, sorted; those not hashed (unusable) are left out. */
    SortedHashes of(int[] customers) {
        byte[] flat = new byte[customers.length * N];
        int n = 0;
        for (int c : customers) {
            int p = place[c];
            if (p != NONE && filled[p]) {
                System.arraycopy(digests, p * N, flat, n++ * N, N);
            }
        }
        return SortedHashes.fromUnsorted(flat, n);
    }
}
