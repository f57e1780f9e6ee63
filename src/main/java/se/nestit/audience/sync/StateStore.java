package se.nestit.audience.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.io.AtomicFiles;

/**
 * Keeps each {@link AudienceState} in {@code <state>/<destination>/<audience>.state}: a small JSON
 * head (remote ids, pending operations, counts) and the hashes (confirmed, each pending operation's,
 * in doubt) as raw sorted digests (32 bytes each, a
 * quarter of hex text), with a CRC-32C over everything so a damaged file is refused, never half
 * read. Files are replaced atomically, so a crash leaves the last committed state.
 */
public final class StateStore {

    private static final int MAGIC = 0x41455853; // "AEXS"
    private static final int VERSION = 1;
    private static final String SUFFIX = ".state";

    /**
     * Built on first use: a run names this class at its start, and a run of file destinations alone
     * never reads or writes a state file.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Path dir;

    public StateStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String destination, String audience) {
        return dir.resolve(destination).resolve(audience + SUFFIX);
    }

    /** The audience's state, or {@link AudienceState#NEW} when none was ever committed. */
    public AudienceState load(String destination, String audience) {
        Path file = file(destination, audience);
        if (!Files.exists(file)) {
            return AudienceState.NEW;
        }
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] bytes = raw.readAllBytes();
            return decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new StateException(
                    file + ": unreadable sync state (" + e.getMessage() + "); restore it from a "
                            + "backup, or delete it and run sync --full-refresh to rebuild the audience at the network",
                    e);
        }
    }

    /**
     * Replaces the audience's state; durable when this returns.
     *
     * @return the state as committed, stamped with the time of the commit
     */
    public AudienceState commit(String destination, String audience, AudienceState state) {
        Path file = file(destination, audience);
        AudienceState stamped = new AudienceState(
                state.confirmed(),
                state.remote(),
                state.pending(),
                state.replaceUnfinished(),
                state.inDoubt(),
                Instant.now());
        try {
            byte[] bytes = encode(stamped);
            AtomicFiles.writeBytes(file, out -> out.write(bytes));
            return stamped;
        } catch (IOException e) {
            throw new StateException(file + ": cannot write the sync state (" + e.getMessage() + ")", e);
        }
    }

    /** The audiences with a state at this destination, for noticing definitions that were deleted. */
    public List<String> audiences(String destination) {
        Path d = dir.resolve(destination);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StateException(d + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    static byte[] encode(AudienceState state) throws IOException {
        ObjectNode head = Json.MAPPER.createObjectNode();
        head.put("updated_at", state.updatedAt().toString());
        head.put("replace_unfinished", state.replaceUnfinished());
        ObjectNode remote = head.putObject("remote");
        state.remote().forEach(remote::put);
        ArrayNode pending = head.putArray("pending");
        for (PendingOperation p : state.pending()) {
            pending.addObject()
                    .put("id", p.id())
                    .put("kind", p.kind().name())
                    .put("submitted_at", p.submittedAt().toString())
                    .put("count", p.hashes().size());
        }
        head.put("in_doubt", state.inDoubt().size());
        byte[] headBytes = Json.MAPPER.writeValueAsBytes(head);

        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64
                + headBytes.length
                + Sha256.LENGTH
                        * (state.confirmed().size()
                                + state.pending().stream()
                                        .mapToInt(p -> p.hashes().size())
                                        .sum()
                                + state.inDoubt().size()));
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(headBytes.length);
        out.write(headBytes);
        out.writeInt(state.confirmed().size());
        out.write(state.confirmed().toByteArray());
        for (PendingOperation p : state.pending()) {
            out.write(p.hashes().toByteArray());
        }
        out.write(state.inDoubt().toByteArray());
        CRC32C crc = new CRC32C();
        crc.update(buffer.toByteArray());
        out.writeLong(crc.getValue());
        return buffer.toByteArray();
    }

    static AudienceState decode(byte[] bytes) throws IOException {
        if (bytes.length < 8 + 12) {
            throw new IOException("truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
            throw new IOException("checksum mismatch: the file is damaged or truncated");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a sync state file");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("state format version " + version + " is not supported by this build");
        }
        byte[] headBytes = in.readNBytes(in.readInt());
        JsonNode head = Json.MAPPER.readTree(new String(headBytes, StandardCharsets.UTF_8));
        SortedHashes confirmed = SortedHashes.fromSorted(in.readNBytes(in.readInt() * Sha256.LENGTH));
        List<PendingOperation> pending = new ArrayList<>();
        for (JsonNode p : head.get("pending")) {
            SortedHashes hashes =
                    SortedHashes.fromSorted(in.readNBytes(p.get("count").asInt() * Sha256.LENGTH));
            pending.add(new PendingOperation(
                    p.get("id").asText(),
                    PendingOperation.Kind.valueOf(p.get("kind").asText()),
                    hashes,
                    Instant.parse(p.get("submitted_at").asText())));
        }
        // absent from files written before there was such a thing: nothing in doubt
        SortedHashes inDoubt =
                SortedHashes.fromSorted(in.readNBytes(head.path("in_doubt").asInt(0) * Sha256.LENGTH));
        if (in.available() != 0) {
            throw new IOException(in.available() + " unexpected bytes at the end");
        }
        Map<String, String> remote = new LinkedHashMap<>();
        head.get("remote")
                .properties()
                .forEach(e -> remote.put(e.getKey(), e.getValue().asText()));
        return new AudienceState(
                confirmed,
                remote,
                pending,
                head.path("replace_unfinished").asBoolean(false),
                inDoubt,
                Instant.parse(head.get("updated_at").asText()));
    }
}
