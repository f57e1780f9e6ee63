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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * one JSON line per hash sent, readable by the job's user only. Files older than the kept number
 * of days are deleted when a run starts: the trail holds customer_ids and hashes, which are
 * personal data too, and is kept no longer than it is needed.
 */
public final class AuditTrail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final Pattern NAME = Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2})-.*\\.jsonl");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss").withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    /** One object a line, nothing between: Jackson would put a space before every root value but the first. */
    private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);

    private final Path file;
    private OutputStream stream;
    private long lines;
    private final Map<Instant, String> runInstants = new ConcurrentHashMap<>();

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
     * Appends lines and hands them to the operating system, so that a killed process loses none
     * of them; {@link #close} forces them to disk. Several destinations write at once: each
     * encodes its batch on its own thread, and the batch is appended whole.
     */
    public void write(List<AuditEntry> entries) {
        try {
            ByteArrayOutputStream batch = new ByteArrayOutputStream(entries.size() * 640);
            try (JsonGenerator json = JSON.createGenerator(batch, JsonEncoding.UTF8)) {
                for (AuditEntry e : entries) {
                    write(json, e);
                }
            }
            append(batch, entries.size());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the audit trail (" + e.getMessage() + ")", e);
        }
    }

    private synchronized void append(ByteArrayOutputStream batch, int count) throws IOException {
        if (stream == null) {
            // owner-only from creation on; set again after, as a umask may have taken a bit away
            stream = new BufferedOutputStream(Channels.newOutputStream(Files.newByteChannel(file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), permissions(file, OWNER_FILE))), 1 << 20);
            restrict(file, OWNER_FILE);
        }
        batch.writeTo(stream);
        stream.flush();
        lines += count;
    }

    private void write(JsonGenerator json, AuditEntry e) throws IOException {
        json.writeStartObject();
        json.writeStringField("run_id", e.runId());
        json.writeStringField("time", text(e.time()));
        json.writeStringField("as_of", text(e.asOf()));
        json.writeStringField("destination", e.destination());
        json.writeStringField("audience", e.audience());
        json.writeStringField("operation", e.operation());
        json.writeStringField("outcome", e.outcome());
        json.writeStringField("hash", e.hash());
        json.writeStringField("purpose", e.purpose());
        json.writeNumberField("max_age_days", e.maxAgeDays());
        if (!e.signalPurposes().isEmpty()) {
            json.writeObjectFieldStart("signal_purposes");
            for (ConsentSignal s : ConsentSignal.values()) {
                json.writeStringField(s.code(), e.signalPurposes().get(s));
            }
            json.writeEndObject();
        }
        json.writeArrayFieldStart("customers");
        for (AuditEntry.Holder h : e.customers()) {
            json.writeStartObject();
            json.writeStringField("customer_id", h.customerId());
            json.writeStringField("verdict", h.verdict());
            if (h.consent() != null) {
                json.writeFieldName("consent");
                write(json, h.consent());
            }
            if (!h.signals().isEmpty()) {
                json.writeObjectFieldStart("signals");
                for (ConsentSignal s : ConsentSignal.values()) {
                    if (h.signals().containsKey(s)) {
                        json.writeFieldName(s.code());
                        write(json, h.signals().get(s));
                    }
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static void write(JsonGenerator json, ConsentRecord c) throws IOException {
        json.writeStartObject();
        json.writeStringField("purpose", c.purpose());
        json.writeStringField("status", c.status().code());
        json.writeStringField("recorded_at", c.recordedAt().toString());
        json.writeStringField("source", c.source());
        json.writeStringField("brand", c.brand());
        json.writeNumberField("line", c.line());
        json.writeEndObject();
    }

    /** The run's time and as-of are the same on every line: formatted once, not a million times. */
    private String text(Instant instant) {
        return runInstants.computeIfAbsent(instant, Instant::toString);
    }

    public synchronized long lines() {
        return lines;
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
            return list.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
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
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
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
