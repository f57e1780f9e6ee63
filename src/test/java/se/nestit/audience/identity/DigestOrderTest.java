package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DigestOrderTest {

    /**
     * Digests of few distinct leading bytes, shared four-byte prefixes and repeats, against a
     * comparison sort of the positions by digest, then by position.
     */
    @Property(tries = 300)
    void ordersAsAComparisonSortByDigestThenPosition(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3000) int count,
            @ForAll @IntRange(min = 1, max = 256) int spread) {
        Random random = new Random(seed);
        byte[] flat = new byte[count * Sha256.LENGTH];
        random.nextBytes(flat);
        for (int i = 0; i < count; i++) {
            int at = i * Sha256.LENGTH;
            flat[at] = (byte) (128 + random.nextInt(spread) - spread / 2);
            if (random.nextInt(4) == 0) {
                flat[at + 1] = flat[at + 2] = flat[at + 3] = 0; // a shared prefix, told apart further on
            }
            if (i > 0 && random.nextInt(10) == 0) {
                int other = random.nextInt(i) * Sha256.LENGTH;
                System.arraycopy(flat, other, flat, at, Sha256.LENGTH); // a repeat
            }
        }
        int[] expected = IntStream.range(0, count)
                .boxed()
                .sorted(Comparator.<Integer, byte[]>comparing(
                                i -> Arrays.copyOfRange(flat, i * Sha256.LENGTH, (i + 1) * Sha256.LENGTH),
                                Arrays::compareUnsigned)
                        .thenComparing(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
        assertArrayEquals(expected, DigestOrder.sort(flat, count));
    }
}
