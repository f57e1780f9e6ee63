package se.nestit.audience.source;

import java.io.IOException;
import java.util.Arrays;

/**
 * The records that start in one byte range of a CSV file: the unit {@link ChunkedCsvReader} reads
 * on each thread, and the Spark runner in each task. A range other than the first starts after the
 * first line break in it, a guess the caller must check against the range before
 * ({@link #start()} must equal that range's {@link #end()}); the last record runs past the range's
 * end until it ends.
 */
public final class CsvChunk {

    /** Checks one record and passes it on; answers null, or the reason to reject the record. */
    @FunctionalInterface
    public interface RecordHandler<W> {
        /**
         * @param line the line the record starts on when the chunk's first line is known; -1 when
         *     it is not, where lines are known only afterwards (see {@link CsvChunk#relativeLine()})
         */
        String accept(ByteRecord record, long line, W worker);

        /**
         * A record rejected for its shape (another number of fields, text after a closing quote),
         * which {@link #accept} never sees: its cells may be shifted, but a handler may still need to
         * know whom it may be about.
         */
        default void misshapen(ByteRecord record, W worker) {}

        /**
         * Whether records of chunks read side by side may reach {@link #accept} without their line
         * (-1), which spares each chunk a first pass over its bytes to count its line breaks. Such a
         * handler throws {@link LineNeeded} when it needs the line after all (for a message that names
         * it), and the file is then read again on one thread, where every record has its line.
         */
        default boolean linesOnDemand() {
            return false;
        }

        /**
         * Every record handed out so far does not count: the input is read again from its start,
         * to new workers; called once the workers of the first read have all stopped.
         */
        default void restart() {}

        /**
         * Hands the chunk's next records, {@link CsvChunk#BLOCK} at most, to {@link #accept}. The JIT
         * compiles this loop with the {@code accept} its profile saw first, so a handler of millions of
         * rows overrides it with this same loop: its class then has a loop of its own, not one compiled
         * for another file's handler and thrown away at its first row.
         */
        default void block(CsvChunk chunk, W worker) throws IOException {
            for (ByteRecord r; (r = chunk.next(this, worker)) != null; ) {
                chunk.handled(accept(r, chunk.line(), worker));
            }
        }
    }

    /**
     * For a chunk read side by side with the chunks before it: the line its byte range starts on,
     * which is known once each of them has counted the line breaks in its own range.
     */
    @FunctionalInterface
    public interface RangeLine {
        /**
         * Tells the line breaks in this chunk's range and waits for those of the ranges before.
         *
         * @return the line of the range's first byte
         */
        long after(long lineBreaks) throws IOException;
    }

    /**
     * Thrown by a handler given a record without its line (see {@link RecordHandler#linesOnDemand})
     * that needs it: the reader reads the file again with lines. It says nothing of the record, so
     * it carries no message.
     */
    public static final class LineNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LineNeeded() {
            super(null, null, false, false);
        }
    }

    /**
     * The records a {@link RecordHandler#block} call takes at most: few enough that C2 compiles the
     * block loop for its calls before its back branches ask for a second, on-stack compilation of
     * the same loop (600 calls of 32 records are 19,200 back branches, under the 40,000 that ask).
     */
    static final int BLOCK = 32;

    static final int MAX_RECORD_BYTES = 8 << 20;
    private static final int MORE = 1 << 16;
    static final String NOT_UTF8 = "not valid UTF-8 (save the export as UTF-8)";
    static final String TEXT_AFTER_QUOTE = "text after the closing quote";

    private final ByteSource in;
    private final long rangeStart;
    private final long rangeEnd;
    private final boolean exact;
    private long firstLine;
    private final int width;
    private final byte delimiter;
    /** Lines relative to the chunk's first. */
    private final RejectList rejects = new RejectList();
    /** Where the first record this chunk read starts, and where its last one ends; -1 if none. */
    private long start = -1;

    private long end = -1;
    private long lines;
    private long records;
    private String error;
    private long errorLine;

    private byte[] buf;
    private long bufStart;
    private int bufLength;
    private int pos;
    private boolean eof;

    private ByteRecord record;
    /** Whether {@link #record} is handed out by {@link #next} and not yet passed over. */
    private boolean handing;
    /** Where the record after the one handed out starts. */
    private int following;
    /** Records the current {@link RecordHandler#block} call may still take. */
    private int blockLeft;
    /** Whether the chunk is read to its end, or stopped at its {@link #error()}. */
    private boolean done;

    /**
     * @param exact whether a record starts right at {@code rangeStart}; otherwise the chunk
     *     starts after the first line break
     * @param firstLine the line of the first record; -1 when not known yet, or when a {@link RangeLine} tells it
     * @param width the number of fields every record must have
     * @param delimiter the byte between fields
     */
    public CsvChunk(
            ByteSource in, long rangeStart, long rangeEnd, boolean exact, long firstLine, int width, byte delimiter) {
        this.in = in;
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeEnd;
        this.exact = exact;
        this.firstLine = firstLine;
        this.width = width;
        this.delimiter = delimiter;
    }

    /**
     * Reads the chunk's records, handing each well-formed one to {@code handler}.
     *
     * @param buffer a buffer to reuse, or null; {@link #takeBuffer()} gives it (or a larger one) back
     */
    public <W> CsvChunk read(W worker, RecordHandler<W> handler, byte[] buffer) throws IOException {
        return read(worker, handler, buffer, null);
    }

    /**
     * {@link #read(Object, RecordHandler, byte[])}, handing records out with their lines once
     * {@code rangeLine} tells where the range starts.
     *
     * @param rangeLine null to keep the line given to the constructor
     */
    public <W> CsvChunk read(W worker, RecordHandler<W> handler, byte[] buffer, RangeLine rangeLine)
            throws IOException {
        // One byte before the range, so that a range starting right after a line break starts there.
        bufStart = exact ? rangeStart : rangeStart - 1;
        int wanted = (int) (rangeEnd - bufStart) + MORE;
        buf = buffer == null || buffer.length < wanted ? new byte[wanted] : buffer;
        bufLength = 0;
        fill(rangeEnd - bufStart);
        pos = 0;
        int inRange = exact ? 0 : 1;
        long rangeStartLine = rangeLine == null
                ? -1
                : rangeLine.after(ByteRecord.lineBreaks(buf, inRange, (int) Math.min(bufLength, rangeEnd - bufStart)));
        if (!exact) {
            while (pos < bufLength && buf[pos] != '\n') {
                pos++;
            }
            if (pos >= bufLength || bufStart + pos >= rangeEnd) {
                return this; // no line break in range: no record starts here
            }
            pos++;
        }
        if (rangeLine != null) {
            firstLine = rangeStartLine + ByteRecord.lineBreaks(buf, inRange, pos);
        }
        start = bufStart + pos;
        record = new ByteRecord(delimiter);
        while (!done) {
            blockLeft = BLOCK;
            handler.block(this, worker);
        }
        end = bufStart + pos;
        return this;
    }

    /**
     * The next well-formed record of the current block; null when the block or the chunk ends.
     * Blank lines are passed over, and records of another shape rejected, shown to {@code handler}
     * on the way. The record is valid until the next call, which takes {@link #handled}'s answer first.
     */
    public <W> ByteRecord next(RecordHandler<W> handler, W worker) throws IOException {
        if (handing) {
            handing = false;
            lines += record.lines();
            pos = following;
        }
        while (blockLeft > 0) {
            if (bufStart + pos >= rangeEnd) {
                done = true;
                return null;
            }
            int next = record.parse(buf, pos, bufLength, eof);
            if (next == ByteRecord.NEED_MORE) {
                if (bufLength - pos > MAX_RECORD_BYTES) {
                    fail("a record longer than " + (MAX_RECORD_BYTES >> 20)
                            + " MB: probably a quote that is never closed");
                    return null;
                }
                more();
                continue;
            }
            if (next == ByteRecord.UNTERMINATED) {
                fail("a quoted field is never closed (unbalanced quote)");
                return null;
            }
            if (!record.ascii() && !record.utf8(pos, next)) {
                fail(notUtf8(buf, pos, next));
                return null;
            }
            if (!record.isBlank()) {
                records++;
                String misshapen = record.width() != width
                        ? "expected " + width + " fields but found " + record.width()
                        : record.malformedColumn() >= 0
                                ? "field " + (record.malformedColumn() + 1) + ": " + TEXT_AFTER_QUOTE
                                : null;
                if (misshapen == null) {
                    blockLeft--;
                    handing = true;
                    following = next;
                    return record;
                }
                handler.misshapen(record, worker);
                rejects.add(lines, misshapen);
            }
            lines += record.lines();
            pos = next;
        }
        return null;
    }

    /**
     * The line of the record {@link #next} handed out; -1 when the chunk's first line is not known.
     * Without a branch: a handler's loop compiled for chunks of one kind is not sent back to be
     * compiled again at its first chunk of the other.
     */
    public long line() {
        return (firstLine + lines) | (firstLine >> 63);
    }

    /** Takes the handler's answer for the record {@link #next} handed out: null, or the reason to reject it. */
    public void handled(String reason) {
        if (reason != null) {
            rejects.add(lines, reason);
        }
    }

    /**
     * Why bytes that are not UTF-8 stop the run: when they read as Windows-1252, which Excel saves
     * in western Europe (every byte defined there, and none that starts a UTF-8 sequence followed by
     * one that continues it, as a cut or damaged UTF-8 character is), the message names the setting
     * that reads them.
     */
    static String notUtf8(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            boolean undefined = c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
            if (undefined || (c >= 0xC0 && i + 1 < to && (b[i + 1] & 0xC0) == 0x80)) {
                return NOT_UTF8;
            }
        }
        return "not valid UTF-8, but reads as Windows-1252 (set source.encoding: windows-1252 in the config, "
                + "or save the export as UTF-8)";
    }

    /**
     * Whether chunks read side by side each started where the one before really ended, so that
     * no guessed start fell inside a quoted cell; otherwise the file must be read again in one chunk.
     *
     * @param starts each chunk's {@link #start()}, in file order
     * @param ends each chunk's {@link #end()}, in file order
     */
    public static boolean consistent(long[] starts, long[] ends) {
        for (int k = 1; k < starts.length; k++) {
            if (starts[k] != ends[k - 1]) {
                return false;
            }
        }
        return true;
    }

    /** The buffer the chunk was read into, for the next chunk read on this thread. */
    public byte[] takeBuffer() {
        byte[] b = buf;
        buf = null;
        return b;
    }

    /** While a record is handled: where it starts in the file, an index that grows with file order. */
    public long offset() {
        return bufStart + pos;
    }

    /** While a record is handled: the lines before it in this chunk; afterwards, all the chunk's lines. */
    public long relativeLine() {
        return lines;
    }

    /** Where the chunk's first record starts, -1 when none does. */
    public long start() {
        return start;
    }

    /** Where the chunk's last record ends, -1 when none starts in the chunk. */
    public long end() {
        return end;
    }

    /** Lines the chunk's records span. */
    public long lines() {
        return lines;
    }

    /** Records read, rejected ones included, blank lines not. */
    public long records() {
        return records;
    }

    /** Records rejected. */
    public int rejected() {
        return rejects.size();
    }

    RejectList rejects() {
        return rejects;
    }

    /** Why the file cannot be read on (not UTF-8, a quote never closed), or null. */
    public String error() {
        return error;
    }

    /** The line of the {@link #error()}, relative to the chunk's first. */
    public long errorLine() {
        return errorLine;
    }

    private void fail(String message) {
        done = true;
        error = message;
        errorLine = lines;
    }

    private void fill(long wanted) throws IOException {
        while (bufLength < wanted) {
            int n = in.read(bufStart + bufLength, buf, bufLength, (int) wanted - bufLength);
            if (n < 0) {
                eof = true;
                break;
            }
            bufLength += n;
        }
        if (bufStart + bufLength >= in.size()) {
            eof = true;
        }
    }

    /** Reads past the range's end: its last record goes on until it ends. */
    private void more() throws IOException {
        if (eof) {
            throw new IllegalStateException("a record needs more bytes at the end of the file");
        }
        if (bufLength + MORE > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLength + MORE));
        }
        fill(bufLength + MORE);
    }
}
