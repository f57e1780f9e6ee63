package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.sync.TestHashes;

class ProfileHashesTest {

    /**
     * Customers some of whom share an email, some never hashed (unusable) and some not candidates:
     * an audience's set and each hash's customers, against lists made by hand from the same digests.
     */
    @Property(tries = 300)
    void setsAndCustomersAgreeWithAPlainList(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int customers) {
        Random random = new Random(seed);
        List<Integer> candidates = new ArrayList<>();
        byte[][] digest = new byte[customers][];
        for (int c = 0; c < customers; c++) {
            if (random.nextInt(5) > 0) {
                candidates.add(c);
                // few emails among many customers: shared digests are common
                digest[c] = random.nextInt(4) > 0 ? TestHashes.sha256("e" + random.nextInt(customers / 2 + 1)) : null;
            }
        }
        ProfileHashes hashes = new ProfileHashes(
                Normalization.BASIC,
                customers,
                candidates.stream().mapToInt(Integer::intValue).toArray());
        for (int c : candidates) {
            if (digest[c] != null) {
                hashes.put(c, digest[c]);
            }
        }
        int[] audience = random.ints(random.nextInt(customers + 1), 0, Math.max(customers, 1))
                .filter(c -> c < customers)
                .toArray();
        List<byte[]> expected = new ArrayList<>();
        for (int c : audience) {
            if (digest[c] != null) {
                expected.add(digest[c]);
            }
        }
        SortedHashes set = hashes.of(audience);
        assertEquals(SortedHashes.of(expected), set);

        // a candidate never hashed has no digest, not the zeros its place holds
        assertArrayEquals(new int[0], hashes.search().customersWith(new byte[32]), "no digest");
        ProfileHashes.Search search = hashes.search();
        for (int i = 0; i < set.size(); i++) {
            byte[] d = set.get(i);
            int[] holders = IntStream.range(0, customers)
                    .filter(c -> digest[c] != null && Arrays.equals(digest[c], d))
                    .toArray();
            assertArrayEquals(holders, search.customersWith(d), "hash " + i);
            assertArrayEquals(holders, hashes.customersWith(d), "hash " + i + ", one by one");
        }
    }
}
