package se.nestit.audience.pipeline;

import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import se.nestit.audience.identity.EmailSyntax;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;

/**
 * Normalizes and hashes the emails of exported customers, once per customer and profile, and
 * only once per customer when two profiles yield the same string (basic and meta always do, google
 * does for every address outside Gmail). Customers are split across the cores.
 */
final class HashStage {

    private HashStage() {}

    /** @param needed per profile, the customers whose hash is needed */
    static Map<Normalization, ProfileHashes> hash(
            CustomerTable customers, Map<Normalization, BitSet> needed, Progress progress) {
        Map<Normalization, ProfileHashes> result = new EnumMap<>(Normalization.class);
        needed.forEach((p, set) -> result.put(
                p, new ProfileHashes(p, customers.size(), set.stream().toArray())));
        BitSet union = new BitSet();
        needed.values().forEach(union::or);
        int[] all = union.stream().toArray();
        Normalization[] profiles = needed.keySet().toArray(Normalization[]::new);
        Slices slices = Slices.of(all.length);
        try (Progress.Task task = progress.start("hashing", all.length)) {
            int[][] counts = new int[slices.count()][];
            slices.parallel().forEach(t -> {
                Hasher hasher = new Hasher(customers, needed, result, profiles);
                hasher.hashPlain(all, slices.from(t), slices.to(t), task);
                counts[t] = hasher.hashTheOthers();
            });
            for (int[] c : counts) {
                for (int p = 0; p < profiles.length; p++) {
                    result.get(profiles[p]).tally(c[2 * p], c[2 * p + 1]);
                }
            }
        }
        return result;
    }

    /**
     * One thread's hashing. A plain email cell, as nearly every one is, goes from its bytes to its
     * digests without a string: lowercased it is its basic form ({@link EmailSyntax#isPlain}). The
     * few others are hashed from strings after the loop over the plain ones, so that the loop's
     * compiled code holds none of the string handling they need.
     */
    private static final class Hasher {
        private final CustomerTable customers;
        private final byte[] cells;
        private final Normalization[] profiles;
        /** Per profile, by its place in {@link #profiles}. */
        private final BitSet[] needed;

        private final ProfileHashes[] results;
        private final byte[][] digests;
        /** Per profile, the customer's valid normalized email as a string, from a cell that is not plain. */
        private final String[] normalized;
        /** Per profile, the customer's valid normalized email from a plain cell: its bytes and length, -1 for none. */
        private final byte[][] forms;

        private final int[] lengths;
        private final byte[][] buffers;
        private byte[] basic = new byte[64];
        private final Sha256 sha = new Sha256();
        /** Per profile, the hashed and the unusable. */
        private final int[] counts;
        /** The customers whose cell is not plain, {@link #others} of them. */
        private int[] otherCustomers = new int[64];

        private int others;

        Hasher(
                CustomerTable customers,
                Map<Normalization, BitSet> needed,
                Map<Normalization, ProfileHashes> results,
                Normalization[] profiles) {
            this.customers = customers;
            this.cells = customers.emailCells();
            this.profiles = profiles;
            int n = profiles.length;
            this.needed = new BitSet[n];
            this.results = new ProfileHashes[n];
            for (int p = 0; p < n; p++) {
                this.needed[p] = needed.get(profiles[p]);
                this.results[p] = results.get(profiles[p]);
            }
            this.digests = new byte[n][Sha256.LENGTH];
            this.normalized = new String[n];
            this.forms = new byte[n][];
            this.lengths = new int[n];
            this.buffers = new byte[n][basic.length];
            this.counts = new int[2 * n];
        }

        /** Hashes the customers {@code all[from..to)} whose cell is plain and keeps the others for {@link #hashTheOthers}. */
        void hashPlain(int[] all, int from, int to, Progress.Task task) {
            for (int k = from; k < to; k++) {
                int c = all[k];
                int start = customers.emailStart(c);
                int end = customers.emailEnd(c);
                if (EmailSyntax.isPlain(cells, start, end)) {
                    hashPlain(c, start, end);
                } else {
                    if (others == otherCustomers.length) {
                        otherCustomers = Arrays.copyOf(otherCustomers, 2 * others);
                    }
                    otherCustomers[others++] = c;
                }
                if ((k - from) % 4096 == 4095) {
                    task.advance(4096);
                }
            }
            // the last part of a block, so that the bar reaches 100 %
            task.advance((to - from) % 4096);
        }

        /** Hashes the customers whose cell was not plain; returns per profile the hashed and unusable counts of all. */
        int[] hashTheOthers() {
            for (int k = 0; k < others; k++) {
                hashString(otherCustomers[k]);
            }
            return counts;
        }

        private void hashPlain(int c, int start, int end) {
            int n = end - start;
            if (n > basic.length) {
                basic = new byte[n];
                Arrays.setAll(buffers, p -> new byte[n]);
            }
            Normalization.basicPlain(cells, start, end, basic);
            for (int p = 0; p < profiles.length; p++) {
                lengths[p] = -1;
                if (!needed[p].get(c)) {
                    continue;
                }
                int changed = profiles[p].fromBasicPlain(basic, n, buffers[p]);
                byte[] form = changed < 0 ? basic : buffers[p];
                int length = changed < 0 ? n : changed;
                int same = -1;
                for (int q = 0; q < p && same < 0; q++) {
                    if (lengths[q] >= 0 && Arrays.equals(forms[q], 0, lengths[q], form, 0, length)) {
                        same = q;
                    }
                }
                if (same >= 0) {
                    System.arraycopy(digests[same], 0, digests[p], 0, Sha256.LENGTH);
                } else if (EmailSyntax.isValidPlain(form, 0, length)) {
                    sha.digest(form, 0, length, digests[p]);
                } else {
                    counts[2 * p + 1]++;
                    continue;
                }
                forms[p] = form;
                lengths[p] = length;
                hashed(p, c);
            }
        }

        private void hashString(int c) {
            String basic = Normalization.basic(customers.email(c));
            for (int p = 0; p < profiles.length; p++) {
                normalized[p] = null;
                if (!needed[p].get(c)) {
                    continue;
                }
                String n = profiles[p].fromBasic(basic);
                int same = sameAsEarlier(n, p);
                if (same >= 0) {
                    System.arraycopy(digests[same], 0, digests[p], 0, Sha256.LENGTH);
                } else if (EmailSyntax.isValid(n)) {
                    sha.digest(n, digests[p]);
                } else {
                    counts[2 * p + 1]++;
                    continue;
                }
                normalized[p] = n;
                hashed(p, c);
            }
        }

        private void hashed(int p, int c) {
            results[p].put(c, digests[p]);
            counts[2 * p]++;
        }

        /** An earlier profile that gave this customer the same valid string, whose digest is this one's; -1 for none. */
        private int sameAsEarlier(String n, int p) {
            for (int q = 0; q < p; q++) {
                if (n.equals(normalized[q])) {
                    return q;
                }
            }
            return -1;
        }
    }
}
