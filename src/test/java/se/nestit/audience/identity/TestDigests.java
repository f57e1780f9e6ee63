package se.nestit.audience.identity;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Hand-made digests and a generator of digests that collide in the places the sort cares about. */
final class TestDigests {

    private TestDigests() {}

    /** A 32-byte digest that starts with {@code lead} and is zero after it. */
    static byte[] digest(int... lead) {
        byte[] d = new byte[32];
        for (int i = 0; i < lead.length; i++) {
            d[i] = (byte) lead[i];
        }
        return d;
    }

    /** A 32-byte digest that is {@code prefix} (4 bytes) and zero after it, except {@code at} holds {@code value}. */
    static byte[] digestAt(int prefix, int at, int value) {
        byte[] d = digest(prefix >>> 24, prefix >>> 16 & 0xFF, prefix >>> 8 & 0xFF, prefix & 0xFF);
        d[at] = (byte) value;
        return d;
    }

    static String hex(byte[] d) {
        return HexFormat.of().formatHex(d);
    }

    /**
     * Digests whose first four bytes usually come from a few fixed prefixes (so runs with equal
     * prefixes are common) and whose later bytes sit on both sides of the signed/unsigned
     * boundary; duplicates are frequent.
     */
    static Arbitrary<byte[]> collidingDigests() {
        Arbitrary<byte[]> prefix = Arbitraries.frequencyOf(List.of(
                Tuple.of(
                        3,
                        Arbitraries.of(
                                new byte[] {0, 0, 0, 0},
                                new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                                new byte[] {(byte) 0x80, 0, 0, 0},
                                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                                new byte[] {0x12, 0x34, (byte) 0x80, 0x7f})),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(4))));
        Arbitrary<Byte> edgy = Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7f, (byte) 0x80, (byte) 0xff);
        return Combinators.combine(prefix, edgy, edgy, edgy).as((p, b4, b17, b31) -> {
            byte[] d = new byte[32];
            System.arraycopy(p, 0, d, 0, 4);
            d[4] = b4;
            d[17] = b17;
            d[31] = b31;
            return d;
        });
    }

    /** Lists of {@link #collidingDigests()} in which some digests occur more than once, in random places. */
    static Arbitrary<List<byte[]>> collidingDigestLists() {
        return collidingDigests().list().ofMaxSize(40).flatMap(base -> {
            if (base.isEmpty()) {
                return Arbitraries.just(base);
            }
            return Arbitraries.integers()
                    .between(0, base.size() - 1)
                    .list()
                    .ofMaxSize(20)
                    .flatMap(repeat -> {
                        List<byte[]> all = new ArrayList<>(base);
                        repeat.forEach(i -> all.add(base.get(i).clone()));
                        return Arbitraries.shuffle(all);
                    });
        });
    }
}
