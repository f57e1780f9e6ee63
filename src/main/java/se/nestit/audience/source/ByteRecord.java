package se.nestit.audience.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One RFC 4180 record found in a byte array, its cells kept as byte ranges: a cell becomes a
 * string only when asked, so the rules can test millions of rows without decoding them.
 *
 * <p>Grammar, as opencsv's RFC 4180 parser reads it: records end at LF, CRLF or a lone CR; a cell
 * that starts with a quote runs to the closing quote, with {@code ""} standing for one quote and
 * separators and line breaks inside taken literally; a quote anywhere else is an ordinary
 * character (opencsv instead joins such a line with the next; RFC 4180 has no such cell, and
 * CsvReaderPropertiesTest checks the rest against opencsv). Text between a closing quote and the
 * next separator makes the record malformed. A line break inside quotes is kept as written, where
 * opencsv turns it into LF.
 */
public final class ByteRecord implements RowView {

    /** {@link #parse} found no complete record before the limit: give it more bytes. */
    static final int NEED_MORE = -1;
    /** {@link #parse} reached the end of the file inside a quoted cell. */
    static final int UNTERMINATED = -2;

    /** Eight bytes of an array at any index, for the word-at-a-time searches of this package. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static final long ONES = 0x0101010101010101L;
    static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LFS = '\n' * ONES;
    private static final long CRS = '\r' * ONES;
    private static final long BELOW_HASH = '#' * ONES;

    /** The byte between fields, and it in every byte of a word. */
    private final byte delimiter;

    private final long delimiters;
    private byte[] buf;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] escaped = new boolean[16];
    /** Whether {@link #escaped} holds a true one; a record without quotes leaves it unwritten. */
    private boolean anyEscaped;

    private int width;
    private int lines;
    private int malformedColumn;
    private boolean ascii;

    /** @param delimiter the byte between fields: an ASCII character other than a quote or a line break */
    ByteRecord(byte delimiter) {
        if (delimiter < 0 || delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("not a delimiter: " + delimiter);
        }
        this.delimiter = delimiter;
        this.delimiters = delimiter * ONES;
    }

    /**
     * Parses the record that starts at {@code pos}.
     *
     * @param eof whether {@code limit} is the end of the file (a last record may lack its line break)
     * @return where the next record starts, {@link #NEED_MORE} or {@link #UNTERMINATED}
     */
    int parse(byte[] b, int pos, int limit, boolean eof) {
        int next = plain(b, pos, limit);
        return next != NOT_PLAIN ? next : general(b, pos, limit, eof);
    }

    private static final int NOT_PLAIN = Integer.MIN_VALUE;

    /**
     * The common record, without quotes or carriage returns, read eight bytes at a time: the
     * separators in a word are found exactly from one mask, the line break among the bytes below
     * {@code '#'} from another. Anything else, and
     * a record that runs to within eight bytes of the limit, is left to {@link #general}.
     */
    private int plain(byte[] b, int pos, int limit) {
        buf = b;
        malformedColumn = -1;
        anyEscaped = false;
        long wide = 0;
        int fieldStart = pos;
        long seps = delimiters;
        // the cells found so far stay in locals until the record ends: no field is written per cell
        int n = 0;
        int[] from = starts;
        int[] to = ends;
        for (int p = pos; p + 8 <= limit; p += 8) {
            long w = (long) LONGS.get(b, p);
            // LF, CR and the quote are all below '#': one test finds them with the rest of the control
            // characters, the space and '!'
            long specials = below(w, BELOW_HASH);
            // separators exactly, so that no byte is read again; with the specials (whose lowest is
            // exact, the others maybe false alarms above it) in the order they come
            long found = exactly(w, seps);
            long candidates = found | specials;
            while (candidates != 0) {
                long bit = candidates & -candidates;
                int at = p + (Long.numberOfTrailingZeros(bit) >>> 3);
                if ((found & bit) == 0) {
                    byte c = b[at];
                    if (c == '"' || c == '\r') {
                        return NOT_PLAIN;
                    }
                    if (c != '\n') {
                        // a false alarm above a real match, or a space or control character in a cell
                        candidates ^= bit;
                        continue;
                    }
                }
                if (n == from.length) {
                    width = n;
                    grow();
                    from = starts;
                    to = ends;
                }
                from[n] = fieldStart;
                to[n] = at;
                n++;
                if ((found & bit) == 0) {
                    width = n;
                    int k = at - p;
                    wide |= k == 0 ? 0 : w & (-1L >>> (64 - 8 * k));
                    ascii = (wide & HIGH_BITS) == 0;
                    lines = 1;
                    return at + 1;
                }
                fieldStart = at + 1;
                candidates ^= bit;
            }
            wide |= w;
        }
        return NOT_PLAIN;
    }

    private int general(byte[] b, int pos, int limit, boolean eof) {
        buf = b;
        width = 0;
        lines = 0;
        malformedColumn = -1;
        anyEscaped = false;
        int acc = 0;
        long wide = 0;
        int p = pos;
        byte sep = delimiter;
        long seps = delimiters;
        while (true) {
            if (p < limit && b[p] == '"') {
                int content = ++p;
                boolean doubled = false;
                while (true) {
                    if (p >= limit) {
                        return eof ? UNTERMINATED : NEED_MORE;
                    }
                    byte c = b[p];
                    if (c == '"') {
                        if (p + 1 >= limit && !eof) {
                            return NEED_MORE;
                        }
                        if (p + 1 < limit && b[p + 1] == '"') {
                            doubled = true;
                            p += 2;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n' || (c == '\r' && p + 1 < limit && b[p + 1] != '\n')) {
                        lines++;
                    } else if (c == '\r' && p + 1 >= limit && !eof) {
                        return NEED_MORE;
                    }
                    acc |= c;
                    p++;
                }
                add(content, p);
                escaped[width - 1] = doubled;
                anyEscaped |= doubled;
                p++;
                if (p < limit && b[p] != sep && b[p] != '\n' && b[p] != '\r') {
                    if (malformedColumn < 0) {
                        malformedColumn = width - 1;
                    }
                    while (p < limit && b[p] != sep && b[p] != '\n' && b[p] != '\r') {
                        acc |= b[p++];
                    }
                }
            } else {
                int start = p;
                // eight bytes at a time to the next separator or line break, then byte by byte
                while (p + 8 <= limit) {
                    long w = (long) LONGS.get(b, p);
                    long found = has(w, seps) | has(w, LFS) | has(w, CRS);
                    if (found != 0) {
                        int k = Long.numberOfTrailingZeros(found) >>> 3;
                        wide |= k == 0 ? 0 : w & (-1L >>> (64 - 8 * k));
                        p += k;
                        break;
                    }
                    wide |= w;
                    p += 8;
                }
                while (p < limit) {
                    byte c = b[p];
                    if (c == sep || c == '\n' || c == '\r') {
                        break;
                    }
                    acc |= c;
                    p++;
                }
                add(start, p);
                escaped[width - 1] = false;
            }
            if (p >= limit) {
                if (!eof) {
                    return NEED_MORE;
                }
                ascii = acc >= 0 && (wide & HIGH_BITS) == 0;
                return p;
            }
            byte c = b[p];
            if (c == sep) {
                p++;
                continue;
            }
            if (c == '\r') {
                if (p + 1 >= limit && !eof) {
                    return NEED_MORE;
                }
                p += p + 1 < limit && b[p + 1] == '\n' ? 2 : 1;
            } else {
                p++;
            }
            lines++;
            ascii = acc >= 0 && (wide & HIGH_BITS) == 0;
            return p;
        }
    }

    /**
     * The line breaks in {@code b[from, to)} as records count them: every CR, and every LF that
     * does not end a CRLF, inside quotes or not. {@code b[from - 1]} is read when {@code from > 0},
     * for a CRLF split at {@code from}.
     */
    static long lineBreaks(byte[] b, int from, int to) {
        long n = 0;
        boolean afterCr = from > 0 && b[from - 1] == '\r';
        int p = from;
        for (; p + 8 <= to; p += 8) {
            long w = (long) LONGS.get(b, p);
            long lfs = exactly(w, LFS);
            long crs = exactly(w, CRS);
            n += Long.bitCount(crs) + Long.bitCount(lfs & ~(crs << 8 | (afterCr ? 0x80L : 0)));
            afterCr = crs < 0;
        }
        for (; p < to; p++) {
            boolean cr = b[p] == '\r';
            if (cr || (b[p] == '\n' && !afterCr)) {
                n++;
            }
            afterCr = cr;
        }
        return n;
    }

    /** The high bit of exactly each byte of {@code w} that equals the byte repeated in {@code pattern}. */
    private static long exactly(long w, long pattern) {
        long x = w ^ pattern;
        return ~(((x & ~HIGH_BITS) + ~HIGH_BITS) | x) & HIGH_BITS;
    }

    /**
     * The high bit of each byte of {@code w} below the byte repeated in {@code bound} (at most 0x80);
     * the lowest one set is exact, as in {@link #has}.
     */
    private static long below(long w, long bound) {
        return (w - bound) & ~w & HIGH_BITS;
    }

    /**
     * The high bit of each byte of {@code w} that equals the byte repeated in {@code pattern}; the
     * lowest one set is exact (bits above it may be false alarms, which only the lowest is read for).
     */
    static long has(long w, long pattern) {
        long x = w ^ pattern;
        return (x - ONES) & ~x & HIGH_BITS;
    }

    private void add(int start, int end) {
        if (width == starts.length) {
            grow();
        }
        starts[width] = start;
        ends[width] = end;
        width++;
    }

    /** Twice the room for cells. */
    private void grow() {
        starts = Arrays.copyOf(starts, width * 2);
        ends = Arrays.copyOf(ends, width * 2);
        escaped = Arrays.copyOf(escaped, width * 2);
    }

    /** The number of cells. */
    int width() {
        return width;
    }

    /** Line breaks the record spans, its own included: what it adds to the line count. */
    int lines() {
        return lines;
    }

    /** Whether the record is one empty, unquoted cell: a blank line. */
    boolean isBlank() {
        return width == 1 && starts[0] == ends[0] && (starts[0] == 0 || buf[starts[0] - 1] != '"');
    }

    /** The first cell with text after its closing quote, or -1. */
    int malformedColumn() {
        return malformedColumn;
    }

    /** Whether every byte is ASCII; otherwise the record must be checked to be UTF-8. */
    boolean ascii() {
        return ascii;
    }

    /** Whether the record's bytes from {@code from} to {@code to} are well-formed UTF-8. */
    boolean utf8(int from, int to) {
        return Utf8.isValid(buf, from, to);
    }

    byte[] bytes() {
        return buf;
    }

    int start(int column) {
        return starts[column];
    }

    int end(int column) {
        return ends[column];
    }

    /** Whether a quoted cell holds doubled quotes, which its string form turns into single ones. */
    boolean escaped(int column) {
        return anyEscaped && escaped[column];
    }

    @Override
    public String cell(int column) {
        String s = new String(buf, starts[column], ends[column] - starts[column], StandardCharsets.UTF_8);
        return escaped(column) ? s.replace("\"\"", "\"") : s;
    }

    /**
     * Compares bytes for ASCII cells, the common case. A cell with other characters is compared as
     * a string, unless its bytes are a value that lowercasing and composing leave as it is (an
     * author such as {@code Camilla Läckberg}): then no string is needed to know it is in the set.
     */
    @Override
    public boolean cellIn(int column, ValueSet values) {
        int from = starts[column];
        int to = ends[column];
        if (escaped(column)) {
            return RowView.super.cellIn(column, values);
        }
        while (from < to && Timestamps.isAsciiSpace(buf[from])) {
            from++;
        }
        while (to > from && Timestamps.isAsciiSpace(buf[to - 1])) {
            to--;
        }
        if (!ascii && !asciiRange(from, to)) {
            // a value is trimmed, so a cell with Unicode white space at an edge is never one byte for byte
            return in(values.settledUtf8(), from, to) || RowView.super.cellIn(column, values);
        }
        return in(values.utf8(), from, to);
    }

    private boolean in(byte[][] values, int from, int to) {
        int n = to - from;
        for (byte[] v : values) {
            if (v.length == n && equalsIgnoreAsciiCase(buf, from, v)) {
                return true;
            }
        }
        return false;
    }

    private boolean asciiRange(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code w} with each byte from {@code 'A'} to {@code 'Z'} made lowercase and every other byte as it is. */
    static long lowerAscii(long w) {
        long heptets = w & ~HIGH_BITS;
        // no byte carries into the next: a heptet is at most 0x7F
        long atLeastA = heptets + (0x80 - 'A') * ONES;
        long aboveZ = heptets + (0x80 - 'Z' - 1) * ONES;
        long upper = atLeastA & ~aboveZ & ~w & HIGH_BITS;
        return w | (upper >>> 2);
    }

    private static boolean equalsIgnoreAsciiCase(byte[] b, int from, byte[] lowerValue) {
        int n = lowerValue.length;
        if (n >= 8) {
            // word by word, the last word overlapping the one before when the length is not a multiple of 8
            for (int i = 0; ; i += 8) {
                int at = Math.min(i, n - 8);
                if (lowerAscii((long) LONGS.get(b, from + at)) != (long) LONGS.get(lowerValue, at)) {
                    return false;
                }
                if (at == n - 8) {
                    return true;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerValue[i]) {
                return false;
            }
        }
        return true;
    }
}
