package se.nestit.audience.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.commons.codec.DecoderException;
import org.apache.commons.codec.binary.Hex;

/**
 * An immutable set of SHA-256 digests in ascending unsigned byte order, which is also the order of
 * their lowercase hex. Kept as one flat array: a million hashes cost 32 MB rather than the ~120 MB
 * of hex strings.
 */
public final class SortedHashes {

    private static final int N = Sha256.LENGTH;
    private static final SortedHashes EMPTY = new SortedHashes(new byte[0]);

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] digests;

    private SortedHashes(byte[] sortedDistinct) {
        this.digests = sortedDistinct;
    }

    public static SortedHashes empty() {
        return EMPTY;
    }

    public static SortedHashes of(Collection<byte[]> digests) {
        byte[] flat = new byte[digests.size() * N];
        int i = 0;
        for (byte[] d : digests) {
            checkLength(d);
            System.arraycopy(d, 0, flat, i++ * N, N);
        }
        return fromUnsorted(flat, digests.size());
    }

    /** Parses lowercase or uppercase hex digests; duplicates collapse. */
    public static SortedHashes ofHex(List<String> hex) {
        byte[] flat = new byte[hex.size() * N];
        for (int i = 0; i < hex.size(); i++) {
            byte[] d = decodeHex(hex.get(i));
            System.arraycopy(d, 0, flat, i * N, N);
        }
        return fromUnsorted(flat, hex.size());
    }

    /** The caller names where the text came from: it may be anything, an email included, so it is never echoed. */
    public static byte[] decodeHex(String hex) {
        try {
            byte[] d = Hex.decodeHex(hex);
            checkLength(d);
            return d;
        } catch (DecoderException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a SHA-256 hex digest (" + hex.length() + " characters)");
        }
    }

    /**
     * Sorts {@code count} digests laid out back to back in {@code flat} (which this takes over) and
     * drops duplicates.
     */
    public static SortedHashes fromUnsorted(byte[] flat, int count) {
        if (flat.length < count * N) {
            throw new IllegalArgumentException("expected " + count * N + " bytes but got " + flat.length);
        }
        int[] order = DigestOrder.sort(flat, count);
        byte[] out = new byte[count * N];
        // gathered first, in copies that do not wait for each other: the processor overlaps their
        // cache misses, where comparing each with the last one kept would take them one at a time
        for (int k = 0; k < count; k++) {
            System.arraycopy(flat, order[k] * N, out, k * N, N);
        }
        int distinct = Math.min(count, 1);
        for (int k = 1; k < count; k++) {
            if (!Arrays.equals(out, (distinct - 1) * N, distinct * N, out, k * N, k * N + N)) {
                System.arraycopy(out, k * N, out, distinct++ * N, N);
            }
        }
        return new SortedHashes(distinct == count ? out : Arrays.copyOf(out, distinct * N));
    }

    /**
     * Takes digests that are already sorted and distinct, such as a state file holds.
     *
     * @throws IllegalArgumentException when they are not
     */
    public static SortedHashes fromSorted(byte[] flat) {
        if (flat.length % N != 0) {
            throw new IllegalArgumentException(flat.length + " bytes is not a whole number of digests");
        }
        for (int i = 1; i < flat.length / N; i++) {
            if (compareAt(flat, i - 1, flat, i) >= 0) {
                throw new IllegalArgumentException("digest " + i + " is not greater than the one before it");
            }
        }
        return new SortedHashes(flat.clone());
    }

    /** The digests back to back, in order. */
    public byte[] toByteArray() {
        return digests.clone();
    }

    public int size() {
        return digests.length / N;
    }

    public boolean isEmpty() {
        return digests.length == 0;
    }

    public byte[] get(int index) {
        Objects.checkIndex(index, size());
        return Arrays.copyOfRange(digests, index * N, index * N + N);
    }

    /** Copies digest {@code index} into {@code into}, which has room for one: no array per digest. */
    public void get(int index, byte[] into) {
        Objects.checkIndex(index, size());
        System.arraycopy(digests, index * N, into, 0, N);
    }

    public String hex(int index) {
        return Sha256.hex(get(index));
    }

    /** Writes digest {@code index} in lowercase hex, 64 ASCII bytes, into {@code out} from {@code at}. */
    public void hex(int index, byte[] out, int at) {
        Objects.checkIndex(index, size());
        for (int i = index * N, end = i + N; i < end; i++) {
            out[at++] = HEX[(digests[i] >> 4) & 0xf];
            out[at++] = HEX[digests[i] & 0xf];
        }
    }

    public boolean contains(byte[] digest) {
        checkLength(digest);
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareAt(digests, mid, digest, 0);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The digests in this set that are not in {@code other}: a merge, counted first so the result is allocated once. */
    public SortedHashes minus(SortedHashes other) {
        // a quiet night's plans take equal sets from each other, and a first sync's from nothing
        if (other.isEmpty()) {
            return this;
        }
        if (Arrays.equals(digests, other.digests)) {
            return EMPTY;
        }
        int kept = minus(other, null);
        if (kept == size()) {
            return this;
        }
        byte[] out = new byte[kept * N];
        minus(other, out);
        return new SortedHashes(out);
    }

    /** Counts the digests not in {@code other}, copying them into {@code out} when given. */
    private int minus(SortedHashes other, byte[] out) {
        int n = 0;
        int i = 0;
        int j = 0;
        int a = size();
        int b = other.size();
        while (i < a) {
            int c = j < b ? compareAt(digests, i, other.digests, j) : -1;
            if (c < 0) {
                if (out != null) {
                    System.arraycopy(digests, i * N, out, n * N, N);
                }
                n++;
                i++;
            } else if (c > 0) {
                j++;
            } else {
                i++;
                j++;
            }
        }
        return n;
    }

    /** The union of this set and {@code other}: a merge, counted first so the result is allocated once. */
    public SortedHashes plus(SortedHashes other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        int n = plus(other, null);
        if (n == size()) {
            return this;
        }
        byte[] out = new byte[n * N];
        plus(other, out);
        return new SortedHashes(out);
    }

    /** Counts the digests of the union, copying them into {@code out} when given. */
    private int plus(SortedHashes other, byte[] out) {
        int n = 0;
        int i = 0;
        int j = 0;
        int a = size();
        int b = other.size();
        while (i < a || j < b) {
            int c = i == a ? 1 : j == b ? -1 : compareAt(digests, i, other.digests, j);
            byte[] from = c <= 0 ? digests : other.digests;
            int at = c <= 0 ? i++ : j++;
            if (c == 0) {
                j++;
            }
            if (out != null) {
                System.arraycopy(from, at * N, out, n * N, N);
            }
            n++;
        }
        return n;
    }

    /** Receives hex digests; may write them somewhere. */
    @FunctionalInterface
    public interface HexSink {
        void accept(String hex) throws IOException;
    }

    /** Visits each digest's lowercase hex in order. */
    public void forEachHex(HexSink action) throws IOException {
        forEachHexChars(hex -> action.accept(new String(hex)));
    }

    /** Receives each digest's 64 lowercase hex digits in an array that the next digest reuses: write them, do not keep the array. */
    @FunctionalInterface
    public interface HexChars {
        void accept(char[] hex) throws IOException;
    }

    /** Visits each digest's lowercase hex in order, with no object per digest. */
    public void forEachHexChars(HexChars action) throws IOException {
        char[] buf = new char[N * 2];
        for (int i = 0; i < size(); i++) {
            for (int k = 0, d = i * N; k < N * 2; d++) {
                buf[k++] = (char) HEX[(digests[d] >> 4) & 0xf];
                buf[k++] = (char) HEX[digests[d] & 0xf];
            }
            action.accept(buf);
        }
    }

    /** A slice {@code [from, to)} of this set, still sorted; for requests that take a bounded batch. */
    public SortedHashes slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        return new SortedHashes(Arrays.copyOfRange(digests, from * N, to * N));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SortedHashes other && Arrays.equals(digests, other.digests);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digests);
    }

    @Override
    public String toString() {
        return "SortedHashes[" + size() + "]";
    }

    static int compareAt(byte[] a, int i, byte[] b, int j) {
        return Arrays.compareUnsigned(a, i * N, i * N + N, b, j * N, j * N + N);
    }

    private static void checkLength(byte[] digest) {
        if (digest.length != N) {
            throw new IllegalArgumentException("a SHA-256 digest has " + N + " bytes, not " + digest.length);
        }
    }
}
