package se.nestit.audience.destination.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.sync.AudiencePlan;

/**
 * Writes {@code <out>/<audience-id>/<destination-id>.csv} for manual upload: a header line (its
 * {@link FileFormat}'s, {@code email_sha256} by default), then the distinct hashes in ascending
 * order, one a line, replaced atomically. The file itself is this destination's state: what it
 * holds is what the file says.
 */
public final class FileDestination implements Destination {

    public static final String TYPE = "file";
    private static final List<String> KEYS = List.of("type", "normalization", "format");
    private static final Logger log = LoggerFactory.getLogger(FileDestination.class);
    /** Hash lines handed to the file at once: 65 KB. */
    private static final int LINES_A_WRITE = 1024;

    private final String id;
    private final Normalization normalization;
    private final FileFormat format;
    private final AudienceFiles files;
    /** Audiences whose file read back exactly as this destination writes it: rewriting it unchanged is waste. */
    private final Set<String> canonical = ConcurrentHashMap.newKeySet();

    /** A destination writing the plain format, or reading files in any format. */
    public FileDestination(String id, Normalization normalization, Path out) {
        this(id, normalization, FileFormat.PLAIN, new LocalAudienceFiles(out));
    }

    /** @param files where the audience files are: a local directory, or a distributed file system */
    public FileDestination(String id, Normalization normalization, FileFormat format, AudienceFiles files) {
        this.id = id;
        this.normalization = normalization;
        this.format = format;
        this.files = files;
    }

    public static FileDestination fromSettings(DestinationSettings settings, Path out) {
        return new FileDestination(
                settings.id(), normalization(settings), format(settings), new LocalAudienceFiles(out));
    }

    /** The {@code normalization} setting; when absent, the one the {@code format}'s network asks for. */
    public static Normalization normalization(DestinationSettings settings) {
        Map<String, YamlNode> fields = settings.node().fields(KEYS);
        if (!fields.containsKey("normalization")) {
            return format(settings).normalization();
        }
        YamlNode n = fields.get("normalization");
        try {
            return Normalization.fromConfigName(n.string());
        } catch (IllegalArgumentException e) {
            throw n.error("expected one of " + Normalization.names());
        }
    }

    /** The {@code format} setting, {@code plain} when absent. */
    public static FileFormat format(DestinationSettings settings) {
        YamlNode f = settings.node().fields(KEYS).get("format");
        if (f == null) {
            return FileFormat.PLAIN;
        }
        try {
            return FileFormat.fromConfigName(f.string());
        } catch (IllegalArgumentException e) {
            throw f.error("expected one of " + FileFormat.names());
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Normalization normalization() {
        return normalization;
    }

    /** Where this destination writes an audience in a local output directory. */
    public Path file(String audienceId) {
        if (!(files instanceof LocalAudienceFiles local)) {
            throw new IllegalStateException(id + ": its files are not in a local directory");
        }
        return local.path(audienceId, fileName());
    }

    private String fileName() {
        return id + ".csv";
    }

    @Override
    public List<String> heldAudiences() {
        try {
            return files.audiencesWith(fileName());
        } catch (IOException e) {
            throw new DestinationException(
                    files.describe("*", fileName()) + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /** Whether each audience's file could be written: its directory, or the nearest one that exists, is writable. */
    @Override
    public List<Finding> check(List<AudienceDefinition> audiences) {
        if (!(files instanceof LocalAudienceFiles local)) {
            throw new IllegalStateException(id + ": only files in a local directory can be checked");
        }
        List<Finding> findings = new ArrayList<>();
        for (AudienceDefinition a : audiences) {
            Path dir = local.path(a.id(), fileName()).toAbsolutePath().getParent();
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            String subject = "audience " + a.id();
            if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
                findings.add(Finding.ok(subject, "can write " + dir.resolve(fileName())));
            } else {
                findings.add(
                        Finding.wrong(
                                subject,
                                (existing == null ? dir : existing) + " is not a directory this user can write",
                                "give the user that runs the job write access to it, or set 'out' (or --out) to a directory it can write"));
            }
        }
        return findings;
    }

    @Override
    public SortedHashes current(AudienceDefinition audience) {
        String file = files.describe(audience.id(), fileName());
        canonical.remove(audience.id());
        try (InputStream in = files.open(audience.id(), fileName())) {
            if (in == null) {
                return SortedHashes.empty();
            }
            HashFileReader.Contents contents = HashFileReader.read(in, format);
            if (contents.canonical()) {
                canonical.add(audience.id());
            }
            return contents.hashes();
        } catch (IOException | IllegalArgumentException e) {
            // An unreadable old file is no reason to stop: it is replaced whole, and the report's
            // adds/removes then count from empty.
            log.warn("{}: cannot read the previous file ({}); it will be replaced", file, e.getMessage());
            return SortedHashes.empty();
        }
    }

    /**
     * Reads a file this destination wrote.
     *
     * @throws IllegalArgumentException when a line is not a digest
     */
    public static SortedHashes read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return HashFileReader.read(in).hashes();
        }
    }

    @Override
    public Delivery deliver(AudiencePlan plan) {
        String audienceId = plan.audience().id();
        try {
            if (plan.belowMinSize()) {
                // Nothing uploadable; an older file must not linger with hashes of people who left.
                boolean deleted = files.delete(audienceId, fileName());
                return new Delivery(
                        Delivery.Status.BELOW_MIN_SIZE,
                        new Delivery.Sent(
                                SortedHashes.empty(), plan.current(), SortedHashes.empty(), SortedHashes.empty()),
                        0,
                        "below min_size " + plan.audience().minSize()
                                + (deleted ? "; the previous file was deleted" : ""));
            }
            SortedHashes target = plan.target();
            // the plan was made against the file's contents: nothing to add or remove means it already says this
            if (!plan.adds().isEmpty() || !plan.removes().isEmpty() || !canonical.contains(audienceId)) {
                files.writeBytes(audienceId, fileName(), out -> write(out, format, target));
            }
            return new Delivery(
                    Delivery.Status.OK,
                    new Delivery.Sent(plan.adds(), plan.removes(), SortedHashes.empty(), SortedHashes.empty()),
                    target.size(),
                    "");
        } catch (IOException e) {
            throw new DestinationException(
                    files.describe(audienceId, fileName()) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /**
     * What {@link #deliverSorted} did with one audience, in the counts {@link #deliver} reports.
     *
     * @param desired how many distinct hashes the audience wants
     * @param held how many hashes the file holds afterwards
     * @param message why it failed or what to know; empty when there is nothing to say
     */
    public record SortedDelivery(
            Delivery.Status status, long desired, long adds, long removes, long held, String message) {}

    /**
     * Plans and writes one audience as {@link AudiencePlan#of} and {@link #deliver} do, but from
     * sorted streams merged with the file there now, a hash at a time: nothing held grows with the
     * audience. The streams are read twice, once to count (min_size, whether anything changed) and
     * once to write. A file whose lines are out of order (a hand edit) is read whole, as {@link
     * #current} reads it.
     *
     * @param desired each call gives the audience's hex digests anew, ascending, a repeat allowed
     * @param exportable likewise every exportable customer's; called for add-only audiences only
     */
    public SortedDelivery deliverSorted(
            AudienceDefinition audience, Supplier<Iterator<String>> desired, Supplier<Iterator<String>> exportable) {
        String audienceId = audience.id();
        Existing existing = existing(audience);
        long wanted = 0;
        try {
            SortedMerge counted = merge(audience, existing, desired, exportable, null);
            wanted = counted.desired();
            if (wanted < audience.minSize()) {
                // Nothing uploadable; an older file must not linger with hashes of people who left.
                boolean deleted = files.delete(audienceId, fileName());
                return new SortedDelivery(
                        Delivery.Status.BELOW_MIN_SIZE,
                        wanted,
                        0,
                        counted.current(),
                        0,
                        "below min_size " + audience.minSize() + (deleted ? "; the previous file was deleted" : ""));
            }
            // nothing to add or remove to a file that already says it as this destination writes it: leave it
            if (counted.adds() > 0 || counted.removes() > 0 || !existing.canonical()) {
                files.write(audienceId, fileName(), w -> {
                    w.write(format.header());
                    w.write('\n');
                    merge(audience, existing, desired, exportable, w);
                });
            }
            return new SortedDelivery(
                    Delivery.Status.OK, wanted, counted.adds(), counted.removes(), counted.target(), "");
        } catch (IOException e) {
            return new SortedDelivery(
                    Delivery.Status.FAILED,
                    wanted,
                    0,
                    0,
                    0,
                    files.describe(audienceId, fileName()) + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /**
     * The file there now, as a merge goes through it.
     *
     * @param whole its hashes when it is read whole (none there, unreadable, out of order); null to
     *     stream it
     */
    private record Existing(SortedHashes whole, boolean canonical) {}

    private Existing existing(AudienceDefinition audience) {
        try (InputStream in = files.open(audience.id(), fileName())) {
            if (in == null) {
                return new Existing(SortedHashes.empty(), false);
            }
            HashFileReader.Scan scan = HashFileReader.scan(in, format, (digests, at) -> {});
            if (scan.ascending()) {
                return new Existing(null, scan.canonical());
            }
        } catch (IOException | IllegalArgumentException e) {
            // as in current(): an unreadable old file is replaced whole, and adds/removes count from empty
            log.warn(
                    "{}: cannot read the previous file ({}); it will be replaced",
                    files.describe(audience.id(), fileName()),
                    e.getMessage());
            return new Existing(SortedHashes.empty(), false);
        }
        return new Existing(current(audience), false);
    }

    private SortedMerge merge(
            AudienceDefinition audience,
            Existing existing,
            Supplier<Iterator<String>> desired,
            Supplier<Iterator<String>> exportable,
            Writer out)
            throws IOException {
        SortedMerge merge =
                new SortedMerge(desired.get(), audience.sync() == SyncMode.MIRROR ? null : exportable.get(), out);
        if (existing.whole() != null) {
            existing.whole().forEachHex(merge::current);
        } else {
            try (InputStream in = files.open(audience.id(), fileName())) {
                if (in == null) {
                    throw new IOException("the previous file is gone");
                }
                HashFileReader.scan(
                        in,
                        format,
                        (digests, at) ->
                                merge.current(Sha256.hex(Arrays.copyOfRange(digests, at, at + Sha256.LENGTH))));
            } catch (IllegalArgumentException e) {
                throw new IOException("the previous file changed while it was read (" + e.getMessage() + ")", e);
            }
        }
        return merge.finish();
    }

    /**
     * Writes hex digests in the plain format from a stream already sorted, each distinct one
     * once: what {@link #deliver} writes for the same set.
     */
    public static void write(Writer w, Iterator<String> sortedHex) throws IOException {
        w.write(FileFormat.PLAIN.header());
        w.write('\n');
        String last = null;
        while (sortedHex.hasNext()) {
            String h = sortedHex.next();
            if (!h.equals(last)) {
                w.write(h);
                w.write('\n');
                last = h;
            }
        }
    }

    /**
     * Writes hashes in a format: its header line, then each hash in lowercase hex, sorted, one a
     * line; as bytes, a buffer at a time, with no character encoder between them and the file.
     */
    static void write(OutputStream out, FileFormat format, SortedHashes hashes) throws IOException {
        out.write((format.header() + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] lines = new byte[LINES_A_WRITE * (2 * Sha256.LENGTH + 1)];
        int at = 0;
        for (int i = 0; i < hashes.size(); i++) {
            if (at == lines.length) {
                out.write(lines, 0, at);
                at = 0;
            }
            hashes.hex(i, lines, at);
            at += 2 * Sha256.LENGTH;
            lines[at++] = '\n';
        }
        out.write(lines, 0, at);
    }
}
