package se.nestit.audience.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.sync.AudiencePlan;

/**
 * {@link FileDestination#deliverSorted}, which the Spark build uses, against the set-based plan
 * {@code sync} carries out ({@link AudiencePlan#of} then {@link FileDestination#deliver}): the same
 * file, byte for byte, the same counts, and the same file left untouched when nothing changed.
 */
class SortedDeliveryTest {

    /** Twelve arbitrary digests, lowercase hex, in no particular order. */
    private static final List<String> UNIVERSE = universe();

    private static List<String> universe() {
        Random random = new Random(16);
        List<String> hex = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] d = new byte[32];
            random.nextBytes(d);
            hex.add(HexFormat.of().formatHex(d));
        }
        return hex;
    }

    /** What was in the file before the run. */
    enum Before {
        NONE,
        AS_WRITTEN,
        /** In order, but with CRLF line ends and another format's header. */
        IN_ORDER_OTHERWISE_EDITED,
        HAND_EDITED,
        NOT_A_DIGEST,
        NO_HEADER
    }

    @Property(tries = 300)
    void givesWhatTheSetBasedPlanGives(
            @ForAll("subset") List<Integer> previous,
            @ForAll("subset") List<Integer> desired,
            @ForAll("subset") List<Integer> exportableToo,
            @ForAll Before before,
            @ForAll SyncMode mode,
            @ForAll @IntRange(max = 6) int minSize,
            @ForAll FileFormat format)
            throws IOException {
        AudienceDefinition o = AudienceDefinition.orphan("buyers", "files");
        AudienceDefinition audience = new AudienceDefinition(
                o.id(), o.description(), o.destinations(), mode, minSize, o.adopt(), o.rule(), o.file());
        List<String> want = hex(desired);
        // the exportable always include the wanted
        TreeSet<String> exportable = new TreeSet<>(want);
        exportable.addAll(hex(exportableToo));
        Path sets = Files.createTempDirectory("sets");
        Path sorted = Files.createTempDirectory("sorted");
        try {
            for (Path dir : List.of(sets, sorted)) {
                writeBefore(dir, before, hex(previous), format);
            }

            FileDestination bySets =
                    new FileDestination("files", Normalization.BASIC, format, new LocalAudienceFiles(sets));
            SortedHashes wanted = SortedHashes.ofHex(want);
            AudiencePlan plan = AudiencePlan.of(
                    audience, "files", wanted, bySets.current(audience), SortedHashes.ofHex(List.copyOf(exportable)));
            Object setsBefore = identity(sets);
            Delivery expected = bySets.deliver(plan);

            FileDestination byStreams =
                    new FileDestination("files", Normalization.BASIC, format, new LocalAudienceFiles(sorted));
            // as the cluster gives them: sorted, a repeat kept
            List<String> stream = new ArrayList<>(want);
            stream.addAll(want.subList(0, want.size() / 2));
            stream.sort(null);
            Object sortedBefore = identity(sorted);
            FileDestination.SortedDelivery actual =
                    byStreams.deliverSorted(audience, stream::iterator, exportable::iterator);

            assertEquals(
                    new FileDestination.SortedDelivery(
                            expected.status(),
                            wanted.size(),
                            expected.adds(),
                            expected.removes(),
                            expected.held(),
                            expected.message()),
                    actual);
            assertEquals(contents(sets), contents(sorted));
            assertEquals(setsBefore.equals(identity(sets)), sortedBefore.equals(identity(sorted)), "rewritten alike");
        } finally {
            remove(sets);
            remove(sorted);
        }
    }

    @Test
    void aFileThatCannotBeWrittenFailsThatAudience(@TempDir Path root) throws IOException {
        // where the audience's directory should be is a file
        Files.writeString(root.resolve("buyers"), "");
        FileDestination files =
                new FileDestination("files", Normalization.BASIC, FileFormat.PLAIN, new LocalAudienceFiles(root));
        FileDestination.SortedDelivery done = files.deliverSorted(
                AudienceDefinition.orphan("buyers", "files"),
                () -> List.of(UNIVERSE.get(0)).iterator(),
                () -> List.of(UNIVERSE.get(0)).iterator());
        assertEquals(Delivery.Status.FAILED, done.status());
        assertEquals(1, done.desired());
    }

    @Provide
    Arbitrary<List<Integer>> subset() {
        return Arbitraries.integers().between(0, UNIVERSE.size() - 1).list().ofMaxSize(UNIVERSE.size());
    }

    private static List<String> hex(List<Integer> indexes) {
        return indexes.stream().map(UNIVERSE::get).distinct().toList();
    }

    private static void writeBefore(Path dir, Before before, List<String> hashes, FileFormat format)
            throws IOException {
        if (before == Before.NONE) {
            return;
        }
        Path file = Files.createDirectories(dir.resolve("buyers")).resolve("files.csv");
        boolean inOrder = before == Before.AS_WRITTEN || before == Before.IN_ORDER_OTHERWISE_EDITED;
        String header = before == Before.IN_ORDER_OTHERWISE_EDITED
                ? FileFormat.values()[(format.ordinal() + 1) % FileFormat.values().length].header()
                : format.header();
        StringBuilder text = new StringBuilder(before == Before.NO_HEADER ? "" : header + "\n");
        List<String> lines = new ArrayList<>(hashes);
        if (inOrder) {
            lines.sort(null);
        }
        for (String h : lines) {
            text.append(
                    switch (before) {
                        // out of order, uppercase, CRLF, repeats
                        case HAND_EDITED -> h.toUpperCase() + "\r\n" + h + "\n";
                        case IN_ORDER_OTHERWISE_EDITED -> h + "\r\n";
                        default -> h + "\n";
                    });
        }
        if (before == Before.NOT_A_DIGEST) {
            text.append("someone@example.com\n");
        }
        Files.writeString(file, text);
    }

    /** The directory a try made, which holds at most {@code buyers/files.csv}. */
    private static void remove(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("buyers").resolve("files.csv"));
        Files.deleteIfExists(dir.resolve("buyers"));
        Files.delete(dir);
    }

    private static String contents(Path dir) throws IOException {
        Path file = dir.resolve("buyers").resolve("files.csv");
        return Files.exists(file) ? Files.readString(file) : null;
    }

    private static Object identity(Path dir) throws IOException {
        Path file = dir.resolve("buyers").resolve("files.csv");
        return Files.exists(file)
                ? Files.readAttributes(file, BasicFileAttributes.class).fileKey()
                : "none";
    }
}
