package se.nestit.audience.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.opencsv.ICSVWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

/** What the Spark build writes of a hash's customers is what {@code sync --desired} reads back. */
class HolderFileTest {

    private static final String HASH = ContractOracle.sha256Hex("anna@example.se");
    private static final String OTHER = ContractOracle.sha256Hex("bertil@example.se");

    @Property(tries = 300)
    void anyCustomerIdAndConsentCellComeBackAsWritten(
            @ForAll("cells") String customerId, @ForAll("cells") String source, @ForAll("cells") String brand)
            throws IOException {
        ConsentRecord consent = new ConsentRecord(
                customerId,
                "marketing",
                ConsentStatus.GRANTED,
                Instant.parse("2026-06-01T09:00:00Z"),
                source,
                brand,
                7);

        HolderFile read = written(
                HolderFile.line(HASH, customerId, 3, "exportable", consent),
                HolderFile.line(OTHER, "C2", 2, "exportable", null));

        assertEquals(List.of(new AuditEntry.Holder(customerId, "exportable", consent)), read.find(hex(HASH)));
        assertEquals(
                List.of(new AuditEntry.Holder("C2", "exportable", null)),
                read.find(hex(OTHER)),
                "the next line is intact");
    }

    @Test
    void aBackslashIsACharacterLikeAnyOther() throws IOException {
        // opencsv's default parser read C\001 as C001, and a trailing \ swallowed the separator after it
        HolderFile read = written(
                HolderFile.line(HASH, "C\\001", 2, "exportable", null),
                HolderFile.line(HASH, "C2\\", 1, "exportable", null));

        assertEquals(
                List.of(
                        new AuditEntry.Holder("C2\\", "exportable", null),
                        new AuditEntry.Holder("C\\001", "exportable", null)),
                read.find(hex(HASH)),
                "in customers.csv order");
    }

    @Test
    void lineBreaksInsideACellAreKeptAsWritten() throws IOException {
        // an empty line inside quotes ended opencsv's reader that keeps carriage returns; the other drops them
        HolderFile read = written(HolderFile.line(HASH, "C\r\n\n1\r", 1, "exportable", null));

        assertEquals(List.of(new AuditEntry.Holder("C\r\n\n1\r", "exportable", null)), read.find(hex(HASH)));
    }

    @Provide
    Arbitrary<String> cells() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('\\', '"', ',', '\r', '\n', '\t', 'å')
                .ofMaxLength(12);
    }

    private static HolderFile written(String[]... lines) throws IOException {
        Path file = Files.createTempFile("holders", ".csv.gz");
        try {
            try (Writer w =
                    new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
                ICSVWriter csv = HolderFile.writer(w);
                for (String[] line : lines) {
                    csv.writeNext(line, false);
                }
                csv.flush();
            }
            return HolderFile.read(file);
        } finally {
            Files.delete(file);
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
