package se.nestit.audience.sync;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.io.AtomicFiles;

/**
 * Keeps two runs from working on one state directory at once. The lock is the operating system's
 * lock on {@code <state>/.lock}, which dies with its process, so a run killed with {@code kill -9}
 * leaves no lock behind; the file's text (pid, start time, host) only serves the messages. The
 * file itself is never deleted: a deleted lock file lets two runs lock two different files.
 */
public final class RunLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);
    static final String FILE = ".lock";

    // Closing any channel on a file drops every lock this JVM holds on it, so a second attempt from
    // this same process must be refused before it opens the file.
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws LockHeldException naming the holder when another run holds the lock */
    public static RunLock acquire(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!HELD_HERE.add(file.toAbsolutePath().normalize())) {
            throw new LockHeldException(file + " is held by another run in this process (pid "
                    + ProcessHandle.current().pid() + "); wait for it to finish");
        }
        FileChannel channel = null;
        try {
            AtomicFiles.createDirectories(stateDir);
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            String previous = read(channel);
            if (lock == null) {
                channel.close();
                HELD_HERE.remove(file.toAbsolutePath().normalize());
                throw new LockHeldException(file + " is held by another run ("
                        + (previous.isBlank() ? "holder unknown" : previous) + "); wait for it to finish");
            }
            if (!previous.isBlank()) {
                log.warn("{}: taking over the lock of a run that ended without releasing it ({})", file, previous);
            }
            String me = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now() + ", host " + host();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file.toAbsolutePath().normalize());
            throw new StateException(file + ": cannot take the run lock (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            channel.force(true);
            lock.release();
        } catch (IOException e) {
            log.warn("cannot release the run lock cleanly ({}); the next run takes it over", e.getMessage());
        } finally {
            closeQuietly(channel);
            HELD_HERE.remove(file.toAbsolutePath().normalize());
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
