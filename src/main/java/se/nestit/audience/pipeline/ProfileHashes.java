package se.nestit.audience.pipeline;

import java.util.Arrays;
import se.nestit.audience.identity.DigestIndex;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;

/** The SHA-256 digests of some customers' emails under one normalization profile. */
final class ProfileHashes {

    private static final int N = Sha256.LENGTH;
    private static final int NOT_HASHED = -1;
    private static final int UNUSABLE = -2;

    private final Normalization profile;
    private final int[] slot;
    private byte[] digests = new byte[N * 1024];
    private int[] customerOf = new int[1024];
    private int hashed;
    private int unusable;
    private DigestIndex index;

    ProfileHashes(Normalization profile, int customers) {
        this.profile = profile;
        this.slot = new int[customers];
        Arrays.fill(slot, NOT_HASHED);
    }

    Normalization profile() {
        return profile;
    }

    void put(int customer, byte[] digest) {
        if (hashed == customerOf.length) {
            digests = Arrays.copyOf(digests, digests.length * 2);
            customerOf = Arrays.copyOf(customerOf, customerOf.length * 2);
        }
        System.arraycopy(digest, 0, digests, hashed * N, N);
        customerOf[hashed] = customer;
        slot[customer] = hashed++;
        index = null;
    }

    /** Records that this profile turns the customer's email into something that cannot match. */
    void putUnusable(int customer) {
        slot[customer] = UNUSABLE;
        unusable++;
    }

    boolean has(int customer) {
        return slot[customer] != NOT_HASHED;
    }

    byte[] digest(int customer) {
        int s = slot[customer];
        return s < 0 ? null : Arrays.copyOfRange(digests, s * N, s * N + N);
    }

    int hashed() {
        return hashed;
    }

    int unusable() {
        return unusable;
    }

    /** The customers whose digest equals {@code digest}, ascending. */
    int[] customersWith(byte[] digest) {
        if (index == null) {
            index = DigestIndex.of(digests, hashed);
        }
        int[] found = index.find(digest);
        for (int i = 0; i < found.length; i++) {
            found[i] = customerOf[found[i]];
        }
        Arrays.sort(found);
        return found;
    }

    /** The distinct digests of these customers, sorted; unusable ones are left out. */
    SortedHashes of(int[] customers) {
        byte[] flat = new byte[customers.length * N];
        int n = 0;
        for (int c : customers) {
            int s = slot[c];
            if (s >= 0) {
                System.arraycopy(digests, s * N, flat, n++ * N, N);
            }
        }
        return SortedHashes.fromUnsorted(flat, n);
    }
}
