package se.nestit.audience.source;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A file in a one-byte encoding (Windows-1252, ISO-8859-1) read as the UTF-8 it would be, so that
 * the reader, which parses UTF-8, reads it unchanged: on every thread, at any position.
 *
 * <p>Positions are the UTF-8 text's. One pass at opening notes where each block of the file starts
 * in that text (8 bytes per 64 KiB); a read decodes from the start of its block.
 */
final class TranscodedSource implements ByteSource {

    private static final int BLOCK = 1 << 16;

    private final ByteSource raw;
    /** Each byte value's UTF-8 form. */
    private final byte[][] utf8;
    /** Where raw block k starts in the UTF-8 text. */
    private final long[] blockStart;

    private final long size;

    private TranscodedSource(ByteSource raw, Charset encoding) throws IOException {
        this.raw = raw;
        this.utf8 = new byte[256][];
        for (int v = 0; v < 256; v++) {
            String c = new String(new byte[] {(byte) v}, encoding);
            // Windows-1252 leaves five bytes undefined; Windows and the web read them as the control character of that
            // number
            utf8[v] = (c.equals("\uFFFD") ? String.valueOf((char) v) : c).getBytes(StandardCharsets.UTF_8);
        }
        long rawSize = raw.size();
        this.blockStart = new long[(int) ((rawSize + BLOCK - 1) / BLOCK) + 1];
        byte[] b = new byte[BLOCK];
        long text = 0;
        for (int k = 0; (long) k * BLOCK < rawSize; k++) {
            blockStart[k] = text;
            int n = readFully((long) k * BLOCK, b, BLOCK);
            for (int i = 0; i < n; i++) {
                text += utf8[b[i] & 0xFF].length;
            }
        }
        blockStart[blockStart.length - 1] = text;
        this.size = text;
    }

    /** {@code raw} as UTF-8: itself when it is UTF-8 already. */
    static ByteSource of(ByteSource raw, Charset encoding) throws IOException {
        return encoding.equals(StandardCharsets.UTF_8) ? raw : new TranscodedSource(raw, encoding);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, byte[] b, int offset, int length) throws IOException {
        if (position >= size) {
            return -1;
        }
        int k = Arrays.binarySearch(blockStart, 0, blockStart.length - 1, position);
        if (k < 0) {
            k = -k - 2;
        }
        long text = blockStart[k];
        long rawPos = (long) k * BLOCK;
        byte[] chunk = new byte[BLOCK];
        int written = 0;
        while (written < length) {
            int n = readFully(rawPos, chunk, BLOCK);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n && written < length; i++) {
                byte[] u = utf8[chunk[i] & 0xFF];
                if (text + u.length > position + written) {
                    for (int j = (int) Math.max(0, position + written - text); j < u.length && written < length; j++) {
                        b[offset + written++] = u[j];
                    }
                }
                text += u.length;
            }
            rawPos += n;
        }
        return written;
    }

    private int readFully(long position, byte[] b, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = raw.read(position + read, b, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }
}
