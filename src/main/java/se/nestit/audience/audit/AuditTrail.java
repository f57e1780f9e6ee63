package se.nestit.audience.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.identity.SortedHashes;
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

    /** Composed lines are handed to the operating system at the latest when this many bytes wait. */
    private static final int APPEND_AT = 1 << 20;
    /** Hash lines whose customers' numbers are looked up at once: their keys stay in the caches until composed. */
    private static final int BATCH = 256;

    private final Path file;
    private OutputStream stream;
    private long entries;
    /** The run of the first write: every later write must be of it. */
    private Run run;
    /** The customers of the first write: the keys of one source mean one thing. */
    private Holders holders;

    private Group group;
    /** Lines composed but not yet appended to the file. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(APPEND_AT + (APPEND_AT >> 2));
    /** Writes the header, customer and group lines into {@link #pending}. */
    private final JsonGenerator json;

    private boolean jsonPending;
    private final Lines lines = new Lines();
    /** The hash line being composed: the hash in hex, its customers' numbers, the line's end. */
    private byte[] line = new byte[128];
    /** Per holder key, the customer's number in this file, 0 while not named. */
    private int[] numbers = new int[1024];
    /** The numbers of the keys of the hash lines being written, as looked up before them; 0 for not named then. */
    private int[] known = new int[1024];

    private int named;
    private boolean broken;
    /** Writes consent times without a formatter object per line. */
    private final InstantText times = new InstantText();

    private AuditTrail(Path file) {
        this.file = file;
        try {
            this.json = JSON.createGenerator(pending, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON into memory", e);
        }
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

    /** What every line of a run's trail shares: written once, in the header. */
    public record Run(String runId, Instant time, Instant asOf, String purpose, int maxAgeDays) {
        public Run {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(asOf, "asOf");
            Objects.requireNonNull(purpose, "purpose");
        }
    }

    /**
     * What a group line says: the hashes after it until the next group line share it.
     *
     * @param signalPurposes at a Google destination, the purpose each of Google's consent signals
     *     was decided on; empty elsewhere
     */
    public record Group(
            String destination,
            String audience,
            String operation,
            String outcome,
            Map<ConsentSignal, String> signalPurposes) {
        public Group {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(outcome, "outcome");
            signalPurposes = signalPurposes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(signalPurposes));
        }
    }

    /**
     * The customers behind the hashes, each under a key of its source's choosing (at least 0, small
     * and dense): one key for equal holders, so the trail names each once and then by its number.
     */
    public interface Holders {
        /** The holder behind a key: asked once, when the trail first names it. */
        AuditEntry.Holder holder(int key);
    }

    /** Writes hash lines; only valid inside the {@link #write} that hands it over. */
    @FunctionalInterface
    public interface Body {
        void writeTo(Lines lines);
    }

    /** Where a {@link Body} writes its hash lines. */
    public final class Lines {
        private Lines() {}

        /**
         * A hash line: hash {@code index} of {@code hashes} in hex and the numbers of its
         * customers, the customer lines of those not named yet before it and the group line
         * before it when the line before was of another group.
         *
         * @param keys the customers' keys in {@code keys[from..to)}
         */
        public void hash(Group g, SortedHashes hashes, int index, int[] keys, int from, int to) {
            try {
                known(keys, from, to);
                AuditTrail.this.hash(g, hashes, index, keys, from, to, from);
            } catch (IOException e) {
                throw new WriteFailed(e);
            }
        }

        /**
         * The hash lines of every hash of a set, as {@link #hash} writes each.
         *
         * @param groups the group of hash {@code i} of {@code hashes}
         * @param ends hash {@code i}'s customers' keys are {@code keys[ends[i - 1]..ends[i])}, from 0 for the first
         */
        public void hashes(Group[] groups, SortedHashes hashes, int[] keys, int[] ends) {
            try {
                for (int from = 0; from < hashes.size(); from += BATCH) {
                    int to = Math.min(from + BATCH, hashes.size());
                    int first = from == 0 ? 0 : ends[from - 1];
                    known(keys, first, ends[to - 1]);
                    for (int i = from; i < to; i++) {
                        AuditTrail.this.hash(groups[i], hashes, i, keys, i == 0 ? 0 : ends[i - 1], ends[i], first);
                    }
                }
            } catch (IOException e) {
                throw new WriteFailed(e);
            }
        }
    }

    /** The trail's own write failed, told apart from a failure of whatever the body reads. */
    private static final class WriteFailed extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        WriteFailed(IOException cause) {
            super(cause);
        }
    }

    /**
     * Writes what {@code body} hands over, appended whole and handed to the operating system, so
     * that a killed process loses none of it; {@link #close} forces the file to disk. Several
     * destinations write at once: one write holds the trail's lock throughout, which keeps every
     * customer line before the hashes that name it and every group line before its hashes.
     *
     * @throws IllegalArgumentException for another run than the first write's, or other holders;
     *     nothing is written then
     */
    public synchronized void write(Run of, Holders by, Body body) {
        if (broken) {
            throw new IllegalStateException(
                    file + ": an earlier write to the audit trail failed; nothing more is written to it");
        }
        if (run != null && !run.equals(of)) {
            throw new IllegalArgumentException("an entry of run " + of.runId() + " in the trail of run " + run.runId());
        }
        if (holders != null && holders != by) {
            throw new IllegalArgumentException("the trail of run " + run.runId() + " numbers another run's customers");
        }
        try {
            if (run == null) {
                run = of;
                holders = by;
                writeHeader(json, run);
                jsonPending = true;
            }
            body.writeTo(lines);
            append();
        } catch (WriteFailed e) {
            // the customers and the group this write named may be missing from the file: a later
            // hash line would be read under another group, so nothing more is written
            broken = true;
            IOException cause = e.getCause();
            throw new UncheckedIOException(file + ": cannot write the audit trail (" + cause.getMessage() + ")", cause);
        } catch (IOException e) {
            broken = true;
            throw new UncheckedIOException(file + ": cannot write the audit trail (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    /**
     * Looks up the numbers of the customers {@code keys[from..to)} into {@link #known}, in a loop
     * whose loads do not wait for each other: the keys of sorted hashes jump about {@link #numbers},
     * megabytes at 1M customers, and the processor overlaps the cache misses of such a loop where
     * composing a line between them would take one after the other.
     */
    private void known(int[] keys, int from, int to) {
        if (known.length < to - from) {
            known = new int[Math.max(to - from, 2 * known.length)];
        }
        for (int k = from; k < to; k++) {
            int key = keys[k];
            if (key >= numbers.length) {
                numbers = Arrays.copyOf(numbers, Math.max(key + 1, numbers.length * 2));
            }
            known[k - from] = numbers[key];
        }
    }

    /** @param first the place in {@code keys} whose number {@code known[0]} holds */
    private void hash(Group g, SortedHashes hashes, int index, int[] keys, int from, int to, int first)
            throws IOException {
        // the hash line is composed first: its customers' lines, when new, go before it
        if (line.length < 65 + 12 * (to - from)) {
            line = new byte[65 + 12 * (to - from)];
        }
        hashes.hex(index, line, 0);
        int length = 64;
        for (int k = from; k < to; k++) {
            int n = known[k - first];
            line[length++] = ' ';
            // 0 when not named at the look-up: named since by an earlier line, or named now
            length = digits(n != 0 ? n : number(keys[k]), length);
        }
        line[length++] = '\n';
        if (!g.equals(group)) {
            group = g;
            writeGroup(json, g);
            jsonPending = true;
        }
        if (jsonPending) {
            json.flush();
            jsonPending = false;
        }
        pending.write(line, 0, length);
        entries++;
        if (pending.size() >= APPEND_AT) {
            append();
        }
    }

    /** Hands the composed lines to the operating system: whole lines only. */
    private void append() throws IOException {
        json.flush();
        jsonPending = false;
        if (pending.size() == 0) {
            return;
        }
        if (stream == null) {
            // owner-only from creation on; set again after, as a umask may have taken a bit away
            stream = Channels.newOutputStream(Files.newByteChannel(
                    file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    permissions(file, OWNER_FILE)));
            restrict(file, OWNER_FILE);
        }
        pending.writeTo(stream);
        pending.reset();
    }

    /** Writes a customer number into the line at {@code at}, giving the length after it. */
    private int digits(int n, int at) {
        int end = at + 1;
        for (int rest = n / 10; rest > 0; rest /= 10) {
            end++;
        }
        for (int i = end - 1; i >= at; i--, n /= 10) {
            line[i] = (byte) ('0' + n % 10);
        }
        return end;
    }

    /** The customer's number, writing their line first when this file has not named them so yet. */
    private int number(int key) throws IOException {
        if (numbers[key] != 0) {
            return numbers[key];
        }
        AuditEntry.Holder h = holders.holder(key);
        int n = ++named;
        numbers[key] = n;
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
        jsonPending = true;
        return n;
    }

    private static void writeHeader(JsonGenerator json, Run run) throws IOException {
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
    private void write(JsonGenerator json, ConsentRecord c) throws IOException {
        if (c == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        json.writeString(c.purpose());
        json.writeString(c.status().code());
        json.writeString(times.chars(), 0, times.format(c.recordedAt()));
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
