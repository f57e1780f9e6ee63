package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.source.InputFile;

/**
 * conf/sample-data-excel is conf/sample-data as Swedish Excel saves it ("CSV (semicolon
 * separated)"): ';' between fields, Windows-1252, CRLF, amounts with a decimal comma, and consent
 * statuses in Swedish. conf/exporter-excel.yaml reads it; both sets must give the same run.
 */
class ExcelSampleTest {

    private static final Path SAMPLE = Path.of("conf/sample-data");
    private static final Path EXCEL = Path.of("conf/sample-data-excel");
    private static final String AS_OF = "2026-11-22";
    private static final Map<String, String> STATUS_WORDS =
            Map.of("granted", "ja", "denied", "nej", "withdrawn", "återkallad");

    @TempDir
    Path tmp;

    /** Writes conf/sample-data-excel again from conf/sample-data. */
    public static void main(String[] args) throws IOException {
        writeExcelCopy(SAMPLE, EXCEL);
    }

    @Test
    void theExcelCopyIsTheSampleDataAsExcelSavesIt() throws IOException {
        writeExcelCopy(SAMPLE, tmp);
        for (InputFile f : InputFile.values()) {
            assertArrayEquals(
                    Files.readAllBytes(tmp.resolve(f.fileName())),
                    Files.readAllBytes(EXCEL.resolve(f.fileName())),
                    f.fileName() + " is out of date: run ExcelSampleTest.main from the project directory");
        }
    }

    @Test
    void theExcelCopyGivesTheSameAudiencesAndCountsAsTheSampleData() throws IOException {
        Path plain = tmp.resolve("plain");
        Path excel = tmp.resolve("excel");
        assertEquals(0, sync("conf/exporter.yaml", plain).exitCode());
        Cli.Result r = sync("conf/exporter-excel.yaml", excel);
        assertEquals(0, r.exitCode(), r.err());

        List<Path> files = audienceFiles(plain);
        assertEquals(files, audienceFiles(excel), "the same audience files");
        for (Path file : files) {
            assertArrayEquals(
                    Files.readAllBytes(plain.resolve(file)), Files.readAllBytes(excel.resolve(file)), file.toString());
        }
        assertEquals(counts(plain), counts(excel));
        assertEquals(rejectedLines(plain), rejectedLines(excel), "the same rows rejected");
    }

    /** rejects.csv's files and lines: a reason may name the dialect (a decimal comma, the status words). */
    private static List<String> rejectedLines(Path out) throws IOException {
        return Files.readAllLines(out.resolve("rejects.csv")).stream()
                .map(l -> l.replaceFirst("^([^,]*,[^,]*),.*", "$1"))
                .toList();
    }

    private static Cli.Result sync(String config, Path out) {
        return Cli.run(
                "sync",
                "--config",
                config,
                "--out",
                out.toString(),
                "--state",
                out.resolve("state").toString(),
                "--as-of",
                AS_OF,
                "--no-progress");
    }

    private static List<Path> audienceFiles(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile)
                    .map(out::relativize)
                    .filter(p -> !p.startsWith("state")
                            && !p.startsWith("audit")
                            && !p.startsWith("runs")
                            && !p.toString().endsWith(".json")
                            && !p.toString().equals("rejects.csv")
                            && !p.toString().equals("metrics.prom")
                            && !p.toString().equals("report.html"))
                    .sorted()
                    .toList();
        }
    }

    /** The report without what differs between any two runs (times, ids) or names the input's path. */
    private static JsonNode counts(Path out) throws IOException {
        ObjectNode report = (ObjectNode)
                new ObjectMapper().readTree(out.resolve("report.json").toFile());
        report.remove(List.of("run_id", "started_at", "seconds", "timings", "task_seconds", "destinations"));
        report.get("sources").forEach(s -> ((ObjectNode) s).remove("path"));
        return report;
    }

    static void writeExcelCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (InputFile f : InputFile.values()) {
            List<String[]> rows = read(from.resolve(f.fileName()));
            List<String> header = Arrays.stream(rows.get(0))
                    .map(h -> h.toLowerCase(Locale.ROOT))
                    .toList();
            int status = f == InputFile.CONSENTS ? header.indexOf("status") : -1;
            int amount = f == InputFile.ORDERS ? header.indexOf("amount") : -1;
            StringBuilder text = new StringBuilder();
            for (int r = 0; r < rows.size(); r++) {
                String[] cells = rows.get(r);
                List<String> written = new ArrayList<>();
                for (int i = 0; i < cells.length; i++) {
                    String cell = cells[i];
                    if (r > 0 && i == status) {
                        cell = swedish(cell);
                    } else if (r > 0 && i == amount) {
                        // the decimal marks trade places, so that a comma amount, bad in the sample, stays bad
                        cell = cell.replace('.', '\u0000').replace(',', '.').replace('\u0000', ',');
                    }
                    written.add(quoted(cell));
                }
                text.append(String.join(";", written)).append("\r\n");
            }
            Files.write(to.resolve(f.fileName()), windows1252(text.toString()));
        }
    }

    private static List<String[]> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "");
        try (CSVReader reader = new CSVReaderBuilder(new StringReader(text))
                .withCSVParser(new RFC4180ParserBuilder().build())
                .build()) {
            return reader.readAll();
        } catch (com.opencsv.exceptions.CsvException e) {
            throw new IOException(e);
        }
    }

    /** A status word in Swedish, in the case it was written in; a word that is none of the contract's stays. */
    private static String swedish(String cell) {
        String word = STATUS_WORDS.get(cell.strip().toLowerCase(Locale.ROOT));
        if (word == null) {
            return cell;
        }
        if (cell.equals(cell.toUpperCase(Locale.ROOT))) {
            return word.toUpperCase(Locale.ROOT);
        }
        return Character.isUpperCase(cell.charAt(0)) ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word;
    }

    private static String quoted(String cell) {
        boolean quote = cell.contains(";") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r");
        return quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    /** As Excel saves: a character Windows-1252 lacks becomes '?'. */
    private static byte[] windows1252(String text) throws CharacterCodingException {
        CharsetEncoder encoder = Charset.forName("windows-1252")
                .newEncoder()
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(new byte[] {'?'});
        ByteBuffer b = encoder.encode(CharBuffer.wrap(text));
        return Arrays.copyOf(b.array(), b.limit());
    }
}
