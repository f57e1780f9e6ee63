package se.nestit.audience.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path dir;

    @Test
    void anAudienceNeverCommittedIsNew() {
        AudienceState s = new StateStore(dir).load("google", "aud");
        assertTrue(s.isNew());
        assertTrue(s.confirmed().isEmpty());
    }

    @Test
    void whatIsCommittedIsWhatIsLoaded() {
        StateStore store = new StateStore(dir);
        PendingOperation job = new PendingOperation(
                "customers/1/offlineUserDataJobs/7",
                PendingOperation.Kind.REMOVE,
                TestHashes.range(100, 103),
                Instant.parse("2026-11-22T01:00:00Z"));
        AudienceState committed = store.commit(
                "google",
                "aud",
                new AudienceState(
                        TestHashes.range(0, 1000), Map.of("user_list", "customers/1/userLists/9"), List.of(job), null));

        AudienceState loaded = store.load("google", "aud");

        assertEquals(committed, loaded);
        assertEquals(1000, loaded.confirmed().size());
        assertEquals("customers/1/userLists/9", loaded.remote().get("user_list"));
        assertEquals(List.of(job), loaded.pending());
        assertEquals(TestHashes.range(0, 1000).minus(TestHashes.range(100, 103)), loaded.expected());
        assertEquals(List.of("aud"), store.audiences("google"));
    }

    @Test
    void anUnfinishedReplacementIsRemembered() {
        StateStore store = new StateStore(dir);
        store.commit("meta", "aud", new AudienceState(TestHashes.range(0, 3), Map.of(), List.of(), true, null));
        assertTrue(store.load("meta", "aud").replaceUnfinished());
        store.commit("meta", "aud", store.load("meta", "aud").withReplaceUnfinished(false));
        assertTrue(!store.load("meta", "aud").replaceUnfinished());
    }

    @Test
    void hashesInDoubtAreRememberedApartFromTheConfirmedOnes() {
        StateStore store = new StateStore(dir);
        store.commit(
                "meta",
                "aud",
                new AudienceState(TestHashes.range(0, 10), Map.of(), List.of(), false, TestHashes.range(10, 15), null));
        AudienceState loaded = store.load("meta", "aud");
        assertEquals(TestHashes.range(0, 10), loaded.confirmed());
        assertEquals(TestHashes.range(10, 15), loaded.inDoubt());
    }

    @Test
    void hashesCostThirtyTwoBytesEach() throws IOException {
        StateStore store = new StateStore(dir);
        store.commit("meta", "aud", new AudienceState(TestHashes.range(0, 10_000), Map.of(), List.of(), null));
        long size = Files.size(store.file("meta", "aud"));
        assertTrue(size >= 320_000 && size < 320_000 + 512, "size " + size);
    }

    @Test
    void aDamagedStateIsRefusedNotReadAsEmpty() throws IOException {
        StateStore store = new StateStore(dir);
        store.commit("meta", "aud", new AudienceState(TestHashes.range(0, 10), Map.of(), List.of(), null));
        Path file = store.file("meta", "aud");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);

        StateException e = assertThrows(StateException.class, () -> store.load("meta", "aud"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(e.getMessage().contains("--full-refresh"), e.getMessage());
    }

    @Test
    void aTruncatedStateIsRefused() throws IOException {
        StateStore store = new StateStore(dir);
        store.commit("meta", "aud", new AudienceState(TestHashes.range(0, 10), Map.of(), List.of(), null));
        Path file = store.file("meta", "aud");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 40));
        assertThrows(StateException.class, () -> store.load("meta", "aud"));
    }
}
