package se.nestit.audience.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.AudiencePlan;

/** The {@code format} of a file destination: the bytes each upload form is given. */
class FileFormatTest {

    // sha256sum of "a" and "b" without a line end; in ascending order B, A
    private static final String A = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
    private static final String B = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";

    private static final AudienceDefinition AUDIENCE = AudienceDefinition.orphan("buyers", "files");

    @TempDir
    Path out;

    private static DestinationSettings settings(String yaml) {
        return new DestinationSettings("files", "file", YamlNode.parse("exporter.yaml", yaml));
    }

    private String written(String yaml) throws IOException {
        FileDestination files = FileDestination.fromSettings(settings(yaml), out);
        SortedHashes desired = SortedHashes.ofHex(List.of(A, B));
        files.deliver(AudiencePlan.of(AUDIENCE, "files", desired, files.current(AUDIENCE), desired));
        return Files.readString(out.resolve("buyers").resolve("files.csv"));
    }

    @Test
    void plainIsTheDefaultAndUnchanged() throws IOException {
        assertEquals("email_sha256\n" + B + "\n" + A + "\n", written("type: file\n"));
        assertEquals("email_sha256\n" + B + "\n" + A + "\n", written("type: file\nformat: plain\n"));
    }

    @Test
    void googleAdsHasCustomerMatchsEmailHeader() throws IOException {
        assertEquals("Email\n" + B + "\n" + A + "\n", written("type: file\nformat: google-ads\n"));
    }

    @Test
    void metaHasTheCustomerListsEmailHeader() throws IOException {
        assertEquals("email\n" + B + "\n" + A + "\n", written("type: file\nformat: meta\n"));
    }

    @Test
    void aChangedFormatRewritesAFileWhoseHashesAreTheSame() throws IOException {
        written("type: file\n");
        assertEquals("Email\n" + B + "\n" + A + "\n", written("type: file\nformat: google-ads\n"));
        assertEquals("email_sha256\n" + B + "\n" + A + "\n", written("type: file\nformat: plain\n"));
    }

    @Test
    void aFileInAnyFormatReadsBackItsHashes() throws IOException {
        written("type: file\nformat: meta\n");
        assertEquals(
                SortedHashes.ofHex(List.of(A, B)),
                FileDestination.read(out.resolve("buyers").resolve("files.csv")));
    }

    @Test
    void theNormalizationDefaultsToTheFormatsNetwork() {
        assertEquals(Normalization.BASIC, FileDestination.normalization(settings("type: file\n")));
        assertEquals(Normalization.GOOGLE, FileDestination.normalization(settings("type: file\nformat: google-ads\n")));
        assertEquals(Normalization.META, FileDestination.normalization(settings("type: file\nformat: meta\n")));
        assertEquals(
                Normalization.BASIC,
                FileDestination.normalization(settings("type: file\nformat: google-ads\nnormalization: basic\n")));
    }

    @Test
    void anUnknownFormatIsADefinitionErrorNamingTheKnownOnes() {
        DefinitionException e = assertThrows(
                DefinitionException.class,
                () -> FileDestination.fromSettings(settings("type: file\nformat: csv\n"), out));
        assertEquals("exporter.yaml: format: expected one of plain, google-ads, meta (line 2)", e.getMessage());
        assertThrows(
                DefinitionException.class, () -> FileDestination.normalization(settings("type: file\nformat: Meta\n")));
    }
}
