package se.nestit.audience.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A stream's bytes as a {@link ByteSource}: what was read and not yet let go of is kept, so that a
 * chunk may start again where the one before really ended, after that one read past its range.
 * Memory holds one chunk and the record that runs past it, however long the stream.
 */
final class StreamBytes implements ByteSource {

    private final InputStream in;
    private byte[] window = new byte[1 << 16];
    /** The stream position of {@code window[0]}. */
    private long windowStart;

    private int length;
    private boolean ended;

    StreamBytes(InputStream in) {
        this.in = in;
    }

    /** The stream's length once it has ended; until then, more than any position. */
    @Override
    public long size() {
        return ended ? windowStart + length : Long.MAX_VALUE;
    }

    @Override
    public int read(long position, byte[] b, int offset, int len) throws IOException {
        if (position < windowStart) {
            throw new IllegalStateException(
                    "position " + position + " was let go of; the window starts at " + windowStart);
        }
        long available = fill(position + len) - position;
        if (available <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, available);
        System.arraycopy(window, (int) (position - windowStart), b, offset, n);
        return n;
    }

    /**
     * Reads on until {@code position} or the end of the stream.
     *
     * @return {@code position}, or the end of the stream when that comes first
     */
    long fill(long position) throws IOException {
        while (windowStart + length < position && !ended) {
            if (length == window.length) {
                window = Arrays.copyOf(window, (int)
                        Math.min(Integer.MAX_VALUE - 8, Math.max(2L * window.length, position - windowStart)));
            }
            int n = in.read(window, length, window.length - length);
            if (n < 0) {
                ended = true;
            } else {
                length += n;
            }
        }
        return Math.min(position, windowStart + length);
    }

    /** Lets go of the bytes before {@code position}: nothing will read them again. */
    void release(long position) {
        int drop = (int) (position - windowStart);
        System.arraycopy(window, drop, window, 0, length - drop);
        length -= drop;
        windowStart = position;
    }
}
