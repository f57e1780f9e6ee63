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
 * does for every address outside Gmail).
 */
final class HashStage {

    private HashStage() {}

    /** @param needed per profile, the customers (all of them exportable) whose hash is needed */
    static Map<Normalization, ProfileHashes> hash(CustomerTable customers, Map<Normalization, BitSet> needed, Progress progress) {
        Map<Normalization, ProfileHashes> result = new EnumMap<>(Normalization.class);
        needed.keySet().forEach(p -> result.put(p, new ProfileHashes(p, customers.size())));
        BitSet union = new BitSet();
        needed.values().forEach(union::or);

        Normalization[] profiles = needed.keySet().toArray(Normalization[]::new);
        String[] normalized = new String[profiles.length];
        byte[][] digests = new byte[profiles.length][];
        Sha256 sha = new Sha256();
        try (Progress.Task task = progress.start("hashing", union.cardinality())) {
            for (int c = union.nextSetBit(0); c >= 0; c = union.nextSetBit(c + 1)) {
                String email = customers.email(c);
                for (int p = 0; p < profiles.length; p++) {
                    normalized[p] = null;
                    if (!needed.get(profiles[p]).get(c)) {
                        continue;
                    }
                    ProfileHashes target = result.get(profiles[p]);
                    String n = profiles[p].apply(email);
                    if (!EmailSyntax.isValid(n)) {
                        target.putUnusable(c);
                        continue;
                    }
                    normalized[p] = n;
                    digests[p] = sameAsEarlier(normalized, digests, p);
                    if (digests[p] == null) {
                        digests[p] = sha.digest(n);
                    }
                    target.put(c, digests[p]);
                }
                task.advance(1);
            }
        }
        return result;
    }

    private static byte[] sameAsEarlier(String[] normalized, byte[][] digests, int p) {
        for (int q = 0; q < p; q++) {
            if (normalized[p].equals(normalized[q])) {
                return digests[q];
            }
        }
        return null;
    }
}
