package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's orders.csv has one amount written {@code 12,50} (line 1549): an audience that compares
 * amounts rejects its row, one that does not counts the row and reports the cell as unread.
 */
class UnreadCellsTest {

    @TempDir
    Path out;

    private JsonNode sync(String audience) throws IOException {
        Cli.Result r = Cli.run(
                "sync",
                "--config",
                "conf/exporter.yaml",
                "--only",
                audience,
                "--out",
                out.toString(),
                "--state",
                out.resolve("state").toString(),
                "--as-of",
                "2026-11-22",
                "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(out.resolve("report.json").toFile());
    }

    @Test
    void anAmountNoSelectedAudienceComparesIsCountedAsUnreadAndItsRowCounts() throws IOException {
        JsonNode orders = sync("crime-buyers-90d").get("sources").get("orders.csv");

        assertEquals(2, orders.get("rejected").asLong(), "the bad timestamps only");
        assertEquals(1, orders.get("unread").get("amount").asLong());
        assertFalse(Files.readString(out.resolve("rejects.csv")).contains("orders.csv,1549,"));
    }

    @Test
    void anAmountAnAudienceComparesWithMinAmountRejectsItsRow() throws IOException {
        JsonNode orders = sync("lapsed-high-value").get("sources").get("orders.csv");

        assertEquals(3, orders.get("rejected").asLong());
        assertNull(orders.get("unread"), orders.toString());
        assertTrue(Files.readString(out.resolve("rejects.csv"))
                .contains("orders.csv,1549,\"amount: not a plain decimal number"));
    }

    /** An audience of big order lines, by a range on the amount column, in a directory of its own. */
    private Path bigSpenders() throws IOException {
        Path audiences = Files.createDirectories(out.resolve("audiences"));
        Files.writeString(
                audiences.resolve("big-lines.yaml"),
                "min_size: 0\n" + "rule:\n  purchased: { where: { amount: { gte: 300 } } }\n");
        return audiences;
    }

    private Cli.Result syncBig(String config, Path to) throws IOException {
        return Cli.run(
                "sync",
                "--config",
                config,
                "--audiences",
                bigSpenders().toString(),
                "--out",
                to.toString(),
                "--state",
                to.resolve("state").toString(),
                "--as-of",
                "2026-11-22",
                "--no-progress");
    }

    @Test
    void aRangeOnTheAmountReadsItSoAnUnreadableAmountRejectsItsRow() throws IOException {
        Cli.Result r = syncBig("conf/exporter.yaml", out.resolve("plain"));

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(out.resolve("plain/rejects.csv"))
                .contains("orders.csv,1549,\"amount: not a plain decimal number"));
    }

    @Test
    void aRangeOnTheAmountComparesDecimalCommaAmountsAsTheirValue() throws IOException {
        Cli.Result plain = syncBig("conf/exporter.yaml", out.resolve("plain"));
        Cli.Result excel = syncBig("conf/exporter-excel.yaml", out.resolve("excel"));

        assertEquals(0, plain.exitCode(), plain.err());
        assertEquals(0, excel.exitCode(), excel.err());
        Path file = Path.of("big-lines", "files.csv");
        assertTrue(Files.readAllLines(out.resolve("plain").resolve(file)).size() > 1, "the range selects someone");
        assertEquals(
                -1,
                Files.mismatch(
                        out.resolve("plain").resolve(file), out.resolve("excel").resolve(file)));
    }
}
