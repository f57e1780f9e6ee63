package se.nestit.audience.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file's bytes, read at any position: a local file's channel, or a distributed file system's
 * stream for the Spark runner, which reads the same chunks with the same code.
 */
public interface ByteSource {

    /** The file's size in bytes. */
    long size() throws IOException;

    /** Reads up to {@code length} bytes at {@code position} into {@code b}; -1 at the end of the file. */
    int read(long position, byte[] b, int offset, int length) throws IOException;

    /**
     * A channel read into a heap array goes through a direct buffer as large as the read, which the
     * JDK keeps for the thread while it lives: reads of at most this many bytes keep that small
     * (an 8 MB chunk read at once held 8 MB outside the heap on every reading thread).
     */
    int MAX_READ_BYTES = 256 << 10;

    /** The file's bytes, read {@link #MAX_READ_BYTES} at a time at most. */
    static ByteSource of(FileChannel channel) {
        return new ByteSource() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public int read(long position, byte[] b, int offset, int length) throws IOException {
                return channel.read(ByteBuffer.wrap(b, offset, Math.min(length, MAX_READ_BYTES)), position);
            }
        };
    }

    /** Bytes already in memory, as a file of them: for readers fed from a buffer (tests, benchmarks). */
    static ByteSource of(byte[] bytes) {
        return new ByteSource() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public int read(long position, byte[] b, int offset, int length) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = (int) Math.min(length, bytes.length - position);
                System.arraycopy(bytes, (int) position, b, offset, n);
                return n;
            }
        };
    }
}
