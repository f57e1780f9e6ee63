package se.nestit.audience.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

/**
 * Reads the audit trail back, for {@code verify}: files of format 2 ({@link AuditTrail}) and the
 * one-entry-a-line files of earlier versions, which users' output directories still hold for as
 * long as {@code audit.keep_days}. Anything else, and a file that ends inside a line (a run cut
 * off while writing), is an error naming the file and line: a damaged trail proves nothing.
 */
public final class AuditReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditReader() {}

    /**
     * Hands over every entry of every file, oldest file first.
     *
     * @throws IllegalArgumentException naming the file and line of a line that cannot be read
     */
    public static void read(Path out, Consumer<AuditEntry> sink) {
        for (Path file : AuditTrail.files(out)) {
            long number = 0;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                if (!endsWithNewLine(file)) {
                    throw new IllegalArgumentException(
                            file + ": ends inside a line: the run that wrote it was cut off while "
                                    + "writing; its last line is not a whole entry");
                }
                String line = in.readLine();
                number++;
                if (line == null) {
                    continue;
                }
                JsonNode first = json(file, number, line);
                if (first.has("audit_trail")) {
                    new Format2(file, sink).read(first, in);
                } else {
                    do {
                        if (!line.isBlank()) {
                            sink.accept(entry(file, number, line));
                        }
                        number++;
                    } while ((line = in.readLine()) != null);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
    }

    /** Whether a file is empty or its last byte ends a line, as the writer leaves every line. */
    private static boolean endsWithNewLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    /** Whether a text is a SHA-256 digest as the trail writes it: 64 lowercase hex digits. */
    static boolean isHash(CharSequence s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode json(Path file, long number, String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException | RuntimeException e) {
            throw damaged(file, number, e);
        }
    }

    private static IllegalArgumentException damaged(Path file, long number, Exception e) {
        return new IllegalArgumentException(
                file + ": line " + number + ": not an audit entry (" + e.getMessage() + ")", e);
    }

    /** A line of the files of earlier versions: one whole entry. */
    private static AuditEntry entry(Path file, long number, String line) {
        try {
            JsonNode n = JSON.readTree(line);
            List<AuditEntry.Holder> holders = new ArrayList<>();
            for (JsonNode h : n.required("customers")) {
                String customerId = h.required("customer_id").asText();
                Map<ConsentSignal, ConsentRecord> signals = new EnumMap<>(ConsentSignal.class);
                for (ConsentSignal s : ConsentSignal.values()) {
                    JsonNode c = h.path("signals").get(s.code());
                    if (c != null) {
                        signals.put(s, consent(customerId, c));
                    }
                }
                JsonNode c = h.get("consent");
                holders.add(new AuditEntry.Holder(
                        customerId,
                        h.required("verdict").asText(),
                        c == null ? null : consent(customerId, c),
                        signals));
            }
            return new AuditEntry(
                    n.required("run_id").asText(),
                    Instant.parse(n.required("time").asText()),
                    Instant.parse(n.required("as_of").asText()),
                    n.required("destination").asText(),
                    n.required("audience").asText(),
                    n.required("operation").asText(),
                    n.required("outcome").asText(),
                    n.required("hash").asText(),
                    n.required("purpose").asText(),
                    n.required("max_age_days").asInt(),
                    holders,
                    signalPurposes(n));
        } catch (IOException | RuntimeException e) {
            throw damaged(file, number, e);
        }
    }

    private static Map<ConsentSignal, String> signalPurposes(JsonNode n) {
        Map<ConsentSignal, String> purposes = new EnumMap<>(ConsentSignal.class);
        JsonNode p = n.get("signal_purposes");
        if (p != null) {
            for (ConsentSignal s : ConsentSignal.values()) {
                purposes.put(s, p.required(s.code()).asText());
            }
        }
        return purposes;
    }

    private static ConsentRecord consent(String customerId, JsonNode c) {
        return new ConsentRecord(
                customerId,
                c.required("purpose").asText(),
                status(c.required("status").asText()),
                Instant.parse(c.required("recorded_at").asText()),
                c.path("source").asText(""),
                c.path("brand").asText(""),
                c.path("line").asLong(0));
    }

    private static ConsentStatus status(String code) {
        return ConsentStatus.parse(code).orElseThrow(() -> new IllegalArgumentException("status"));
    }

    /** One file of format 2: the header, then customer, group and hash lines in the order they were written. */
    private static final class Format2 {
        private final Path file;
        private final Consumer<AuditEntry> sink;
        /** Customer n at index n - 1. */
        private final List<AuditEntry.Holder> customers = new ArrayList<>();
        /** The same texts (verdicts, purposes, sources) shared, not held once per customer. */
        private final Map<String, String> texts = new HashMap<>();

        private AuditEntry group;
        private long number = 1;

        Format2(Path file, Consumer<AuditEntry> sink) {
            this.file = file;
            this.sink = sink;
        }

        void read(JsonNode header, BufferedReader in) throws IOException {
            AuditEntry run;
            try {
                if (header.required("audit_trail").asInt() != AuditTrail.FORMAT) {
                    throw new IllegalArgumentException(
                            "format " + header.get("audit_trail") + " is not one this version reads");
                }
                run = new AuditEntry(
                        header.required("run_id").asText(),
                        Instant.parse(header.required("time").asText()),
                        Instant.parse(header.required("as_of").asText()),
                        "",
                        "",
                        "",
                        "",
                        "",
                        header.required("purpose").asText(),
                        header.required("max_age_days").asInt(),
                        List.of());
            } catch (RuntimeException e) {
                throw damaged(file, number, e);
            }
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                try {
                    line(run, line);
                } catch (IOException | RuntimeException e) {
                    throw damaged(file, number, e);
                }
            }
        }

        private void line(AuditEntry run, String line) throws IOException {
            if (line.startsWith("{")) {
                JsonNode g = JSON.readTree(line);
                group = new AuditEntry(
                        run.runId(),
                        run.time(),
                        run.asOf(),
                        g.required("destination").asText(),
                        g.required("audience").asText(),
                        operation(g.required("operation").asText()),
                        g.required("outcome").asText(),
                        "",
                        run.purpose(),
                        run.maxAgeDays(),
                        List.of(),
                        signalPurposes(g));
            } else if (line.startsWith("[")) {
                customer(JSON.readTree(line));
            } else {
                sink.accept(hash(line));
            }
        }

        private static String operation(String op) {
            if (!op.equals("add") && !op.equals("remove")) {
                throw new IllegalArgumentException("operation " + op);
            }
            return op;
        }

        private void customer(JsonNode c) {
            int n = c.get(0).asInt();
            if (!c.get(0).isInt() || n != customers.size() + 1) {
                throw new IllegalArgumentException("customer " + c.get(0) + " where customer " + (customers.size() + 1)
                        + " was due: a line is missing");
            }
            String customerId = c.get(1).textValue();
            if (customerId == null || c.size() > 5) {
                throw new IllegalArgumentException("not a customer line");
            }
            Map<ConsentSignal, ConsentRecord> signals = new EnumMap<>(ConsentSignal.class);
            JsonNode s = c.path(4);
            for (ConsentSignal signal : ConsentSignal.values()) {
                if (s.has(signal.code())) {
                    signals.put(signal, consent(customerId, s.get(signal.code())));
                }
            }
            customers.add(new AuditEntry.Holder(
                    customerId, text(c.get(2).textValue()), consent(customerId, c.get(3)), signals));
        }

        private ConsentRecord consent(String customerId, JsonNode c) {
            if (c == null || c.isNull()) {
                return null;
            }
            if (!c.isArray() || c.size() != 6 || !c.get(5).canConvertToLong()) {
                throw new IllegalArgumentException("not a consent record");
            }
            return new ConsentRecord(
                    customerId,
                    text(c.get(0).textValue()),
                    status(c.get(1).asText()),
                    Instant.parse(c.get(2).asText()),
                    text(c.get(3).textValue()),
                    text(c.get(4).textValue()),
                    c.get(5).asLong());
        }

        private String text(String s) {
            if (s == null) {
                throw new IllegalArgumentException("a text is missing");
            }
            return texts.computeIfAbsent(s, k -> k);
        }

        /** A hash line: the digest in hex, then the numbers of its customers, each after one space. */
        private AuditEntry hash(String line) {
            if (group == null) {
                throw new IllegalArgumentException("a hash before any group line");
            }
            if (line.length() < 64 || !isHash(line.subSequence(0, 64))) {
                throw new IllegalArgumentException("not a hash line");
            }
            List<AuditEntry.Holder> holders = new ArrayList<>(1);
            int at = 64;
            while (at < line.length()) {
                int end = line.indexOf(' ', at + 1);
                end = end < 0 ? line.length() : end;
                if (line.charAt(at) != ' ' || end == at + 1) {
                    throw new IllegalArgumentException("not a hash line");
                }
                int n = Integer.parseInt(line, at + 1, end, 10);
                if (n < 1 || n > customers.size()) {
                    throw new IllegalArgumentException("customer " + n + " is named before its line");
                }
                holders.add(customers.get(n - 1));
                at = end;
            }
            AuditEntry g = group;
            return new AuditEntry(
                    g.runId(),
                    g.time(),
                    g.asOf(),
                    g.destination(),
                    g.audience(),
                    g.operation(),
                    g.outcome(),
                    line.substring(0, 64),
                    g.purpose(),
                    g.maxAgeDays(),
                    holders,
                    g.signalPurposes());
        }
    }
}
