package se.nestit.audience.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import se.nestit.audience.sync.TestHashes;

class HashFileReaderTest {

    // sha256sum of "a", "b" and "c" without a line end; in ascending order C, B, A
    private static final String A = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
    private static final String B = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
    private static final String C = "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6";

    @Test
    void aFileAsTheDestinationWritesItIsCanonical() throws IOException {
        HashFileReader.Contents c = read("email_sha256\n" + C + "\n" + B + "\n" + A + "\n");
        assertEquals(List.of(C, B, A), TestHashes.hex(c.hashes()));
        assertTrue(c.canonical());
    }

    @Test
    void theSameSetInAnotherFormIsReadButNotCanonical() throws IOException {
        for (String text : List.of(
                "email_sha256\r\n" + C + "\r\n" + B + "\r\n" + A + "\r\n",
                "email_sha256\n" + C.toUpperCase() + "\n" + B + "\n" + A + "\n",
                "email_sha256\n" + A + "\n" + C + "\n" + B + "\n" + A + "\n",
                "email_sha256\n" + C + "\n\n" + B + "\n" + A + "\n",
                "email_sha256\n" + C + "\n" + B + "\n" + A)) {
            HashFileReader.Contents c = read(text);
            assertEquals(List.of(C, B, A), TestHashes.hex(c.hashes()), text);
            assertFalse(c.canonical(), text);
        }
    }

    @Test
    void anotherFormatsHeaderIsReadButNotCanonical() throws IOException {
        for (String header : List.of("Email", "email")) {
            HashFileReader.Contents c = read(header + "\n" + C + "\n" + B + "\n" + A + "\n");
            assertEquals(List.of(C, B, A), TestHashes.hex(c.hashes()), header);
            assertFalse(c.canonical(), header);
        }
        HashFileReader.Contents meta = HashFileReader.read(
                new ByteArrayInputStream(("email\n" + C + "\n").getBytes(StandardCharsets.UTF_8)), FileFormat.META);
        assertTrue(meta.canonical());
        assertThrows(IOException.class, () -> read("EMAIL\n" + C + "\n"));
    }

    @Test
    void aHeaderOnlyIsAnEmptyAudience() throws IOException {
        HashFileReader.Contents c = read("email_sha256\n");
        assertTrue(c.hashes().isEmpty());
        assertTrue(c.canonical());
    }

    @Test
    void aLineThatIsNoDigestIsNamedByItsNumberNeverByItsText() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> read("email_sha256\n" + C + "\nanna.svensson@example.se\n"));
        assertEquals("line 3 is not a SHA-256 hex digest", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read("email_sha256\n" + C.substring(1) + "g\n"));
        assertThrows(IllegalArgumentException.class, () -> read("email_sha256\n" + C + C + "\n"));
        assertThrows(IllegalArgumentException.class, () -> read("email_sha256\n" + "f".repeat(10_000) + "\n"));
    }

    @Test
    void aFileWithoutTheHeaderIsNotAnAudienceFile() {
        assertThrows(IOException.class, () -> read(""));
        assertThrows(IOException.class, () -> read(C + "\n"));
        assertThrows(IOException.class, () -> read("\uFEFFemail_sha256\n" + C + "\n"));
    }

    @Test
    void manyDigestsAcrossReadBuffersComeBackInOrder() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 5000; i++) {
            expected.add(HexFormat.of().formatHex(sha.digest(("customer-" + i).getBytes(StandardCharsets.UTF_8))));
        }
        HashFileReader.Contents c = read("email_sha256\n" + String.join("\n", expected) + "\n");
        assertEquals(new ArrayList<>(expected), TestHashes.hex(c.hashes()));
        assertTrue(c.canonical());
    }

    private static HashFileReader.Contents read(String text) throws IOException {
        return HashFileReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
