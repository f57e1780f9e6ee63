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

    static ByteSource of(FileChannel channel) {
        return new ByteSource() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public int read(long position, byte[] b, int offset, int length) throws IOException {
                return channel.read(ByteBuffer.wrap(b, offset, length), position);
            }
        };
    }
}
