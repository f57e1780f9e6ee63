package se.nestit.audience.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

class AuditTrailTest {

    private static final Instant RUN = Instant.parse("2026-11-22T02:30:00Z");

    @TempDir
    Path out;

    @Test
    void whatIsWrittenIsReadBackLineForLine() {
        ConsentRecord consent = new ConsentRecord("C1", "marketing", ConsentStatus.GRANTED, Instant.parse("2026-05-01T10:00:00Z"),
                "checkout", "bokhornan", 12);
        AuditEntry add = entry("add", "confirmed", List.of(new AuditEntry.Holder("C1", "exportable", consent),
                new AuditEntry.Holder("C9", "consent_missing", null)));
        AuditEntry remove = entry("remove", "refused", List.of());

        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            trail.write(List.of(add));
            trail.write(List.of(remove));
            assertEquals(2, trail.lines());
        }

        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(List.of(add, remove), read);
    }

    @Test
    void googleConsentSignalsAndTheRecordsBehindThemAreWrittenAndReadBack() throws IOException {
        ConsentRecord marketing = new ConsentRecord("C1", "marketing", ConsentStatus.GRANTED, Instant.parse("2026-05-01T10:00:00Z"),
                "checkout", "", 12);
        ConsentRecord personal = new ConsentRecord("C1", "ads_personal", ConsentStatus.GRANTED, Instant.parse("2026-05-02T10:00:00Z"),
                "web", "", 40);
        AuditEntry add = new AuditEntry("run-1", RUN, Instant.parse("2026-11-22T00:00:00Z"), "dm", "crime-buyers", "add",
                "confirmed", "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d", "marketing", 395,
                List.of(new AuditEntry.Holder("C1", "exportable", marketing,
                        Map.of(ConsentSignal.AD_USER_DATA, marketing, ConsentSignal.AD_PERSONALIZATION, personal))),
                Map.of(ConsentSignal.AD_USER_DATA, "marketing", ConsentSignal.AD_PERSONALIZATION, "ads_personal"));

        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            trail.write(List.of(add));
        }

        List<AuditEntry> read = new ArrayList<>();
        AuditReader.read(out, read::add);
        assertEquals(List.of(add), read);
        String line = Files.readString(AuditTrail.files(out).get(0));
        assertTrue(line.contains("\"signal_purposes\":{\"ad_user_data\":\"marketing\",\"ad_personalization\":\"ads_personal\"}"), line);
        assertTrue(line.contains("\"signals\":{\"ad_user_data\":{\"purpose\":\"marketing\""), line);
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
                            batch.add(new AuditEntry("run-1", RUN, RUN, d, "batch-" + b, "add", "confirmed",
                                    "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d", "marketing", 395, List.of()));
                        }
                        trail.write(batch);
                    }
                });
                writer.start();
                writers.add(writer);
            }
            for (Thread t : writers) {
                t.join();
            }
            assertEquals(30_000, trail.lines());
        }
        List<String> lines = Files.readAllLines(AuditTrail.files(out).get(0));
        assertEquals(30_000, lines.size());
        for (int start = 0; start < lines.size(); start += 500) {
            String first = lines.get(start);
            assertTrue(first.startsWith("{\"run_id\":\"run-1\"") && first.endsWith("]}"), first);
            for (String line : lines.subList(start, start + 500)) {
                assertEquals(first, line, "line " + start + " begins a batch that another destination's lines broke into");
            }
        }
    }

    @Test
    void theTrailIsForTheJobsUserOnly() throws IOException {
        try (AuditTrail trail = AuditTrail.open(out, "run-1", RUN, 540)) {
            trail.write(List.of(entry("add", "confirmed", List.of())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trail.file())));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditTrail.directory(out))));
    }

    @Test
    void aDirectoryOthersCouldReadIsClosedAgain() throws IOException {
        Files.createDirectories(AuditTrail.directory(out));
        Files.setPosixFilePermissions(AuditTrail.directory(out), PosixFilePermissions.fromString("rwxr-xr-x"));
        AuditTrail.open(out, "run-1", RUN, 540).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditTrail.directory(out))));
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
    void aDamagedLineIsNamed() throws IOException {
        Path dir = Files.createDirectories(AuditTrail.directory(out));
        Files.writeString(dir.resolve("audit-2026-11-22-023000-x.jsonl"), "{\"run_id\":\"x\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditReader.read(out, x -> {}));
        assertTrue(e.getMessage().contains("audit-2026-11-22-023000-x.jsonl: line 1: not an audit entry"), e.getMessage());
    }

    private static AuditEntry entry(String operation, String outcome, List<AuditEntry.Holder> holders) {
        return new AuditEntry("run-1", RUN, Instant.parse("2026-11-22T00:00:00Z"), "meta", "crime-buyers", operation, outcome,
                "0872cbdcb658ca409460c6790465d9fa8569871dd85a522a9b74e27b2d0f8e1d", "marketing", 395, holders);
    }
}
