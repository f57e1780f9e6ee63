package se.nestit.audience.pipeline;

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
            slices.parallel()
                    .forEach(t -> counts[t] =
                            hashRange(customers, needed, profiles, result, all, slices.from(t), slices.to(t), task));
            for (int[] c : counts) {
                for (int p = 0; p < profiles.length; p++) {
                    result.get(profiles[p]).tally(c[2 * p], c[2 * p + 1]);
                }
            }
        }
        return result;
    }

    /** Hashes customers {@code all[from..to)}; returns per profile the hashed and unusable counts. */
    private static int[] hashRange(
            CustomerTable customers,
            Map<Normalization, BitSet> needed,
            Normalization[] profiles,
            Map<Normalization, ProfileHashes> result,
            int[] all,
            int from,
            int to,
            Progress.Task task) {
        Sha256 sha = new Sha256();
        String[] normalized = new String[profiles.length];
        byte[][] digests = new byte[profiles.length][Sha256.LENGTH];
        int[] counts = new int[2 * profiles.length];
        for (int k = from; k < to; k++) {
            int c = all[k];
            String basic = Normalization.basic(customers.email(c));
            for (int p = 0; p < profiles.length; p++) {
                normalized[p] = null;
                if (!needed.get(profiles[p]).get(c)) {
                    continue;
                }
                String n = profiles[p].fromBasic(basic);
                int same = sameAsEarlier(normalized, n, p);
                if (same >= 0) {
                    System.arraycopy(digests[same], 0, digests[p], 0, Sha256.LENGTH);
                } else if (EmailSyntax.isValid(n)) {
                    sha.digest(n, digests[p]);
                } else {
                    counts[2 * p + 1]++;
                    continue;
                }
                normalized[p] = n;
                result.get(profiles[p]).put(c, digests[p]);
                counts[2 * p]++;
            }
            if ((k - from) % 4096 == 4095) {
                task.advance(4096);
            }
        }
        // the last part of a block, so that the bar reaches 100 %
        task.advance((to - from) % 4096);
        return counts;
    }

    /** An earlier profile that gave this customer the same valid string, whose digest is this one's; -1 for none. */
    private static int sameAsEarlier(String[] normalized, String n, int p) {
        for (int q = 0; q < p; q++) {
            if (n.equals(normalized[q])) {
                return q;
            }
        }
        return -1;
    }
}
