package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line on hostile input files, run in-process on a copy of the end-to-end fixture.
 * Every run must end in exit code 2 with one line that names the file and the line or path, or
 * go on with the row rejected; never a stack trace, never a hang, and never a write anywhere but
 * the output and state directories.
 *
 * <p>The job's directories sit three levels down in a sandbox, so that a path that climbs out of
 * them with {@code ..} still lands in the sandbox, where the listing after each run finds it.
 */
class HostileInputTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");

    @TempDir
    Path sandbox;

    private Path job;
    private Path config;
    private Path data;
    private Path audiences;
    private Path out;
    private Path state;

    @BeforeEach
    void copyTheFixture() throws IOException {
        job = sandbox.resolve("a/b/job");
        data = copy(FIXTURE.resolve("data"), job.resolve("data"));
        audiences = copy(FIXTURE.resolve("audiences"), job.resolve("audiences"));
        config = job.resolve("exporter.yaml");
        Files.copy(FIXTURE.resolve("exporter.yaml"), config);
        out = job.resolve("out");
        state = job.resolve("state");
    }

    /** What a run printed: its exit code, the error line, and everything on standard error (logs included). */
    private record Run(int exitCode, String error, String stderr, String stdout) {}

    /** Runs a command on the job's directories, checking what every run must do whatever the input. */
    private Run run(String command, String... more) {
        Map<Path, String> before = listing();
        List<String> args = new ArrayList<>(List.of(
                command,
                "--no-progress",
                "--config",
                config.toString(),
                "--data",
                data.toString(),
                "--audiences",
                audiences.toString(),
                "--out",
                out.toString(),
                "--state",
                state.toString(),
                "--as-of",
                "2026-11-22"));
        args.addAll(List.of(more));
        PrintStream systemErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        Cli.Result r;
        try (PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run(args.toArray(String[]::new)));
        } finally {
            System.setErr(systemErr);
        }
        String stderr = logs.toString(StandardCharsets.UTF_8) + r.err();
        assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"), "a stack trace or exception:\n" + stderr);
        assertFalse(stderr.contains("OutOfMemoryError") || stderr.contains("out of memory"), stderr);
        onlyOutAndStateChanged(before, listing());
        return new Run(r.exitCode(), r.err(), stderr, r.out());
    }

    /** Runs a command that must stop with exit code 2 and one line naming {@code file} and {@code where}. */
    private String refused(String file, String where, String command, String... more) {
        Run r = run(command, more);
        assertEquals(ExitCode.USAGE, r.exitCode(), r.stderr());
        String line = r.error();
        assertTrue(
                line.endsWith("\n") && line.indexOf('\n') == line.length() - 1 && !line.contains("\r"),
                "one line: " + line);
        assertTrue(line.startsWith("error: "), line);
        assertTrue(line.contains(file), "names " + file + ": " + line);
        assertTrue(line.contains(where), "says " + where + ": " + line);
        assertFalse(Files.exists(out.resolve("report.json")), "a refused run writes no report");
        return line;
    }

    /** Every regular file under the sandbox, with its size and time of change. */
    private Map<Path, String> listing() {
        Map<Path, String> files = new HashMap<>();
        try (Stream<Path> all = Files.walk(sandbox)) {
            for (Path p : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (!a.isDirectory()) {
                    files.put(
                            sandbox.relativize(p),
                            a.size() + "@" + a.lastModifiedTime().toInstant());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private void onlyOutAndStateChanged(Map<Path, String> before, Map<Path, String> after) {
        Path outs = sandbox.relativize(out);
        Path states = sandbox.relativize(state);
        for (Map.Entry<Path, String> f : after.entrySet()) {
            Path p = f.getKey();
            if (!f.getValue().equals(before.get(p))) {
                for (Path part : p) {
                    assertFalse(part.toString().contains(".."), "an output path with '..': " + p);
                }
                assertTrue(p.startsWith(outs) || p.startsWith(states), "written outside --out and --state: " + p);
            }
        }
        for (Path p : before.keySet()) {
            if (!after.containsKey(p)) {
                assertTrue(p.startsWith(outs) || p.startsWith(states), "deleted outside --out and --state: " + p);
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private Path dataFile(String name, byte[] content) throws IOException {
        return Files.write(data.resolve(name), content);
    }

    private Path dataFile(String name, String content) throws IOException {
        return dataFile(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path audience(String name, byte[] content) throws IOException {
        return Files.write(audiences.resolve(name), content);
    }

    private Path audience(String name, String content) throws IOException {
        return audience(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    // ---- the fixture itself, the baseline every other run is compared with

    @Test
    void theFixtureRunsCleanly() {
        Run r = run("sync");
        assertEquals(ExitCode.OK, r.exitCode(), r.stderr());
        assertTrue(Files.exists(out.resolve("gate-all/basic.csv")));
    }

    // ---- CSV

    /** Appends to a fixture file and answers the line the appended text starts on. */
    private long append(String name, byte[]... parts) throws IOException {
        Path f = data.resolve(name);
        long line = Files.readString(f).chars().filter(c -> c == '\n').count() + 1;
        Files.write(f, concat(parts), StandardOpenOption.APPEND);
        return line;
    }

    private long append(String name, String text) throws IOException {
        return append(name, utf8(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers.csv", "consents.csv", "suppressions.csv", "orders.csv", "events.csv"})
    void aCustomerIdThatIsAnEmailAddressStopsTheRunWithoutShowingIt(String file) throws IOException {
        String id = "Guest.Buyer@example.com";
        long line = append(
                file,
                switch (file) {
                    case "customers.csv" -> id + ",guest.buyer@example.com,Guest,Bokia,2026-01-01\n";
                    case "consents.csv" -> id + ",marketing,granted,2026-06-01T09:00:00Z,web,Bokia\n";
                    case "suppressions.csv" -> id + ",,erasure,2026-01-01\n";
                    case "orders.csv" -> id + ",O999,2026-11-01T10:00:00Z,crime-fiction,A,1,10.00,SEK\n";
                    default -> id + ",2026-11-10T12:00:00Z,add_to_cart,crime-fiction,https://example.se/p/9\n";
                });
        // verify reads no orders or events
        for (String command :
                file.equals("orders.csv") || file.equals("events.csv") ? List.of("sync") : List.of("sync", "verify")) {
            String error = refused(
                    data.resolve(file).toString(),
                    "line " + line + ", column 1 (customer_id): the customer_id is an " + "email address",
                    command);
            assertFalse(error.toLowerCase(Locale.ROOT).contains("guest.buyer"), "the id is never shown: " + error);
        }
    }

    @Test
    void bytesThatAreNotUtf8NameFileAndLine() throws IOException {
        long line = append("customers.csv", utf8("C90,j"), new byte[] {(byte) 0xF6}, utf8("rg@example.se,J,Bokia,\n"));
        refused(data.resolve("customers.csv").toString(), "line " + line + ": not valid UTF-8", "sync");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "EDA080", "F4908080", "FF", "E282"})
    void overlongSurrogateTooLargeAndCutOffSequencesAreNotUtf8(String hex) throws IOException {
        long line =
                append("events.csv", utf8("C01,2026-11-20,v"), HexFormat.of().parseHex(hex), utf8(",x,y\n"));
        refused(data.resolve("events.csv").toString(), "line " + line + ": not valid UTF-8", "sync");
    }

    @Test
    void utf16IsNotUtf8() throws IOException {
        Path f = dataFile(
                "consents.csv",
                concat(
                        new byte[] {(byte) 0xFF, (byte) 0xFE},
                        "customer_id,purpose,status,recorded_at\n".getBytes(StandardCharsets.UTF_16LE)));
        refused(f.toString(), "line 1: not valid UTF-8", "sync");
    }

    @Test
    void nulBytesAreCharactersThatRejectTheirRowWhereAValueIsNeeded() throws IOException {
        long line = append(
                "orders.csv",
                "C01,O1,2026-11-01T10:00:00Z\u0000,crime-fiction,A,1,1.00,SEK\n"
                        + "C01,O2,2026-11-01T10:00:00Z,crime-fiction,A,1,1.00\u0000,SEK\n"
                        + "C01,O3,2026-11-01T10:00:00Z,crime\u0000fiction,A,1,1.00,SEK\n"
                        + "\u0000,O4,2026-11-01T10:00:00Z,crime-fiction,A,1,1.00,SEK\n");
        Run r = run("sync");
        assertEquals(ExitCode.OK, r.exitCode(), r.stderr());
        String rejects = Files.readString(out.resolve("rejects.csv"));
        assertTrue(rejects.contains("orders.csv," + line + ",\"ordered_at: not a timestamp"), rejects);
        assertTrue(rejects.contains("orders.csv," + (line + 1) + ",\"amount: not a plain decimal"), rejects);
        assertFalse(rejects.contains("orders.csv," + (line + 2) + ","), rejects);
        assertFalse(rejects.contains("\u0000"), "no cell value in a reason");
    }

    @Test
    void aQuoteThatNeverClosesNamesTheLineItOpensOn() throws IOException {
        long line = append("events.csv", "C01,2026-11-20,\"view,x,y\nC02,2026-11-20,view,x,y\n");
        refused(data.resolve("events.csv").toString(), "line " + line + ": a quoted field is never closed", "sync");
    }

    @Test
    void aQuoteThatNeverClosesInTheHeaderNamesLineOne() throws IOException {
        Path f = dataFile("orders.csv", "customer_id,\"ordered_at\n");
        refused(f.toString(), "line 1: a quoted field is never closed", "sync");
    }

    @Test
    void textAfterAClosingQuoteRejectsTheRow() throws IOException {
        long line = append("events.csv", "C01,2026-11-20,\"view\"x,y,z\n");
        Run r = run("sync");
        assertEquals(ExitCode.OK, r.exitCode(), r.stderr());
        String rejects = Files.readString(out.resolve("rejects.csv"));
        assertTrue(rejects.contains("events.csv," + line + ",field 3: text after the closing quote"), rejects);
    }

    @Test
    void aFieldOfSeveralMegabytesIsRead() throws IOException {
        append(
                "events.csv",
                "C01,2026-11-20,view,x,\"" + "x,\n".repeat(2 << 20) + "\"\n" + "C02,2026-11-20,view,x,"
                        + "y".repeat(3 << 20) + "\n");
        Run r = run("sync");
        assertEquals(ExitCode.OK, r.exitCode(), r.stderr());
    }

    @Test
    void aRecordLongerThanEightMegabytesStopsTheRunAtItsLine() throws IOException {
        long line = append("events.csv", "C02,2026-11-20,view,x," + "y".repeat(9 << 20) + "\n");
        refused(data.resolve("events.csv").toString(), "line " + line + ": a record longer than 8 MB", "sync");
    }

    /**
     * Every row of a large file rejected (an export with one field too many) fits in the memory the
     * rows take to read: a run in a JVM of 96 MB (it took 160 MB), on a million rejected rows, ends normally.
     */
    @Test
    void aMillionRejectedRowsFitInASmallHeap() throws Exception {
        StringBuilder rows = new StringBuilder(32 << 20);
        for (int i = 0; i < 1_000_000; i++) {
            rows.append("C01,2026-11-20,view,x,y,one too many\n");
        }
        long first = append("events.csv", rows.toString());
        Map<Path, String> before = listing();
        Path log = sandbox.resolve("child.log");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx96m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "sync",
                        "--no-progress",
                        "--config",
                        config.toString(),
                        "--data",
                        data.toString(),
                        "--audiences",
                        audiences.toString(),
                        "--out",
                        out.toString(),
                        "--state",
                        state.toString(),
                        "--as-of",
                        "2026-11-22")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the run ends");
        } finally {
            child.destroyForcibly();
        }
        String output = Files.readString(log);
        Files.delete(log);
        // a million bad rows is a broken export: the guardrail holds every audience
        assertEquals(ExitCode.FAILED, child.exitValue(), output);
        assertTrue(output.contains("rejected_rows: events.csv: 1000002 of 1000020 rows rejected"), output);
        onlyOutAndStateChanged(before, listing());
        try (Stream<String> lines = Files.lines(out.resolve("rejects.csv"))) {
            assertEquals(
                    1_000_000,
                    lines.filter(l -> l.startsWith("events.csv,") && l.endsWith(",expected 5 fields but found 6"))
                            .count());
        }
        assertTrue(Files.readString(out.resolve("rejects.csv"))
                .contains("events.csv," + (first + 999_999) + ",expected 5 fields but found 6\n"));
    }

    @Test
    void anEmptyRequiredFileIsNamed() throws IOException {
        Path f = dataFile("customers.csv", new byte[0]);
        refused(f.toString(), "the file is empty", "sync");
    }

    @Test
    void aFileThatIsOnlyAByteOrderMarkIsEmpty() throws IOException {
        Path f = dataFile("consents.csv", BOM);
        refused(f.toString(), "the file is empty", "sync");
    }

    @Test
    void aHeaderAloneIsAFileWithoutRows() throws IOException {
        dataFile("orders.csv", "customer_id,ordered_at,category,amount");
        dataFile("events.csv", concat(BOM, utf8("customer_id,occurred_at,event,category\r\n")));
        Run r = run("sync");
        assertEquals(ExitCode.OK, r.exitCode(), r.stderr());
    }

    @Test
    void aBlankFirstLineIsAHeaderWithoutTheColumns() throws IOException {
        Path f = dataFile("customers.csv", "\ncustomer_id,billing_email\nC01,a@example.se\n");
        refused(f.toString(), "is missing from the header", "sync");
    }

    /** Line ends of every kind give the same audiences as the fixture's LF. */
    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\r", "mixed"})
    void everyKindOfLineEndReadsLikeLf(String lineEnd) throws IOException {
        Run lf = run("sync");
        assertEquals(ExitCode.OK, lf.exitCode(), lf.stderr());
        Map<Path, byte[]> expected = audienceFiles();
        String rejects = Files.readString(out.resolve("rejects.csv"));
        deleteRecursively(out);
        deleteRecursively(state);

        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                StringBuilder converted = new StringBuilder();
                int n = 0;
                for (String line : text.split("\n", -1)) {
                    if (n++ > 0) {
                        converted.append(
                                lineEnd.equals("mixed")
                                        ? List.of("\n", "\r\n", "\r").get(n % 3)
                                        : lineEnd);
                    }
                    converted.append(line);
                }
                Files.writeString(f, converted);
            }
        }
        Run other = run("sync");
        assertEquals(ExitCode.OK, other.exitCode(), other.stderr());
        Map<Path, byte[]> actual = audienceFiles();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((p, bytes) -> assertArrayEquals(bytes, actual.get(p), p.toString()));
        assertEquals(rejects, Files.readString(out.resolve("rejects.csv")), "the same rejects on the same lines");
    }

    private Map<Path, byte[]> audienceFiles() throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : all.filter(p -> p.toString().endsWith(".csv") && !p.endsWith("rejects.csv"))
                    .toList()) {
                files.put(out.relativize(p), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aDirectoryWhereAFileBelongsIsNamed() throws IOException {
        Files.delete(data.resolve("orders.csv"));
        Path f = Files.createDirectory(data.resolve("orders.csv"));
        refused(f.toString(), "not a regular file", "sync");
    }

    @Test
    void aMalformedHeaderCellStopsTheRun() throws IOException {
        Path f = dataFile(
                "customers.csv",
                "\"customer_id\"x,billing_email,first_name,brand,created_at\nC01,a@example.se,A,Bokia,\n");
        refused(f.toString(), "line 1: field 1: text after the closing quote", "sync");
    }

    @Test
    void aRepeatedHeaderCellWithALineBreakIsNamedByItsColumns() throws IOException {
        Path f = dataFile("orders.csv", "customer_id,ordered_at,\"two\nlines\",\"two\nlines\"\n");
        refused(f.toString(), "line 1, columns 3 and 4 have the same name", "sync");
    }

    @Test
    void aNamedPipeWhereAFileBelongsIsRefusedRatherThanWaitedOn() throws Exception {
        Files.delete(data.resolve("events.csv"));
        Path f = data.resolve("events.csv");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", f.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo here");
            return;
        }
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        refused(f.toString(), "not a regular file", "sync");
    }

    // ---- audience definitions

    @Test
    void anIdThatClimbsOutIsRefused() throws IOException {
        Path f = audience("evil.yaml", "id: ../../etc\nrule: { customer: { where: { brand: bokia } } }\n");
        refused(f.toString(), "id: must be lowercase letters", "sync");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..yaml", ".yaml", "...yml", "ETC.yaml", "a b.yaml", "a\nb.yaml", "a\u001b[2Jb.yaml"})
    void aFileNameThatIsNoIdIsRefused(String name) throws IOException {
        Path f = audience(name, "rule: { customer: { where: { brand: bokia } } }\n");
        String line = refused(Main.oneLine(f.toString()), "the file name does not make a valid id", "sync");
        assertFalse(line.contains("\u001b"), "no terminal escape: " + line);
    }

    @Test
    void aDestinationThatClimbsOutIsUnknown() throws IOException {
        Path f =
                audience("evil.yaml", "destinations: [../../basic]\nrule: { customer: { where: { brand: bokia } } }\n");
        refused(f.toString(), "destinations[0]: unknown destination", "sync");
    }

    @Test
    void anOnlyThatClimbsOutIsUnknown() {
        refused("--only", "unknown audience ../../etc", "sync", "--only", "../../etc");
    }

    @Test
    void anAliasBombIsRefusedAtItsFirstAnchor() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            String ref = "*" + (char) (c - 1);
            bomb.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [")
                    .append(String.join(", ", Collections.nCopies(9, ref)))
                    .append("]\n");
        }
        Path f = audience("bomb.yaml", bomb.toString());
        refused(f.toString(), "a: anchors and aliases", "sync");
    }

    @Test
    void deepNestingIsRefused() throws IOException {
        Path f = audience(
                "deep.yaml",
                "rule: " + "{not: ".repeat(50_000) + "{customer: {where: {brand: bokia}}}" + "}".repeat(50_000) + "\n");
        refused(f.toString(), "nested deeper than", "sync");
    }

    @Test
    void aHugeDefinitionIsRefusedUnread() throws IOException {
        Path f = audience("huge.yaml", "description: " + "x".repeat(4 << 20) + "\n");
        refused(f.toString(), "larger than", "sync");
    }

    @Test
    void aDefinitionThatIsNotUtf8IsRefused() throws IOException {
        Path f = audience(
                "latin1.yaml",
                "description: K\u00f6p\nrule: { customer: { where: { brand: bokia } } }\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
        refused(f.toString(), "line 1: not valid UTF-8", "sync");
    }

    @Test
    void aUtf16DefinitionIsRefused() throws IOException {
        Path f = audience(
                "utf16.yaml",
                concat(
                        new byte[] {(byte) 0xFF, (byte) 0xFE},
                        "rule: { customer: { where: { brand: bokia } } }\n".getBytes(StandardCharsets.UTF_16LE)));
        refused(f.toString(), "line 1: not valid UTF-8", "sync");
    }

    @Test
    void binaryGarbageAsADefinitionIsRefused() throws IOException {
        Random random = new Random(6);
        for (int i = 0; i < 5; i++) {
            byte[] garbage = new byte[1 + random.nextInt(4096)];
            random.nextBytes(garbage);
            Path f = audience("garbage.yaml", garbage);
            refused(f.toString(), ": ", "plan");
        }
    }

    @Test
    void yamlThatDoesNotParseIsRefusedOnOneLineWithoutQuotingTheFile() throws IOException {
        Path f = audience("broken.yaml", "rule:\n  customer: {where: {brand: bokia}}\n - x: 1\n\t\n");
        String line = refused(f.toString(), "not valid YAML (line ", "sync");
        assertFalse(line.contains("where"), "the file's text is not quoted: " + line);
    }

    @Test
    void aDuplicateKeyIsRefused() throws IOException {
        Path f = audience(
                "twice.yaml",
                "rule: { customer: { where: { brand: bokia } } }\nrule: { customer: { where: { brand: x } } }\n");
        refused(f.toString(), "rule: appears twice (line 2)", "sync");
    }

    @Test
    void aKeyWithALineBreakIsNamedOnOneLine() throws IOException {
        Path f = audience("key.yaml", "\"rule\\nid\": 1\nrule: { customer: { where: { brand: bokia } } }\n");
        refused(f.toString(), "rule\\nid: unknown key", "sync");
    }

    // ---- the config

    @Test
    void aDestinationIdThatClimbsOutIsRefused() throws IOException {
        Files.writeString(config, "destinations:\n  ../../x: { type: file }\n");
        refused(config.toString(), "a destination id is letters, digits", "sync");
    }

    @Test
    void binaryGarbageAsTheConfigIsRefused() throws IOException {
        byte[] garbage = new byte[2048];
        new Random(7).nextBytes(garbage);
        Files.write(config, garbage);
        refused(config.toString(), ": ", "sync");
    }

    @Test
    void aConfigPathWithANulCharacterIsRefused() throws IOException {
        Files.writeString(config, "state: \"st\\0ate\"\n");
        refused(config.toString(), "state: not a path", "sync");
    }
}
