package se.nestit.audience.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {

    @TempDir
    Path state;

    @Test
    void aSecondRunInTheSameProcessIsRefused() {
        try (RunLock first = RunLock.acquire(state)) {
            LockHeldException e = assertThrows(LockHeldException.class, () -> RunLock.acquire(state));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        // released: the next run gets it
        RunLock.acquire(state).close();
    }

    @Test
    void aRunInAnotherProcessIsNamedWithItsPid() throws Exception {
        Process holder = startHolder();
        try {
            LockHeldException e = assertThrows(LockHeldException.class, () -> RunLock.acquire(state));
            assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("started "), e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledRunLeavesNoLockBehind() throws Exception {
        Process holder = startHolder();
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // the file still names the dead holder, but the operating system dropped its lock
        assertTrue(Files.readString(state.resolve(RunLock.FILE)).contains("pid " + holder.pid()));
        try (RunLock taken = RunLock.acquire(state)) {
            assertTrue(Files.readString(state.resolve(RunLock.FILE))
                    .contains("pid " + ProcessHandle.current().pid()));
        }
    }

    @Test
    void aStateDirectoryThatIsAFileIsNamedAsSuch() throws IOException {
        Path file = Files.writeString(state.resolve("state"), "");
        StateException e = assertThrows(StateException.class, () -> RunLock.acquire(file));
        assertEquals(
                file.resolve(RunLock.FILE) + ": cannot take the run lock (" + file + ": exists and is not a directory)",
                e.getMessage());
    }

    private Process startHolder() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        state.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine());
        return p;
    }
}
