package se.nestit.audience.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.AudiencePlan;

class FileDestinationTest {

    // sha256sum of "a", "b" and "c" without a line end
    private static final String A = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
    private static final String B = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
    private static final String C = "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6";

    private static final AudienceDefinition AUDIENCE = AudienceDefinition.orphan("buyers", "files");

    @TempDir
    Path out;

    @Test
    void writesTheHeaderThenTheDistinctHashesSorted() throws IOException {
        sync(List.of(A, B, C, A));
        assertEquals("email_sha256\n" + C + "\n" + B + "\n" + A + "\n", Files.readString(file()));
    }

    @Test
    void leavesAFileThatAlreadySaysTheSameUntouched() throws IOException {
        sync(List.of(A, B));
        Object before = identity();
        sync(List.of(B, A));
        assertEquals(before, identity(), "the file was replaced though nothing changed");
        assertEquals("email_sha256\n" + B + "\n" + A + "\n", Files.readString(file()));
    }

    @Test
    void rewritesTheSameSetWrittenInAnotherForm() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "email_sha256\n" + A.toUpperCase() + "\n\n" + B + "\n" + B + "\n");
        Object before = identity();
        sync(List.of(A, B));
        assertNotEquals(before, identity());
        assertEquals("email_sha256\n" + B + "\n" + A + "\n", Files.readString(file()));
    }

    @Test
    void rewritesWhenSomebodyLeaves() throws IOException {
        sync(List.of(A, B));
        sync(List.of(A));
        assertEquals("email_sha256\n" + A + "\n", Files.readString(file()));
    }

    @Test
    void writesEveryLineOfAnAudienceLargerThanOneWriteInOrder() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        TreeSet<String> hex = new TreeSet<>();
        for (int i = 0; i < 2500; i++) {
            hex.add(HexFormat.of().formatHex(sha.digest(("customer-" + i).getBytes(StandardCharsets.UTF_8))));
        }
        sync(List.copyOf(hex));
        assertEquals("email_sha256\n" + String.join("\n", hex) + "\n", Files.readString(file()));
    }

    /** One run: a new destination reads the file, plans against it and delivers, as sync does. */
    private void sync(List<String> hex) {
        FileDestination files = new FileDestination("files", Normalization.BASIC, out);
        SortedHashes desired = SortedHashes.ofHex(hex);
        // the orphan stand-in is add-only: everybody exportable may stay, nobody else
        files.deliver(AudiencePlan.of(AUDIENCE, "files", desired, files.current(AUDIENCE), desired));
    }

    private Path file() {
        return out.resolve("buyers").resolve("files.csv");
    }

    private Object identity() throws IOException {
        return Files.readAttributes(file(), BasicFileAttributes.class).fileKey();
    }
}
