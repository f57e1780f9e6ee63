package se.nestit.audience.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
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
        return SortedHashes.of(IntStream.range(from, to)
                .mapToObj(i -> sha256("c" + i + "@example.se"))
                .toList());
    }

    public static List<String> hex(SortedHashes h) {
        ArrayList<String> out = new ArrayList<>();
        try {
            h.forEachHex(out::add);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
