package se.nestit.audience.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.sync.TestHashes;

class AuditTrailTest {

    private static final Instant RUN = Instant.parse("2026-11-22T02:30:00Z");

    @TempDir
    Path out;

    @Test
    void whatIsWrittenIsReadBackLineForLine() {
        ConsentRecord consent = new ConsentRecord(
                "C1",
                "marketing",
                ConsentStatus.GRANTED,
                Instant.parse("2026-05-01T10:00:00Z"),
                "checkout",
                "bokhornan",
                12);
        AuditEntry add = entry(
                "add",
                "confirmed",
                List.of(
                        new AuditEntry.Holder("C1", "exportable", consent),
                        new AuditEntry.Holder("C9", "consent_missing", null)));
        AuditEntry remove = entry("remove", "refused", List.of());

        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(trail, List.of(add));
            write(trail, List.of(remove));
            assertEquals(2, trail.entries());
        }

        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(List.of(add, remove), read);
    }

    @Test
    void googleConsentSignalsAndTheRecordsBehindThemAreWrittenAndReadBack() throws IOException {
        ConsentRecord marketing = new ConsentRecord(
                "C1", "marketing", ConsentStatus.GRANTED, Instant.parse("2026-05-01T10:00:00Z"), "checkout", "", 12);
        ConsentRecord personal = new ConsentRecord(
                "C1", "ads_personal", ConsentStatus.GRANTED, Instant.parse("2026-05-02T10:00:00Z"), "web", "", 40);
        AuditEntry add = new AuditEntry(
                "run-1",
                RUN,
                Instant.parse("2026-11-22T00:00:00Z"),
                "dm",
                "crime-buyers",
                "add",
                "confirmed",
                "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d",
                "marketing",
                395,
                List.of(new AuditEntry.Holder(
                        "C1",
                        "exportable",
                        marketing,
                        Map.of(ConsentSignal.AD_USER_DATA, marketing, ConsentSignal.AD_PERSONALIZATION, personal))),
                Map.of(ConsentSignal.AD_USER_DATA, "marketing", ConsentSignal.AD_PERSONALIZATION, "ads_personal"));

        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(trail, List.of(add));
        }

        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(List.of(add), read);
        String lines = Files.readString(AuditTrail.files(out).get(0));
        assertTrue(
                lines.contains(
                        "\"signal_purposes\":{\"ad_user_data\":\"marketing\",\"ad_personalization\":\"ads_personal\"}"),
                lines);
        assertTrue(lines.contains(",{\"ad_user_data\":[\"marketing\",\"granted\",\"2026-05-01T10:00:00Z\""), lines);
    }

    @Test
    void batchesOfDestinationsWritingAtOnceStayWholeOneObjectALine() throws Exception {
        List<String> destinations = List.of("files", "google", "meta");
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            List<Thread> writers = new ArrayList<>();
            for (String d : destinations) {
                Thread writer = new Thread(() -> {
                    for (int b = 0; b < 20; b++) {
                        List<AuditEntry> batch = new ArrayList<>();
                        for (int i = 0; i < 500; i++) {
                            batch.add(new AuditEntry(
                                    "run-1",
                                    RUN,
                                    RUN,
                                    d,
                                    "batch-" + b,
                                    "add",
                                    "confirmed",
                                    "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d",
                                    "marketing",
                                    395,
                                    List.of()));
                        }
                        write(trail, batch);
                    }
                });
                writer.start();
                writers.add(writer);
            }
            for (Thread t : writers) {
                t.join();
            }
            assertEquals(30_000, trail.entries());
        }
        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(30_000, read.size());
        for (int start = 0; start < read.size(); start += 500) {
            AuditEntry first = read.get(start);
            for (AuditEntry e : read.subList(start, start + 500)) {
                assertEquals(
                        first, e, "entry " + start + " begins a batch that another destination's lines broke into");
            }
        }
    }

    @Test
    void theTrailIsForTheJobsUserOnly() throws IOException {
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(trail, List.of(entry("add", "confirmed", List.of())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trail.file())));
        }
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditTrail.directory(out))));
    }

    @Test
    void aDirectoryOthersCouldReadIsClosedAgain() throws IOException {
        Files.createDirectories(AuditTrail.directory(out));
        Files.setPosixFilePermissions(AuditTrail.directory(out), PosixFilePermissions.fromString("rwxr-xr-x"));
        AuditTrail.open(out, "run-1", RUN, 540).close();
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditTrail.directory(out))));
    }

    @Test
    void filesOlderThanTheKeptDaysAreDeletedWhenARunStarts() throws IOException {
        Path dir = Files.createDirectories(AuditTrail.directory(out));
        Path old = Files.writeString(dir.resolve("audit-2026-10-22-023000-a.jsonl"), "");
        Path kept = Files.writeString(dir.resolve("audit-2026-10-23-023000-b.jsonl"), "");
        Path other = Files.writeString(dir.resolve("notes.txt"), "not ours");

        AuditTrail.open(out, "run-1", RUN, 30).close();

        // 2026-11-22 less 30 days is 2026-10-23: that day is still kept
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(kept));
        assertTrue(Files.exists(other), "only audit files are ever deleted");
    }

    @Test
    void aRunThatSendsNothingLeavesNoFile() {
        AuditTrail.open(out, "run-1", RUN, 540).close();
        assertEquals(List.of(), AuditTrail.files(out));
    }

    @Test
    void aFirstSyncTakesAtMostAHundredBytesPerAdd() throws IOException {
        // like a first sync of the bench: three destinations, every customer in one or two audiences
        List<String> destinations = List.of("basic", "google", "meta");
        long adds = 0;
        try (AuditTrail trail = AuditTrail.open(out, "5b0e4c2a-0d6f-4f57-9d0e-2f1f0c1e9a77", RUN, 540)) {
            for (String d : destinations) {
                for (String audience : List.of("crime-buyers-90d", "cart-abandoners-14d")) {
                    List<AuditEntry> batch = new ArrayList<>();
                    for (int c = 0; c < 2000; c++) {
                        if (audience.startsWith("cart") && c % 2 == 1) {
                            continue;
                        }
                        String id = String.format("C%07d", c * 13);
                        ConsentRecord consent = new ConsentRecord(
                                id,
                                "marketing",
                                ConsentStatus.GRANTED,
                                Instant.parse("2026-05-03T14:22:10Z").minusSeconds(c * 3607L),
                                "account-settings",
                                "nordbok",
                                20_000 + c);
                        batch.add(new AuditEntry(
                                "5b0e4c2a-0d6f-4f57-9d0e-2f1f0c1e9a77",
                                RUN,
                                RUN,
                                d,
                                audience,
                                "add",
                                "confirmed",
                                TestHashes.of(id + "@example.se").hex(0),
                                "marketing",
                                395,
                                List.of(new AuditEntry.Holder(id, "exportable", consent))));
                    }
                    write(trail, batch);
                    adds += batch.size();
                }
            }
        }
        long bytes = Files.size(AuditTrail.files(out).get(0));
        assertTrue(bytes <= 100 * adds, bytes / (double) adds + " bytes per add");
        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(adds, read.size());
    }

    @Test
    void aTrailOfAnEarlierVersionIsStillRead() throws IOException {
        Path dir = Files.createDirectories(AuditTrail.directory(out));
        // a line as versions before format 2 wrote one entry each
        Files.writeString(dir.resolve("audit-2026-11-21-023000-old.jsonl"), """
                {"run_id":"old","time":"2026-11-21T02:30:04Z","as_of":"2026-11-21T00:00:00Z","destination":"meta",\
                "audience":"crime-buyers-90d","operation":"add","outcome":"confirmed",\
                "hash":"0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d","purpose":"marketing",\
                "max_age_days":395,"customers":[{"customer_id":"C000123","verdict":"exportable","consent":\
                {"purpose":"marketing","status":"granted","recorded_at":"2026-05-03T14:22:10Z","source":"checkout",\
                "brand":"bokhornan","line":204}}]}
                """);
        AuditEntry now = entry("add", "confirmed", List.of(new AuditEntry.Holder("C1", "exportable", null)));
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(trail, List.of(now));
        }

        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);

        ConsentRecord consent = new ConsentRecord(
                "C000123",
                "marketing",
                ConsentStatus.GRANTED,
                Instant.parse("2026-05-03T14:22:10Z"),
                "checkout",
                "bokhornan",
                204);
        assertEquals(
                List.of(
                        new AuditEntry(
                                "old",
                                Instant.parse("2026-11-21T02:30:04Z"),
                                Instant.parse("2026-11-21T00:00:00Z"),
                                "meta",
                                "crime-buyers-90d",
                                "add",
                                "confirmed",
                                "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d",
                                "marketing",
                                395,
                                List.of(new AuditEntry.Holder("C000123", "exportable", consent))),
                        now),
                read);
    }

    @Test
    void eachThingIsWrittenOnceAndTheHashesOfAGroupFollowIt() throws IOException {
        ConsentRecord consent = new ConsentRecord(
                "C1",
                "marketing",
                ConsentStatus.GRANTED,
                Instant.parse("2026-05-01T10:00:00Z"),
                "checkout",
                "bokhornan",
                12);
        AuditEntry.Holder c1 = new AuditEntry.Holder("C1", "exportable", consent);
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(trail, List.of(entry("add", "confirmed", List.of(c1)), entry("add", "confirmed", List.of(c1))));
            write(trail, List.of(entry("remove", "confirmed", List.of())));
        }
        String hash = "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d";
        assertEquals(
                List.of(
                        "{\"audit_trail\":2,\"run_id\":\"run-1\",\"time\":\"2026-11-22T02:30:00Z\",\"as_of\":\"2026-11-22T00:00:00Z\","
                                + "\"purpose\":\"marketing\",\"max_age_days\":395}",
                        "[1,\"C1\",\"exportable\",[\"marketing\",\"granted\",\"2026-05-01T10:00:00Z\",\"checkout\",\"bokhornan\",12]]",
                        "{\"destination\":\"meta\",\"audience\":\"crime-buyers\",\"operation\":\"add\",\"outcome\":\"confirmed\"}",
                        hash + " 1",
                        hash + " 1",
                        "{\"destination\":\"meta\",\"audience\":\"crime-buyers\",\"operation\":\"remove\",\"outcome\":\"confirmed\"}",
                        hash),
                Files.readAllLines(AuditTrail.files(out).get(0)));
    }

    @Test
    void aWriteOfAnotherRunIsRefusedBeforeAnythingOfItIsWritten() {
        AuditEntry.Holder c1 = new AuditEntry.Holder("C1", "exportable", null);
        AuditEntry.Holder c2 = new AuditEntry.Holder("C2", "exportable", null);
        AuditEntry kept = entry("add", "confirmed", List.of(c2));
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(trail, List.of(entry("remove", "confirmed", List.of())));
            AuditEntry other = new AuditEntry(
                    "run-2",
                    RUN,
                    RUN,
                    "meta",
                    "crime-buyers",
                    "add",
                    "confirmed",
                    "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d",
                    "marketing",
                    395,
                    List.of(c1));
            assertThrows(IllegalArgumentException.class, () -> write(trail, List.of(other)));
            write(trail, List.of(kept));
        }
        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(
                List.of(entry("remove", "confirmed", List.of()), kept),
                read,
                "the add of the refused write is not read under the remove's group, nor C2 as C1");
    }

    @Test
    void customersOfAnotherSourceOfKeysAreRefused() {
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(trail, List.of(entry("remove", "confirmed", List.of())));
            AuditEntry e = entry("add", "confirmed", List.of());
            IllegalArgumentException refused = assertThrows(
                    IllegalArgumentException.class,
                    () -> trail.write(run(e), new HolderKeys(), lines -> {
                        throw new AssertionError("nothing is written");
                    }));
            assertEquals("the trail of run run-1 numbers another run's customers", refused.getMessage());
            assertEquals(1, trail.entries());
        }
    }

    @Test
    void aWriteThatFailsHalfWayBreaksTheTrailForTheRestOfTheRun() {
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            AuditEntry e = entry("add", "confirmed", List.of());
            HolderKeys holders = keys.computeIfAbsent(trail, t -> new HolderKeys());
            UncheckedIOException unreadable =
                    new UncheckedIOException(new IOException("holders.bin: cannot read the customers"));
            UncheckedIOException thrown = assertThrows(
                    UncheckedIOException.class,
                    () -> trail.write(run(e), holders, lines -> {
                        lines.hash(
                                new AuditTrail.Group("meta", "crime-buyers", "add", "confirmed", Map.of()),
                                SortedHashes.ofHex(List.of(e.hash())),
                                0,
                                new int[0],
                                0,
                                0);
                        throw unreadable;
                    }));
            assertSame(unreadable, thrown, "what the body read failed, not the trail: passed on as it is");
            IllegalStateException after = assertThrows(IllegalStateException.class, () -> write(trail, List.of(e)));
            assertTrue(after.getMessage()
                    .endsWith("an earlier write to the audit trail failed; nothing more is written to it"));
        }
    }

    /**
     * A set written whole, as the recorder writes a delivery, gives the bytes of its hashes written
     * one at a time: over several batches of looked-up numbers, with customers named in one batch
     * and met again in it and in later ones, hashes of no customer and of two, and groups changing.
     */
    @Test
    void aSetWrittenWholeGivesTheBytesOfItsHashesWrittenOneAtATime(@TempDir Path other) throws IOException {
        int size = 700;
        SortedHashes hashes = TestHashes.range(0, size);
        AuditTrail.Group add = new AuditTrail.Group("meta", "crime-buyers", "add", "confirmed", Map.of());
        AuditTrail.Group refused = new AuditTrail.Group("meta", "crime-buyers", "add", "refused", Map.of());
        AuditTrail.Group[] groups = new AuditTrail.Group[size];
        int[] ends = new int[size];
        int[] keys = new int[2 * size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            groups[i] = i % 100 < 90 ? add : refused;
            // customer i % 300: met again 300 hashes on; every seventh hash has none, every fifth a second one
            if (i % 7 != 0) {
                keys[n++] = i % 300;
            }
            if (i % 5 == 0) {
                keys[n++] = 1000 + i % 11;
            }
            ends[i] = n;
        }
        ConsentRecord consent = new ConsentRecord(
                "C1", "marketing", ConsentStatus.GRANTED, Instant.parse("2026-05-01T10:00:00Z"), "checkout", "", 12);
        AuditTrail.Holders holders = key -> new AuditEntry.Holder("C" + key, "exportable", consent);
        AuditTrail.Run run = new AuditTrail.Run("run-1", RUN, Instant.parse("2026-11-22T00:00:00Z"), "marketing", 540);
        try (AuditTrail whole = AuditTrail.open(out, "run-1", RUN, 540);
                AuditTrail single = AuditTrail.open(other, "run-1", RUN, 540)) {
            whole.write(run, holders, lines -> lines.hashes(groups, hashes, keys, ends));
            single.write(run, holders, lines -> {
                for (int i = 0; i < size; i++) {
                    lines.hash(groups[i], hashes, i, keys, i == 0 ? 0 : ends[i - 1], ends[i]);
                }
            });
            assertEquals(size, whole.entries());
        }
        String written = Files.readString(AuditTrail.files(out).get(0));
        assertEquals(Files.readString(AuditTrail.files(other).get(0)), written);
        assertEquals(1 + 300 + 11 + 14 + size, written.lines().count(), "header, customers, groups, hashes");
    }

    /** A trail that proves nothing must say so, never be read as fewer entries. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "cut off inside a line|ends inside a line",
                "a customer line missing|line 5: not an audit entry (customer 2 is named before its line)",
                "a hash before any group|line 3: not an audit entry (a hash before any group line)",
                "a hash cut short|line 4: not an audit entry (not a hash line)",
                "a format this version does not know|line 1: not an audit entry (format 3"
            })
    void aDamagedTrailIsAnErrorNamingItsLine(String damage, String message) throws IOException {
        ConsentRecord consent = new ConsentRecord(
                "C1", "marketing", ConsentStatus.GRANTED, Instant.parse("2026-05-01T10:00:00Z"), "checkout", "", 12);
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            write(
                    trail,
                    List.of(
                            entry("add", "confirmed", List.of(new AuditEntry.Holder("C1", "exportable", consent))),
                            entry("add", "confirmed", List.of(new AuditEntry.Holder("C2", "exportable", consent)))));
        }
        Path file = AuditTrail.files(out).get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String text = String.join("\n", lines) + "\n";
        switch (damage) {
            case "cut off inside a line" -> text = text.substring(0, text.length() - 3);
            case "a customer line missing" -> text = text.replace(lines.get(4) + "\n", "");
            case "a hash before any group" -> text = text.replace(lines.get(2) + "\n", "");
            case "a hash cut short" ->
                text = text.replace(lines.get(3), lines.get(3).substring(0, 60));
            default -> text = text.replace("\"audit_trail\":2", "\"audit_trail\":3");
        }
        Files.writeString(file, text);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditReader.read(out, x -> {}));
        assertTrue(
                e.getMessage().startsWith(file + ": " + (message.startsWith("line") ? message : "")), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aDamagedLineIsNamed() throws IOException {
        Path dir = Files.createDirectories(AuditTrail.directory(out));
        Files.writeString(dir.resolve("audit-2026-11-22-023000-x.jsonl"), "{\"run_id\":\"x\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditReader.read(out, x -> {}));
        assertTrue(
                e.getMessage().contains("audit-2026-11-22-023000-x.jsonl: line 1: not an audit entry"), e.getMessage());
    }

    /** Each trail's customers under one set of keys, as a run has one source of holders. */
    private final Map<AuditTrail, HolderKeys> keys = new ConcurrentHashMap<>();

    /** Writes entries of one run as the recorder does: their hashes with their customers' keys. */
    private void write(AuditTrail trail, List<AuditEntry> batch) {
        HolderKeys holders = keys.computeIfAbsent(trail, t -> new HolderKeys());
        trail.write(run(batch.get(0)), holders, lines -> {
            for (AuditEntry e : batch) {
                int[] k = e.customers().stream().mapToInt(holders::key).toArray();
                AuditTrail.Group g = new AuditTrail.Group(
                        e.destination(), e.audience(), e.operation(), e.outcome(), e.signalPurposes());
                lines.hash(g, SortedHashes.ofHex(List.of(e.hash())), 0, k, 0, k.length);
            }
        });
    }

    private static AuditTrail.Run run(AuditEntry e) {
        return new AuditTrail.Run(e.runId(), e.time(), e.asOf(), e.purpose(), e.maxAgeDays());
    }

    private static AuditEntry entry(String operation, String outcome, List<AuditEntry.Holder> holders) {
        return new AuditEntry(
                "run-1",
                RUN,
                Instant.parse("2026-11-22T00:00:00Z"),
                "meta",
                "crime-buyers",
                operation,
                outcome,
                "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d",
                "marketing",
                395,
                holders);
    }
}
