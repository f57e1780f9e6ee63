package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command line on the fixture in {@code src/test/resources/e2e}, whose expected outputs
 * were worked out by hand from the contract and cross-checked with sha256sum (see its
 * {@code expected/README.md}), and compares files byte for byte and report counts exactly.
 */
class EndToEndTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");
    private static final Path EXPECTED = FIXTURE.resolve("expected");
    private static final String AS_OF = "2026-11-22T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    static Cli.Result exporter(String command, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--config",
                FIXTURE.resolve("exporter.yaml").toString(),
                "--data",
                FIXTURE.resolve("data").toString(),
                "--audiences",
                FIXTURE.resolve("audiences").toString(),
                "--out",
                out.toString(),
                "--state",
                out.resolve("state").toString(),
                "--as-of",
                AS_OF,
                "--no-progress"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void syncWritesExactlyTheExpectedFiles() throws IOException {
        Cli.Result r = exporter("sync", out);
        assertEquals(0, r.exitCode(), r.err());

        List<Path> expected = audienceFiles(EXPECTED);
        assertEquals(expected, audienceFiles(out), "the set of audience files");
        for (Path file : expected) {
            assertArrayEquals(
                    Files.readAllBytes(EXPECTED.resolve(file)), Files.readAllBytes(out.resolve(file)), file.toString());
        }
    }

    @Test
    void belowMinSizeWritesNoFile() {
        assertEquals(0, exporter("sync", out).exitCode());
        // engaged-readers has 5 distinct google hashes against min_size 6; frequent-buyers needs 100
        assertFalse(Files.exists(out.resolve("engaged-readers/google.csv")));
        assertFalse(Files.exists(out.resolve("frequent-buyers")));
    }

    @Test
    void reportCountsMatchTheOracle() throws IOException {
        assertEquals(0, exporter("sync", out).exitCode());
        JsonNode expected = JSON.readTree(EXPECTED.resolve("report.json").toFile());
        JsonNode actual = JSON.readTree(out.resolve("report.json").toFile());

        assertEquals(AS_OF, actual.get("as_of").asText());
        assertEquals(expected.get("rejected"), actual.get("rejected"));
        expected.get("audiences").fields().forEachRemaining(e -> {
            JsonNode a = actual.get("audiences").get(e.getKey());
            assertAll(
                    e.getKey(),
                    () -> assertEquals(e.getValue().get("in_segment"), a.get("in_segment"), "in_segment"),
                    () -> assertEquals(e.getValue().get("exported"), a.get("exported"), "exported"),
                    () -> assertEquals(e.getValue().get("skipped"), a.get("skipped"), "skipped"));
        });
        assertEquals(expected.get("audiences").size(), actual.get("audiences").size());
    }

    @Test
    void everyCustomerRowIsAccountedFor() throws IOException {
        assertEquals(0, exporter("sync", out).exitCode());
        JsonNode customers = JSON.readTree(out.resolve("report.json").toFile()).get("customers");
        long skipped = 0;
        for (JsonNode n : customers.get("skipped")) {
            skipped += n.asLong();
        }
        assertEquals(
                customers.get("rows").asLong(),
                customers.get("exportable").asLong()
                        + skipped
                        + customers.get("rejected").asLong());
    }

    @Test
    void rejectsNameFileAndLine() throws IOException {
        assertEquals(0, exporter("sync", out).exitCode());
        assertEquals(fileAndLine(EXPECTED.resolve("rejects.csv")), fileAndLine(out.resolve("rejects.csv")));
    }

    @Test
    void secondSyncOfUnchangedInputChangesNothing() throws IOException {
        assertEquals(0, exporter("sync", out).exitCode());
        assertEquals(0, exporter("sync", out).exitCode());
        JsonNode destinations =
                JSON.readTree(out.resolve("report.json").toFile()).get("destinations");
        for (JsonNode d : destinations) {
            assertEquals("ok", d.get("status").asText());
            assertEquals(0, d.get("adds").asLong());
            assertEquals(0, d.get("removes").asLong());
        }
    }

    @Test
    void planWritesItsReportButNoAudienceFileNorTheSyncsReport() throws IOException {
        Cli.Result r = exporter("plan", out);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(), audienceFiles(out));
        assertFalse(Files.exists(out.resolve("report.json")), "report.json is the latest sync's");
        JsonNode report = JSON.readTree(out.resolve("plan.json").toFile());
        assertEquals("plan", report.get("command").asText());
        // gate-all would add its 21 basic hashes to an empty destination
        assertEquals(
                21, report.at("/audiences/gate-all/destinations/basic/adds").asLong());
        assertTrue(r.out().contains("gate-all"), r.out());
    }

    @Test
    void onlyLimitsTheRunToOneAudience() throws IOException {
        assertEquals(0, exporter("sync", out, "--only", "crime-buyers-90d").exitCode());
        assertEquals(List.of(Path.of("crime-buyers-90d/basic.csv")), audienceFiles(out));
        JsonNode audiences = JSON.readTree(out.resolve("report.json").toFile()).get("audiences");
        assertEquals(1, audiences.size());
    }

    private static List<Path> audienceFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getNameCount() - root.getNameCount() == 2)
                    .filter(p -> p.toString().endsWith(".csv"))
                    .map(root::relativize)
                    .sorted()
                    .toList();
        }
    }

    private static List<String> fileAndLine(Path rejects) throws IOException {
        return Files.readAllLines(rejects).stream()
                .skip(1)
                .map(line -> {
                    String[] parts = line.split(",", 3);
                    return parts[0] + "," + parts[1];
                })
                .toList();
    }
}
