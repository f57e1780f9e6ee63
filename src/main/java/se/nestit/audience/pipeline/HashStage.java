package se.nestit.audience.pipeline;

import java.nio.charset.StandardCharsets;
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
        byte[] cells = customers.emailCells();
        byte[][] forms = new byte[profiles.length][64];
        int[] lengths = new int[profiles.length];
        byte[][] digests = new byte[profiles.length][Sha256.LENGTH];
        int[] counts = new int[2 * profiles.length];
        for (int k = from; k < to; k++) {
            int c = all[k];
            int start = customers.emailStart(c);
            int end = customers.emailEnd(c);
            // a plain cell is normalized from its bytes; any other through strings, as the gate does
            String basic = EmailSyntax.isPlain(cells, start, end) ? null : Normalization.basic(customers.email(c));
            for (int p = 0; p < profiles.length; p++) {
                lengths[p] = -1;
                if (!needed.get(profiles[p]).get(c)) {
                    continue;
                }
                int n = form(profiles[p], cells, start, end, basic, forms, p);
                if (n < 0) {
                    counts[2 * p + 1]++;
                    continue;
                }
                lengths[p] = n;
                int same = sameAsEarlier(forms, lengths, p);
                if (same >= 0) {
                    System.arraycopy(digests[same], 0, digests[p], 0, Sha256.LENGTH);
                } else {
                    sha.digest(forms[p], n, digests[p]);
                }
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

    /**
     * Writes a customer's email in a profile's form, UTF-8, into {@code forms[p]} (a larger array
     * when it does not fit) and returns its length, or -1 when that form is not a valid email.
     *
     * @param basic the email's basic form, or null for a {@link EmailSyntax#isPlain plain} cell
     */
    private static int form(
            Normalization profile, byte[] cells, int start, int end, String basic, byte[][] forms, int p) {
        if (basic == null) {
            if (forms[p].length < end - start) {
                forms[p] = new byte[end - start];
            }
            int n = profile.fromPlain(cells, start, end, forms[p]);
            return EmailSyntax.isValidPlain(forms[p], 0, n) ? n : -1;
        }
        String normalized = profile.fromBasic(basic);
        if (!EmailSyntax.isValid(normalized)) {
            return -1;
        }
        forms[p] = normalized.getBytes(StandardCharsets.UTF_8);
        return forms[p].length;
    }

    /** An earlier profile that gave this customer the same valid form, whose digest is this one's; -1 for none. */
    private static int sameAsEarlier(byte[][] forms, int[] lengths, int p) {
        for (int q = 0; q < p; q++) {
            if (lengths[q] >= 0 && Arrays.equals(forms[q], 0, lengths[q], forms[p], 0, lengths[p])) {
                return q;
            }
        }
        return -1;
    }
}
