package se.nestit.audience.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.io.AtomicFiles;
import se.nestit.audience.source.ConsentRecord;

/**
 * The record that proves the consent behind every hash handed to a destination (GDPR art. 7(1):
 * the controller must be able to demonstrate consent): {@code <out>/audit/audit-<date>-<time>-<run>.jsonl},
 * readable by the job's user only. Files older than the kept number of days are deleted when a run
 * starts: the trail holds customer_ids and hashes, which are personal data too, and is kept no
 * longer than it is needed.
 *
 * <p>A file says each thing once (format 2, read by {@link AuditReader}): a run header first; a
 * customer with the verdict and consent record behind their hashes before the first hash that names
 * them; a group line (destination, audience, operation, outcome) before the hashes it is about; and
 * one short line per hash with the numbers of its customers. Lines are appended in that order under
 * one lock, so any run of whole lines is a proof of what it lists.
 */
public final class AuditTrail implements AutoCloseable {

    /** The format this class writes: the header's {@code audit_trail}. */
    public static final int FORMAT = 2;

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final Pattern NAME = Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2})-.*\\.jsonl");
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss").withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    /** One value a line, nothing between: Jackson would put a space before every root value but the first. */
    private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);

    private final Path file;
    private OutputStream stream;
    private long entries;
    /** The run's fields, from the first entry: every later entry must share them. */
    private AuditEntry run;

    private Group group;
    /** The hash line being composed: the hash, its customers' numbers, the line's end. */
    private char[] line = new char[128];
    /** The customers named in this file, by customer_id. */
    private final Map<String, Numbered> customers = new HashMap<>();

    private int named;
    private boolean broken;

    private AuditTrail(Path file) {
        this.file = file;
    }

    /** The trail's directory under an output directory. */
    public static Path directory(Path out) {
        return out.resolve("audit");
    }

    /**
     * Prepares this run's file (created on the first line) after deleting files older than
     * {@code keepDays}.
     */
    public static AuditTrail open(Path out, String runId, Instant started, int keepDays) {
        Path dir = directory(out);
        try {
            createPrivateDirectory(dir);
            deleteOlderThan(dir, started, keepDays);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot prepare the audit trail (" + e.getMessage() + ")", e);
        }
        return new AuditTrail(dir.resolve("audit-" + FILE_TIME.format(started) + "-" + runId + ".jsonl"));
    }

    public Path file() {
        return file;
    }

    /**
     * Appends a batch whole and hands it to the operating system, so that a killed process loses
     * none of it; {@link #close} forces the file to disk. Several destinations write at once: a
     * batch is encoded and appended under one lock, which keeps every customer line before the
     * hashes that name it and every group line before its hashes.
     *
     * @throws IllegalArgumentException for an entry of another run than the first entry's
     */
    public synchronized void write(List<AuditEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (broken) {
            throw new IllegalStateException(
                    file + ": an earlier write to the audit trail failed; nothing more is written to it");
        }
        AuditEntry first = run == null ? batch.get(0) : run;
        batch.forEach(e -> check(first, e));
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 96);
            try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
                if (run == null) {
                    run = first;
                    writeHeader(json, run);
                }
                for (AuditEntry e : batch) {
                    write(json, e);
                }
            }
            append(bytes);
            entries += batch.size();
        } catch (IOException e) {
            // the customers and the group this batch named may be missing from the file: a later
            // hash line would be read under another group, so nothing more is written
            broken = true;
            throw new UncheckedIOException(file + ": cannot write the audit trail (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    /** An entry must be of the file's run and carry a hash in hex, checked before anything of its batch is written. */
    private static void check(AuditEntry run, AuditEntry e) {
        if (!e.runId().equals(run.runId())
                || !e.time().equals(run.time())
                || !e.asOf().equals(run.asOf())
                || !e.purpose().equals(run.purpose())
                || e.maxAgeDays() != run.maxAgeDays()) {
            throw new IllegalArgumentException("an entry of run " + e.runId() + " in the trail of run " + run.runId());
        }
        if (!AuditReader.isHash(e.hash())) {
            throw new IllegalArgumentException(
                    "an entry of " + e.destination() + "/" + e.audience() + " without a SHA-256 hash in hex");
        }
    }

    private void append(ByteArrayOutputStream bytes) throws IOException {
        if (stream == null) {
            // owner-only from creation on; set again after, as a umask may have taken a bit away
            stream = new BufferedOutputStream(
                    Channels.newOutputStream(Files.newByteChannel(
                            file,
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            permissions(file, OWNER_FILE))),
                    1 << 20);
            restrict(file, OWNER_FILE);
        }
        bytes.writeTo(stream);
        stream.flush();
    }

    /**
     * A customer's number in the file and what it stands for; {@code other} is the same customer
     * named otherwise (with the records behind Google's signals, at a Google destination).
     */
    private record Numbered(AuditEntry.Holder holder, int number, Numbered other) {}

    /** What a group line says: the hashes after it until the next group line share it. */
    private record Group(
            String destination,
            String audience,
            String operation,
            String outcome,
            Map<ConsentSignal, String> signalPurposes) {

        boolean of(AuditEntry e) {
            return destination.equals(e.destination())
                    && audience.equals(e.audience())
                    && operation.equals(e.operation())
                    && outcome.equals(e.outcome())
                    && signalPurposes.equals(e.signalPurposes());
        }
    }

    private void write(JsonGenerator json, AuditEntry e) throws IOException {
        // the hash line is composed first: its customers' lines, when new, go before it
        e.hash().getChars(0, 64, line, 0);
        int length = 64;
        for (AuditEntry.Holder h : e.customers()) {
            line[length++] = ' ';
            length = digits(number(json, h), length);
        }
        line[length++] = '\n';
        if (group == null || !group.of(e)) {
            group = new Group(e.destination(), e.audience(), e.operation(), e.outcome(), e.signalPurposes());
            writeGroup(json, group);
        }
        json.writeRaw(line, 0, length);
    }

    /** Writes a customer number into the line at {@code at}, giving the length after it. */
    private int digits(int n, int at) {
        if (line.length - at < 12) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        int end = at + 1;
        for (int rest = n / 10; rest > 0; rest /= 10) {
            end++;
        }
        for (int i = end - 1; i >= at; i--, n /= 10) {
            line[i] = (char) ('0' + n % 10);
        }
        return end;
    }

    /** The customer's number, writing their line first when this file has not named them so yet. */
    private int number(JsonGenerator json, AuditEntry.Holder h) throws IOException {
        Numbered known = customers.get(h.customerId());
        for (Numbered k = known; k != null; k = k.other()) {
            if (k.holder().equals(h)) {
                return k.number();
            }
        }
        int n = ++named;
        customers.put(h.customerId(), new Numbered(h, n, known));
        json.writeStartArray();
        json.writeNumber(n);
        json.writeString(h.customerId());
        json.writeString(h.verdict());
        write(json, h.consent());
        if (!h.signals().isEmpty()) {
            json.writeStartObject();
            for (ConsentSignal s : ConsentSignal.values()) {
                if (h.signals().containsKey(s)) {
                    json.writeFieldName(s.code());
                    write(json, h.signals().get(s));
                }
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeRaw('\n');
        return n;
    }

    private static void writeHeader(JsonGenerator json, AuditEntry run) throws IOException {
        json.writeStartObject();
        json.writeNumberField("audit_trail", FORMAT);
        json.writeStringField("run_id", run.runId());
        json.writeStringField("time", run.time().toString());
        json.writeStringField("as_of", run.asOf().toString());
        json.writeStringField("purpose", run.purpose());
        json.writeNumberField("max_age_days", run.maxAgeDays());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static void writeGroup(JsonGenerator json, Group g) throws IOException {
        json.writeStartObject();
        json.writeStringField("destination", g.destination());
        json.writeStringField("audience", g.audience());
        json.writeStringField("operation", g.operation());
        json.writeStringField("outcome", g.outcome());
        if (!g.signalPurposes().isEmpty()) {
            json.writeObjectFieldStart("signal_purposes");
            for (ConsentSignal s : ConsentSignal.values()) {
                json.writeStringField(s.code(), g.signalPurposes().get(s));
            }
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /** A consent record as an array: purpose, status, recorded_at, source, brand, line; null for none. */
    private static void write(JsonGenerator json, ConsentRecord c) throws IOException {
        if (c == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        json.writeString(c.purpose());
        json.writeString(c.status().code());
        json.writeString(c.recordedAt().toString());
        json.writeString(c.source());
        json.writeString(c.brand());
        json.writeNumber(c.line());
        json.writeEndArray();
    }

    /** The entries written so far. */
    public synchronized long entries() {
        return entries;
    }

    /** Flushes the file to disk: the trail must outlive a crash right after the run. */
    @Override
    public synchronized void close() {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot finish the audit trail (" + e.getMessage() + ")", e);
        }
    }

    /** The trail's files, oldest first. */
    public static List<Path> files(Path out) {
        Path dir = directory(out);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteOlderThan(Path dir, Instant now, int keepDays) throws IOException {
        LocalDate oldestKept = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(keepDays);
        for (Path p : files(dir.getParent())) {
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (m.matches() && LocalDate.parse(m.group(1)).isBefore(oldestKept)) {
                Files.delete(p);
                log.info("{}: deleted, older than the {} days the audit trail is kept", p, keepDays);
            }
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            restrict(dir, OWNER_DIR);
            return;
        }
        AtomicFiles.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, permissions(dir, OWNER_DIR));
        } catch (FileAlreadyExistsException e) {
            // created meanwhile: fine, restrict it below
        }
        restrict(dir, OWNER_DIR);
    }

    private static FileAttribute<?>[] permissions(Path p, Set<PosixFilePermission> perms) {
        return posix(p)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)}
                : new FileAttribute<?>[0];
    }

    private static void restrict(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (posix(p)) {
            Files.setPosixFilePermissions(p, perms);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
