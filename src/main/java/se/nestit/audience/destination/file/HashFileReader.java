package se.nestit.audience.destination.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;

/**
 * Reads an audience file: the header line, then one hex digest a line. Works on the bytes: a
 * quiet night reads back every file to diff it, 1.3 million lines for the 1M benchmark, which
 * took twice as long read as strings and decoded one by one. Also takes what a hand edit may
 * leave: CRLF, blank lines, uppercase hex, any order, duplicates; it then says the file is not
 * canonical. A line that is not a digest is named by its number, never by its text: a pasted
 * email must not reach a log.
 */
final class HashFileReader {

    /** A file's hashes, and whether its bytes are exactly what {@link FileDestination#write} makes of them. */
    record Contents(SortedHashes hashes, boolean canonical) {}

    private static final int N = Sha256.LENGTH;
    private static final byte[] HEADER = FileDestination.HEADER.getBytes(StandardCharsets.US_ASCII);
    /** Longer than any line worth reading: a digest with a CR is 65 bytes. */
    private static final int MAX_LINE = 256;

    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private boolean tooLong;
    private long lineNumber;
    private boolean canonical = true;
    private byte[] digests = new byte[N * 1024];
    private int count;
    private boolean ascending = true;

    private HashFileReader() {}

    static Contents read(InputStream in) throws IOException {
        return new HashFileReader().readAll(in);
    }

    private Contents readAll(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    endOfLine();
                } else if (length < MAX_LINE) {
                    line[length++] = b;
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
            throw new IOException("the first line is not '" + FileDestination.HEADER + "'");
        }
        SortedHashes hashes = ascending ? SortedHashes.fromSorted(Arrays.copyOf(digests, count * N))
                : SortedHashes.fromUnsorted(digests, count);
        return new Contents(hashes, canonical && ascending);
    }

    private void endOfLine() throws IOException {
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            canonical = false;
            length--;
        }
        if (lineNumber == 1) {
            if (tooLong || !Arrays.equals(line, 0, length, HEADER, 0, HEADER.length)) {
                throw new IOException("the first line is not '" + FileDestination.HEADER + "'");
            }
        } else if (length == 0 && !tooLong) {
            canonical = false;
        } else {
            digest();
        }
        length = 0;
        tooLong = false;
    }

    private void digest() {
        if (tooLong || length != 2 * N) {
            throw notADigest();
        }
        if (digests.length == count * N) {
            digests = Arrays.copyOf(digests, digests.length * 2);
        }
        int at = count * N;
        for (int i = 0; i < N; i++) {
            digests[at + i] = (byte) (nibble(line[2 * i]) << 4 | nibble(line[2 * i + 1]));
        }
        if (count > 0 && Arrays.compareUnsigned(digests, at - N, at, digests, at, at + N) >= 0) {
            ascending = false;
        }
        count++;
    }

    private int nibble(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            canonical = false;
            return c - 'A' + 10;
        }
        throw notADigest();
    }

    private IllegalArgumentException notADigest() {
        return new IllegalArgumentException("line " + lineNumber + " is not a SHA-256 hex digest");
    }
}
