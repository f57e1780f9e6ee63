package se.nestit.audience.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.opencsv.CSVReaderHeaderAware;
import com.opencsv.exceptions.CsvValidationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.destination.meta.LoopbackMeta;

/**
 * "Raw emails and secrets are never logged or written anywhere" (DESIGN, Report and audit), checked
 * by brute force: the sample data (plus customers whose emails differ only in case, padding and
 * Gmail spelling) goes through sync with the sample's file destinations and a meta destination on
 * the loopback Graph API, with a retried rate limit, a full refresh, an expired token whose error
 * echoes the token and the app secret, a plan and a verify; every log event at every level, the
 * standard output and error, and every file under --out and --state are then searched for every
 * email of customers.csv and suppressions.csv, and for the fake credentials. The same search
 * follows every input error with an email in the cell at fault.
 */
class NoRawEmailOrSecretLeavesTest {

    private static final Path SAMPLE = Path.of("conf/sample-data");
    private static final String AS_OF = "2026-11-22";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void noRunLeavesAnEmailOrASecretInLogsOutputOrFiles() throws IOException {
        Path data = copySampleWithLookAlikes();
        Map<String, String> texts = new LinkedHashMap<>();
        try (LoopbackMeta meta = LoopbackMeta.start()) {
            writeConfig(meta);
            try (CapturedLogs logs = new CapturedLogs(Level.ALL);
                    CapturedStreams streams = new CapturedStreams()) {
                meta.rateLimitAdds(2);
                Cli.Result first = run(texts, "sync #1 (rate limited, retried)", "sync");
                assertEquals(0, first.exitCode(), first.err() + logs.text());
                assertFalse(meta.members("nestit-crime-buyers-90d").isEmpty(), "the run reached Meta");
                assertTrue(
                        Pattern.compile(
                                        "DEBUG \\S+GraphApi meta: POST [0-9]+/users: HTTP 200, [0-9]+ bytes sent, [0-9]+ "
                                                + "bytes received, [0-9]+ ms, x-fb-trace-id FakeTrace[0-9]+\n")
                                .matcher(logs.text())
                                .find(),
                        "the debug log gives each request's size, time and trace id");

                Cli.Result refresh = run(texts, "sync #2 --full-refresh", "sync", "--full-refresh");
                assertEquals(0, refresh.exitCode(), refresh.err() + logs.text());

                withdrawConsents(data, "Z001", "Z004", "C000102");
                meta.expireTokenOnNextRead();
                Cli.Result expired = run(texts, "sync #3 (token expired)", "sync");
                assertEquals(1, expired.exitCode(), "the expired token stops the meta destination\n" + expired.err());
                assertEquals(
                        "failed",
                        report().path("destinations")
                                .path("meta")
                                .path("status")
                                .asText());

                run(texts, "plan", "plan");
                Cli.Result verify = run(texts, "verify", "verify");
                // the expired token kept the withdrawals from reaching Meta: verify names them, without an email
                assertEquals(1, verify.exitCode(), verify.out() + verify.err());
                assertTrue(verify.out().contains("consent_withdrawn"), verify.out());
                assertTrue(Files.exists(tmp.resolve("out/verify.json")));

                texts.put("log events (all levels)", logs.text());
                texts.put("System.out and System.err", streams.text());
                assertTrue(logs.size() > 0, "the runs logged something, so the search had something to search");
            }
            assertEquals(List.of(), meta.violations());
        }
        addFiles(tmp, texts);
        assertTrue(
                texts.keySet().stream().anyMatch(k -> k.startsWith("state")),
                "the state was searched: " + texts.keySet());
        assertTrue(
                texts.keySet().stream().anyMatch(k -> k.contains("crime-buyers-90d")), "audience files were searched");

        Set<String> emails = inputEmails(data);
        assertTrue(
                emails.contains("kim.case@example.se") && emails.size() > 300,
                "the input's emails were read: " + emails.size());
        List<String> leaks = new ArrayList<>();
        texts.forEach((where, text) -> leaks.addAll(findLeaks(where, text, emails)));
        assertEquals(List.of(), leaks);
    }

    /** An email where a cell of each kind goes wrong; no message about the cell may repeat it. */
    private static final String CELL = "leak.me@example.se";

    /** One broken input: the file, how it is broken, and the exit code that shows the error path was taken. */
    private record BrokenInput(String label, String file, Breakage breakage, int exitCode) {}

    private interface Breakage {
        byte[] apply(byte[] file);
    }

    /**
     * Every way an input file can be refused or a row rejected, each with {@link #CELL} in the
     * cell at fault: one sync per breakage, whose output, logs, files and exception messages are
     * all searched for it.
     */
    @Test
    void noInputErrorRepeatsTheCellAtFault() throws IOException {
        String customer = "C900," + CELL + ",Leak,Me,SE,111 22,bokhornan,2024-01-01";
        List<BrokenInput> broken = List.of(
                new BrokenInput("customers.csv without its header", "customers.csv", withoutHeader(customer), 2),
                new BrokenInput(
                        "customers.csv without its header, the email twice",
                        "customers.csv",
                        withoutHeader("C900," + CELL + "," + CELL + ",Me,SE,111 22,bokhornan,2024-01-01"),
                        2),
                new BrokenInput(
                        "a header cell twice",
                        "customers.csv",
                        header("customer_id,email," + CELL + "," + CELL + ",country,postal_code,brand,created_at"),
                        2),
                new BrokenInput(
                        "a header cell with text after its quote",
                        "customers.csv",
                        header("customer_id,\"" + CELL
                                + "\"x,first_name,last_name,country,postal_code,brand,created_at"),
                        2),
                new BrokenInput(
                        "a header cell not in UTF-8",
                        "consents.csv",
                        bytes -> concat(
                                ("customer_id,purpose,status,recorded_at,source," + CELL).getBytes(UTF_8),
                                new byte[] {(byte) 0xFF, '\n'},
                                bytes),
                        2),
                new BrokenInput("a field too many", "customers.csv", row(customer + ",extra"), 0),
                new BrokenInput("a field too few", "orders.csv", row("O900,C000102,2026-11-10T10:00:00Z," + CELL), 0),
                new BrokenInput(
                        "an invalid email",
                        "customers.csv",
                        row("C900,not an email " + CELL + ",Leak,Me,SE,111 22,bokhornan,2024-01-01"),
                        0),
                new BrokenInput(
                        "a bad created_at",
                        "customers.csv",
                        row("C900,x@example.se,Leak,Me,SE,111 22,bokhornan," + CELL),
                        0),
                new BrokenInput(
                        "a customer_id that is an email",
                        "customers.csv",
                        row(CELL + "," + CELL + ",Leak,Me,SE,111 22,bokhornan,2024-01-01"),
                        2),
                new BrokenInput(
                        "a duplicate customer_id",
                        "customers.csv",
                        row(customer + "\n" + customer.replace(CELL, "other@example.se")),
                        0),
                new BrokenInput(
                        "an unclosed quote",
                        "customers.csv",
                        row("C900,\"" + CELL + ",Leak,Me,SE,111 22,bokhornan,2024-01-01"),
                        2),
                new BrokenInput(
                        "a row not in UTF-8",
                        "customers.csv",
                        bytes -> concat(bytes, ("C900," + CELL).getBytes(UTF_8), new byte[] {(byte) 0xFF, '\n'}),
                        2),
                new BrokenInput(
                        "a bad consent status",
                        "consents.csv",
                        row("C000102,marketing," + CELL + ",2026-11-01T09:00:00Z,checkout,"),
                        0),
                new BrokenInput(
                        "a bad recorded_at",
                        "consents.csv",
                        row("C000102,marketing,granted," + CELL + ",checkout,"),
                        0),
                new BrokenInput(
                        "a consent's customer_id that is an email",
                        "consents.csv",
                        row(CELL + ",marketing,granted,2026-11-01T09:00:00Z,checkout,"),
                        2),
                new BrokenInput(
                        "consents.csv without its header",
                        "consents.csv",
                        withoutHeader(CELL + ",marketing,granted,2026-11-01T09:00:00Z,checkout,"),
                        2),
                new BrokenInput(
                        "a bad amount",
                        "orders.csv",
                        row("O900,C000102,2026-11-10T10:00:00Z,9789170001499,crime-fiction,A,1," + CELL + ",SEK"),
                        0),
                new BrokenInput(
                        "a bad quantity",
                        "orders.csv",
                        row("O900,C000102,2026-11-10T10:00:00Z,9789170001499,crime-fiction,A," + CELL + ",99.00,SEK"),
                        0),
                new BrokenInput(
                        "a bad ordered_at",
                        "orders.csv",
                        row("O900,C000102," + CELL + ",9789170001499,crime-fiction,A,1,99.00,SEK"),
                        0),
                new BrokenInput(
                        "a bad occurred_at", "events.csv", row("C000102," + CELL + ",product_view,P1,networking,"), 0),
                new BrokenInput(
                        "a consent with a field too many",
                        "consents.csv",
                        row("C000102,marketing,granted,2026-11-01T09:00:00Z,checkout,," + CELL),
                        0),
                new BrokenInput(
                        "orders.csv without its header",
                        "orders.csv",
                        withoutHeader("O900,C000102,2026-11-10T10:00:00Z,9789170001499,crime-fiction," + CELL
                                + ",1,99.00,SEK"),
                        2),
                new BrokenInput(
                        "an event with a field too many",
                        "events.csv",
                        row("C000102,2026-11-10T10:00:00Z,product_view,P1,networking,," + CELL),
                        0),
                new BrokenInput(
                        "events.csv without its header",
                        "events.csv",
                        withoutHeader("C000102,2026-11-10T10:00:00Z,product_view,P1,networking," + CELL),
                        2),
                new BrokenInput(
                        "a suppression's email that is not an address",
                        "suppressions.csv",
                        row(",not an address " + CELL + ",erasure,2026-09-14"),
                        0),
                new BrokenInput(
                        "a suppression's unreadable recorded_at",
                        "suppressions.csv",
                        row("," + CELL + ",erasure," + CELL),
                        0),
                new BrokenInput(
                        "suppressions.csv without its header",
                        "suppressions.csv",
                        withoutHeader("," + CELL + ",erasure,2026-09-14"),
                        2));

        List<String> leaks = new ArrayList<>();
        List<String> wrongExits = new ArrayList<>();
        int n = 0;
        for (BrokenInput b : broken) {
            Path dir = Files.createDirectories(tmp.resolve("broken-" + n++));
            Path data = copySample(dir);
            Files.write(data.resolve(b.file()), b.breakage().apply(Files.readAllBytes(data.resolve(b.file()))));
            Files.copy(Path.of("conf/exporter.yaml"), dir.resolve("exporter.yaml"));
            Map<String, String> texts = new LinkedHashMap<>();
            try (CapturedLogs logs = new CapturedLogs(Level.ALL);
                    CapturedStreams streams = new CapturedStreams()) {
                Cli.Result r = run(dir, texts, "sync", "sync");
                if (r.exitCode() != b.exitCode()) {
                    wrongExits.add(b.label() + ": exit " + r.exitCode() + "\n" + r.err());
                }
                texts.put("log events (all levels)", logs.text());
                texts.put("System.out and System.err", streams.text());
            }
            addFiles(dir, texts);
            texts.forEach((where, text) -> leaks.addAll(findLeaks(b.label() + ": " + where, text, Set.of(CELL))));
        }
        assertEquals(List.of(), wrongExits, "each breakage takes the error path it is meant to");
        assertEquals(List.of(), leaks);
    }

    @Test
    void theSearchFindsAnEmailInAnyCaseOrPaddingAndTheSecrets() {
        // the search itself must be able to fail, or the test above proves nothing
        Set<String> emails = Set.of(ContractOracle.basic("\u00A0Kim.Case@Example.se "));
        assertEquals(
                1,
                findLeaks("log", "customer C1 <KIM.CASE@EXAMPLE.SE> skipped", emails)
                        .size());
        assertEquals(
                1, findLeaks("log", "x" + "kim.case@example.se\u00A0y", emails).size());
        assertEquals(
                1, findLeaks("log", "Bearer " + LoopbackMeta.TOKEN, Set.of()).size());
        assertEquals(
                1,
                findLeaks("log", "secret=" + LoopbackMeta.APP_SECRET.toUpperCase(Locale.ROOT), Set.of())
                        .size());
        assertEquals(
                List.of(),
                findLeaks(
                        "log",
                        "customer C1 (" + ContractOracle.hash("basic", "kim.case@example.se") + ") skipped",
                        emails));
    }

    /** Every email cell of customers.csv and suppressions.csv, basic-normalized, and its Google and Gmail-mailbox forms. */
    private static Set<String> inputEmails(Path data) throws IOException {
        Set<String> needles = new LinkedHashSet<>();
        for (String file : List.of("customers.csv", "suppressions.csv")) {
            try (Reader in = Files.newBufferedReader(data.resolve(file), StandardCharsets.UTF_8)) {
                in.mark(1);
                if (in.read() != '\uFEFF') {
                    in.reset();
                }
                CSVReaderHeaderAware csv = new CSVReaderHeaderAware(in);
                Map<String, String> row;
                while ((row = csv.readMap()) != null) {
                    String email = row.getOrDefault("email", "");
                    for (String form : List.of(
                            ContractOracle.basic(email),
                            ContractOracle.google(email),
                            ContractOracle.gmailMailbox(email))) {
                        if (!form.isEmpty()) {
                            needles.add(form);
                        }
                    }
                }
            } catch (CsvValidationException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        return needles;
    }

    /** Where an email (in any case) or a fake credential appears in a text. */
    static List<String> findLeaks(String where, String text, Set<String> emails) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> leaks = new ArrayList<>();
        for (String email : emails) {
            int at = lower.indexOf(email);
            if (at >= 0) {
                leaks.add(where + ": email '" + email + "' in ..." + excerpt(text, at, email.length()) + "...");
            }
        }
        for (String secret : List.of(LoopbackMeta.TOKEN, LoopbackMeta.APP_SECRET)) {
            int at = lower.indexOf(secret.toLowerCase(Locale.ROOT));
            if (at >= 0) {
                leaks.add(where + ": secret in ..." + excerpt(text, at, secret.length()) + "...");
            }
        }
        return leaks;
    }

    private static String excerpt(String text, int at, int length) {
        return text.substring(Math.max(0, at - 60), Math.min(text.length(), at + length + 60))
                .replace("\n", "\\n");
    }

    // ---- set-up ----

    /**
     * The sample data plus customers whose emails differ only in case, padding or Gmail spelling,
     * all consented and buying crime fiction, so that they are exported, and one suppressed by an
     * email in another case.
     */
    private Path copySampleWithLookAlikes() throws IOException {
        Path data = copySample(tmp);
        append(
                data.resolve("customers.csv"),
                List.of(
                        "Z001,Kim.Case@Example.se,Kim,Case,SE,111 22,bokhornan,2024-01-01",
                        "Z002,kim.case@example.SE,Kim,Case,SE,111 22,bokhornan,2024-01-01",
                        "Z003,\"\u00A0 KIM.CASE@EXAMPLE.SE\t\",Kim,Case,SE,111 22,bokhornan,2024-01-01",
                        "Z004,Lo.Gmail+Promo@GoogleMail.com,Lo,Gmail,SE,111 22,bokhornan,2024-01-01",
                        "Z005,logmail@gmail.com,Lo,Gmail,SE,111 22,bokhornan,2024-01-01",
                        "Z006,Ola.Objects@Example.se,Ola,Objects,SE,111 22,bokhornan,2024-01-01"));
        List<String> consents = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (String id : List.of("Z001", "Z002", "Z003", "Z004", "Z005", "Z006")) {
            consents.add(id + ",marketing,granted,2026-11-01T09:00:00Z,checkout,");
            orders.add("ZO-" + id + "," + id
                    + ",2026-11-10T10:00:00Z,9789170001499,crime-fiction,Camilla Läckberg,1,99.00,SEK");
        }
        append(data.resolve("consents.csv"), consents);
        append(data.resolve("orders.csv"), orders);
        append(data.resolve("suppressions.csv"), List.of(",OLA.OBJECTS@example.SE,objection,2026-11-02"));
        return data;
    }

    private static Path copySample(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (Stream<Path> files = Files.list(SAMPLE)) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(f.getFileName()));
            }
        }
        return data;
    }

    /** The file with its header line replaced. */
    private static Breakage header(String line) {
        return bytes -> {
            String text = new String(bytes, UTF_8);
            return (line + text.substring(text.indexOf('\n'))).getBytes(UTF_8);
        };
    }

    /** The file without its header line, beginning with {@code row}. */
    private static Breakage withoutHeader(String row) {
        return bytes -> {
            String text = new String(bytes, UTF_8);
            return (row + text.substring(text.indexOf('\n'))).getBytes(UTF_8);
        };
    }

    /** The file with {@code rows} added at its end. */
    private static Breakage row(String rows) {
        return bytes -> concat(bytes, (rows + "\n").getBytes(UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    private static void withdrawConsents(Path data, String... ids) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(id + ",marketing,withdrawn,2026-11-20T09:00:00Z,account-settings,");
        }
        append(data.resolve("consents.csv"), rows);
    }

    private static void append(Path file, List<String> rows) throws IOException {
        Files.writeString(file, Files.readString(file) + String.join("\n", rows) + "\n");
    }

    /** The sample configuration's file destinations, plus a meta destination on the loopback Graph API. */
    private void writeConfig(LoopbackMeta meta) throws IOException {
        String sample = Files.readString(Path.of("conf/exporter.yaml"));
        assertTrue(
                sample.stripTrailing().endsWith("meta-files:  { type: file, normalization: meta }"),
                "conf/exporter.yaml ends with its destinations; this test appends one to them");
        Files.writeString(
                tmp.resolve("exporter.yaml"), sample.stripTrailing() + "\n" + meta.destinationYaml("meta", "nestit-"));
    }

    private Cli.Result run(Map<String, String> texts, String label, String command, String... more) {
        return run(tmp, texts, label, command, more);
    }

    /** Runs with {@code dir}'s exporter.yaml, data, out and state. */
    private static Cli.Result run(Path dir, Map<String, String> texts, String label, String command, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--config",
                dir.resolve("exporter.yaml").toString(),
                "--data",
                dir.resolve("data").toString(),
                "--audiences",
                "audiences",
                "--out",
                dir.resolve("out").toString(),
                "--state",
                dir.resolve("state").toString(),
                "--as-of",
                AS_OF,
                "--no-progress"));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        texts.put(label + ": standard output", r.out());
        texts.put(label + ": standard error", r.err());
        return r;
    }

    private JsonNode report() throws IOException {
        return JSON.readTree(tmp.resolve("out/report.json").toFile());
    }

    /** Every file a run left under {@code dir}'s out and state, as text. */
    private static void addFiles(Path dir, Map<String, String> texts) throws IOException {
        for (Path root : List.of(dir.resolve("out"), dir.resolve("state"))) {
            for (Path file : files(root)) {
                byte[] bytes = Files.readAllBytes(file);
                // state files are binary: search them as UTF-8 and byte for byte as Latin-1
                texts.put(dir.relativize(file) + " (UTF-8)", new String(bytes, StandardCharsets.UTF_8));
                texts.put(dir.relativize(file) + " (bytes)", new String(bytes, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** System.out and System.err, taken over while the runs go (the log's console appender is detached too). */
    private static final class CapturedStreams implements AutoCloseable {
        private final PrintStream savedOut = System.out;
        private final PrintStream savedErr = System.err;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        CapturedStreams() {
            PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            System.setOut(both);
            System.setErr(both);
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
