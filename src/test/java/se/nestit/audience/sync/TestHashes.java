package se.nestit.audience.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import se.nestit.audience.identity.SortedHashes;

/** Hash sets for tests, made with the JDK's own SHA-256 rather than the code under test. */
public final class TestHashes {

    private TestHashes() {}

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The hashes of {@code n0@example.se} ... */
    public static SortedHashes of(String... emails) {
        return SortedHashes.of(Arrays.stream(emails).map(TestHashes::sha256).toList());
    }

    public static SortedHashes range(int from, int to) {
        return SortedHashes.of(java.util.stream.IntStream.range(from, to).mapToObj(i -> sha256("c" + i + "@example.se")).toList());
    }

    public static List<String> hex(SortedHashes h) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        try {
            h.forEachHex(out::add);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
