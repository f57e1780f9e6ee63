package se.nestit.audience.destination.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;

/**
 * Reads an audience file: the header line of any {@link FileFormat}, then one hex digest a line. Works on the bytes: a
 * quiet night reads back every file to diff it, 1.3 million lines for the 1M benchmark, which
 * took twice as long read as strings and decoded one by one. Also takes what a hand edit may
 * leave: CRLF, blank lines, uppercase hex, any order, duplicates; it then says the file is not
 * canonical. A line that is not a digest is named by its number, never by its text: a pasted
 * email must not reach a log.
 */
final class HashFileReader {

    /** A file's hashes, and whether its bytes are exactly what {@link FileDestination#write} makes of them. */
    record Contents(SortedHashes hashes, boolean canonical) {}

    /** Takes each digest of a file as it is read, in the file's order: the 32 bytes of {@code digests} from {@code at}. */
    interface Sink {
        void accept(byte[] digests, int at) throws IOException;
    }

    /**
     * What a pass over a file found.
     *
     * @param ascending every digest is greater than the one before: the file is a sorted set
     */
    record Scan(boolean ascending, boolean canonical) {}

    private static final int N = Sha256.LENGTH;
    /** Longer than any line worth reading: a digest with a CR is 65 bytes. */
    private static final int MAX_LINE = 256;
    /** A canonical digest line without its line end. */
    private static final int LINE = 2 * N;
    /** Each byte's value as a lowercase hex digit; over 15 for any other byte. */
    private static final byte[] HEX = new byte[256];

    static {
        Arrays.fill(HEX, (byte) 0x10);
        for (int d = 0; d < 16; d++) {
            HEX["0123456789abcdef".charAt(d)] = (byte) d;
        }
    }

    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private boolean tooLong;
    private long lineNumber;
    private boolean canonical = true;
    private byte[] digests = new byte[N * 1024];
    private int count;
    private boolean ascending = true;
    private final FileFormat format;
    /** Null to keep every digest; else each goes to it and only the last one is kept, to check the order. */
    private final Sink sink;

    private HashFileReader(FileFormat format, Sink sink) {
        this.format = format;
        this.sink = sink;
    }

    static Contents read(InputStream in) throws IOException {
        return read(in, FileFormat.PLAIN);
    }

    /**
     * @param format the format the file should be in: a file in another format reads the same, but
     *     is not canonical, so that a changed {@code format} setting rewrites it
     */
    static Contents read(InputStream in, FileFormat format) throws IOException {
        HashFileReader reader = new HashFileReader(format, null);
        reader.readLines(in);
        SortedHashes hashes = reader.ascending
                ? SortedHashes.fromSorted(Arrays.copyOf(reader.digests, reader.count * N))
                : SortedHashes.fromUnsorted(reader.digests, reader.count);
        return new Contents(hashes, reader.canonical && reader.ascending);
    }

    /**
     * Reads a file a digest at a time, holding none of them: for files larger than memory should
     * hold.
     */
    static Scan scan(InputStream in, FileFormat format, Sink sink) throws IOException {
        HashFileReader reader = new HashFileReader(format, sink);
        reader.readLines(in);
        return new Scan(reader.ascending, reader.canonical && reader.ascending);
    }

    private void readLines(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (length == 0
                        && !tooLong
                        && lineNumber > 0
                        && i + LINE < n
                        && buffer[i + LINE] == '\n'
                        && lowercase(buffer, i)) {
                    // the common line, whole in the buffer: read in place, not byte by byte
                    lineNumber++;
                    i += LINE;
                } else if (buffer[i] == '\n') {
                    endOfLine();
                } else if (length < MAX_LINE) {
                    line[length++] = buffer[i];
                } else {
                    tooLong = true;
                }
            }
        }
        if (length > 0 || tooLong) {
            canonical = false; // the last line has no line end
            endOfLine();
        }
        if (lineNumber == 0) {
            throw notAHeader();
        }
    }

    private void endOfLine() throws IOException {
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            canonical = false;
            length--;
        }
        if (lineNumber == 1) {
            header();
        } else if (length == 0 && !tooLong) {
            canonical = false;
        } else if (tooLong || length != 2 * N) {
            throw notADigest();
        } else {
            digest(line, 0);
        }
        length = 0;
        tooLong = false;
    }

    private void header() throws IOException {
        for (FileFormat f : FileFormat.values()) {
            byte[] header = f.header().getBytes(StandardCharsets.US_ASCII);
            if (!tooLong && Arrays.equals(line, 0, length, header, 0, header.length)) {
                canonical &= f == format;
                return;
            }
        }
        throw notAHeader();
    }

    private static IOException notAHeader() {
        return new IOException("the first line is not "
                + Arrays.stream(FileFormat.values())
                        .map(f -> "'" + f.header() + "'")
                        .collect(Collectors.joining(" or ")));
    }

    /** The digest whose 64 hex digits are {@code text[at..at+64)}. */
    private void digest(byte[] text, int at) throws IOException {
        if (!lowercase(text, at)) {
            int to = slot();
            for (int i = 0; i < N; i++) {
                digests[to + i] = (byte) (nibble(text[at + 2 * i]) << 4 | nibble(text[at + 2 * i + 1]));
            }
            added(to);
        }
    }

    /** Takes the digest at {@code text[at..at+64)} when it is all lowercase hex; else changes nothing. */
    private boolean lowercase(byte[] text, int at) throws IOException {
        int to = slot();
        for (int i = 0; i < N; i++) {
            int high = HEX[text[at + 2 * i] & 0xff];
            int low = HEX[text[at + 2 * i + 1] & 0xff];
            if ((high | low) > 0xf) {
                return false;
            }
            digests[to + i] = (byte) (high << 4 | low);
        }
        added(to);
        return true;
    }

    /** Where the next digest goes: a sink's reader alternates between two slots, this digest and the one before. */
    private int slot() {
        int to = sink == null ? count * N : count % 2 * N;
        if (digests.length == to) {
            digests = Arrays.copyOf(digests, digests.length * 2);
        }
        return to;
    }

    private void added(int to) throws IOException {
        int before = sink == null ? to - N : N - to;
        if (count > 0 && Arrays.compareUnsigned(digests, before, before + N, digests, to, to + N) >= 0) {
            ascending = false;
        }
        count++;
        if (sink != null) {
            sink.accept(digests, to);
        }
    }

    /** A hex digit that is not a lowercase one: uppercase is read but not canonical, anything else is no digest. */
    private int nibble(byte c) {
        if (c >= 'A' && c <= 'F') {
            canonical = false;
            return c - 'A' + 10;
        }
        int v = HEX[c & 0xff];
        if (v > 0xf) {
            throw notADigest();
        }
        return v;
    }

    private IllegalArgumentException notADigest() {
        return new IllegalArgumentException("line " + lineNumber + " is not a SHA-256 hex digest");
    }
}
