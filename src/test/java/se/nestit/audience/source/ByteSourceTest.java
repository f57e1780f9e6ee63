package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's bytes read into the heap. */
class ByteSourceTest {

    @TempDir
    Path dir;

    /** A reading thread keeps the JDK's direct buffer of its largest read for as long as it lives. */
    @Test
    void aLargeReadHoldsLittleMemoryOutsideTheHeap() throws Exception {
        byte[] written = new byte[8 << 20];
        new Random(13).nextBytes(written);
        Path file = Files.write(dir.resolve("events.csv"), written);
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct"))
                .findFirst()
                .orElseThrow();
        byte[] read = new byte[written.length];
        AtomicLong held = new AtomicLong();
        AtomicReference<IOException> failed = new AtomicReference<>();
        // a new thread, which holds no direct buffer yet
        Thread reader = new Thread(() -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteSource source = ByteSource.of(channel);
                long before = direct.getMemoryUsed();
                for (int n = 0; n < read.length; ) {
                    n += source.read(n, read, n, read.length - n);
                }
                held.set(direct.getMemoryUsed() - before);
            } catch (IOException e) {
                failed.set(e);
            }
        });
        reader.start();
        reader.join();

        if (failed.get() != null) {
            throw failed.get();
        }
        assertArrayEquals(written, read);
        assertTrue(held.get() <= ByteSource.MAX_READ_BYTES, held.get() + " bytes held outside the heap");
    }
}
