package se.nestit.audience.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the records of a large CSV file on several threads: the file is cut into chunks at byte
 * offsets, and each chunk's reader starts at the first line break after its offset.
 *
 * <p>That start is a guess: the line break may sit inside a quoted cell. The guess is checked
 * afterwards against the reader of the chunk before, which knows exactly where its last record
 * ended. If any guess was wrong, everything read from the file is dropped and the file is read
 * again on one thread, from the start: correct in every case, and only slower in the rare one
 * (a quoted cell holding a line break right at a chunk boundary).
 *
 * <p>Each chunk counts the line breaks in its byte range before it hands out records, so that
 * handlers see every record's line on every thread, unless the handler takes lines on demand
 * (orders and events, whose rows need a line only to stop the run): then the chunks skip that pass,
 * and a handler that needs a line after all has the file read again on one thread. Rejects and
 * errors are collected per chunk and made absolute once every chunk's line count is known.
 */
public final class ChunkedCsvReader {

    /**
     * A file's header row and where the records after it start.
     *
     * @param estimatedRecords about how many records the file holds, from the line breaks in the bytes read
     *     for the header; -1 when the source's size is not known
     */
    public record Head(String[] cells, long dataStart, long firstLine, long estimatedRecords) {}

    private static final Logger log = LoggerFactory.getLogger(ChunkedCsvReader.class);
    /**
     * The bytes {@link #head} reads for the header and the records' estimate, about ten thousand rows:
     * reading and counting the line breaks of the longest record's 8 MB took a tenth of a second of
     * the run's start over five files, for an estimate no better. A longer header is read on.
     */
    static final int HEAD_SAMPLE_BYTES = 1 << 20;

    private final InputFile file;
    private final Path path;
    private final CsvDialect dialect;
    private final int width;
    private final long dataStart;
    private final long firstLine;
    private final int threads;
    private final int chunkSize;

    /**
     * @param dataStart the byte offset of the first record after the header
     * @param firstLine the line that record starts on
     */
    ChunkedCsvReader(
            InputFile file,
            Path path,
            CsvDialect dialect,
            int width,
            long dataStart,
            long firstLine,
            int threads,
            int chunkSize) {
        this.file = file;
        this.path = path;
        this.dialect = dialect;
        this.width = width;
        this.dataStart = dataStart;
        this.firstLine = firstLine;
        this.threads = threads;
        this.chunkSize = chunkSize;
    }

    /**
     * What a read found.
     *
     * @param workers the per-thread states that saw the records (those of an abandoned parallel pass left out)
     * @param records the records read, blank lines not counted
     */
    record Result<W>(List<W> workers, long records) {}

    /**
     * Reads the header row (a UTF-8 byte order mark before it is skipped) and finds where the
     * records start.
     *
     * @throws InputException for an empty file, or a header that is not UTF-8, is malformed or does not end
     */
    static Head head(Path path, CsvDialect dialect) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return head(
                    TranscodedSource.of(ByteSource.of(channel), dialect.encoding()),
                    path.toString(),
                    dialect.delimiterByte());
        } catch (IOException e) {
            throw new InputException(path + ": cannot read the file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * {@link #head(Path, CsvDialect)} of a UTF-8 file read from anywhere.
     *
     * @param path the file's name in messages
     * @param delimiter the byte between fields
     */
    public static Head head(ByteSource source, String path, byte delimiter) {
        try {
            long size = source.size();
            int length = (int) Math.min(size, CsvChunk.MAX_RECORD_BYTES + 3L);
            byte[] b = new byte[Math.min(length, HEAD_SAMPLE_BYTES)];
            int read = fill(source, b, 0);
            int bom = length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
            if (size == bom) {
                throw new InputException(path + ": the file is empty; it needs at least a header row");
            }
            ByteRecord header = new ByteRecord(delimiter);
            int end = header.parse(b, bom, read, read == size);
            if (end == ByteRecord.NEED_MORE && read == b.length && b.length < length) {
                // a header longer than the sample: read on, as far as a record may go
                b = Arrays.copyOf(b, length);
                read = fill(source, b, read);
                header = new ByteRecord(delimiter);
                end = header.parse(b, bom, read, read == size);
            }
            if (end == ByteRecord.UNTERMINATED) {
                throw new InputException(path + ": line 1: a quoted field is never closed (unbalanced quote)");
            }
            if (end < 0) {
                throw new InputException(path + ": line 1: the header row does not end within "
                        + (CsvChunk.MAX_RECORD_BYTES >> 20) + " MB");
            }
            if (!header.ascii() && !header.utf8(bom, end)) {
                throw new InputException(path + ": line 1: " + CsvChunk.notUtf8(b, bom, end));
            }
            if (header.malformedColumn() >= 0) {
                // a record like it is rejected; a header cannot be, and its cell would be read without the text
                throw new InputException(
                        path + ": line 1: field " + (header.malformedColumn() + 1) + ": " + CsvChunk.TEXT_AFTER_QUOTE);
            }
            String[] cells = new String[header.width()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = header.cell(i);
            }
            return new Head(cells, end, 1 + header.lines(), estimate(b, end, read, size));
        } catch (IOException e) {
            throw new InputException(path + ": cannot read the file (" + e.getMessage() + ")", e);
        }
    }

    /** Reads {@code b} from {@code from} on until it is full or the source ends; returns how far it is filled. */
    private static int fill(ByteSource source, byte[] b, int from) throws IOException {
        int read = from;
        while (read < b.length) {
            int n = source.read(read, b, read, b.length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }

    /**
     * The records of a file of {@code size} bytes, scaled from the line breaks in {@code b[from, to)},
     * its bytes after the header: for tables sized up front instead of grown (and rehashed) as they
     * fill. A guess, good for files whose rows are alike; -1 for a source of unknown size.
     */
    private static long estimate(byte[] b, int from, int to, long size) {
        if (size == Long.MAX_VALUE) {
            return -1;
        }
        return to <= from ? 0 : (long) ((double) ByteRecord.lineBreaks(b, from, to) * (size - from) / (to - from));
    }

    /**
     * Reads every record.
     *
     * @param workers makes the per-thread state records are handed to
     */
    <W> Result<W> read(Rejects rejects, LongConsumer progress, Supplier<W> workers, CsvChunk.RecordHandler<W> handler) {
        List<Long> offsets = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteSource source = TranscodedSource.of(ByteSource.of(channel), dialect.encoding());
            long size = source.size();
            for (long o = dataStart; o < size; o += chunkSize) {
                offsets.add(o);
            }
            offsets.add(size);
            progress.accept(dataStart); // the header
            if (offsets.size() <= 2 || threads == 1) {
                return sequential(source, offsets, progress, workers, handler).commit(rejects);
            }
            try {
                Pass<W> parallel = parallel(source, offsets, progress, workers, handler);
                if (parallel.consistent()) {
                    return parallel.commit(rejects);
                }
                log.info("{}: a chunk boundary fell inside a quoted cell; reading the file again on one thread", path);
            } catch (CsvChunk.LineNeeded e) {
                log.info("{}: a message must name a record's line; reading the file again on one thread", path);
            }
        } catch (IOException e) {
            throw new InputException(path + ": cannot read the file (" + e.getMessage() + ")", e);
        }
        handler.restart();
        // on a channel of its own: reading threads stopped by an interrupt close the one they shared
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteSource source = TranscodedSource.of(ByteSource.of(channel), dialect.encoding());
            return sequential(source, offsets, bytes -> {}, workers, handler).commit(rejects);
        } catch (IOException e) {
            throw new InputException(path + ": cannot read the file (" + e.getMessage() + ")", e);
        }
    }

    /** Chunk after chunk on this thread, each starting exactly where the one before ended. */
    private <W> Pass<W> sequential(
            ByteSource source,
            List<Long> offsets,
            LongConsumer progress,
            Supplier<W> workers,
            CsvChunk.RecordHandler<W> handler)
            throws IOException {
        PerThread<W> thread = new PerThread<>(workers.get());
        List<CsvChunk> chunks = new ArrayList<>();
        long start = dataStart;
        long line = firstLine;
        for (int k = 0; k + 1 < offsets.size(); k++) {
            if (Thread.currentThread().isInterrupted()) {
                // a run that stops reads no further, and a reader cancelled because another failed stops here
                throw new InputException(path + ": interrupted while reading");
            }
            long rangeEnd = offsets.get(k + 1);
            if (start < rangeEnd) {
                CsvChunk c = thread.read(
                        new CsvChunk(source, start, rangeEnd, true, line, width, dialect.delimiterByte()),
                        handler,
                        null);
                chunks.add(c);
                if (c.error() != null) {
                    break;
                }
                start = c.end();
                line += c.lines();
            }
            progress.accept(rangeEnd - offsets.get(k));
        }
        return new Pass<>(chunks, thread.worker == null ? List.of() : List.of(thread.worker));
    }

    /**
     * All chunks at once, each but the first starting at a guessed record boundary. Every chunk
     * counts the line breaks in its range first, so that records are handed out with their lines,
     * unless the handler takes them on demand.
     */
    private <W> Pass<W> parallel(
            ByteSource source,
            List<Long> offsets,
            LongConsumer progress,
            Supplier<W> workers,
            CsvChunk.RecordHandler<W> handler) {
        Map<Thread, PerThread<W>> perThread = new ConcurrentHashMap<>();
        // chunks start in file order (the queue is first in, first out), so the chunks one waits for have all started
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, file.stem() + "-reader");
            t.setDaemon(true);
            return t;
        });
        RangeLines lines = new RangeLines(firstLine, offsets.size() - 1);
        List<Future<CsvChunk>> futures = new ArrayList<>();
        try {
            for (int k = 0; k + 1 < offsets.size(); k++) {
                int index = k;
                long from = offsets.get(k);
                long to = offsets.get(k + 1);
                futures.add(pool.submit(() -> {
                    PerThread<W> thread =
                            perThread.computeIfAbsent(Thread.currentThread(), t -> new PerThread<>(workers.get()));
                    CsvChunk c = thread.read(
                            new CsvChunk(
                                    source,
                                    from,
                                    to,
                                    index == 0,
                                    index == 0 ? firstLine : -1,
                                    width,
                                    dialect.delimiterByte()),
                            handler,
                            handler.linesOnDemand() ? null : breaks -> lines.after(index, breaks));
                    progress.accept(to - from);
                    return c;
                }));
            }
            List<CsvChunk> chunks = new ArrayList<>();
            for (Future<CsvChunk> f : futures) {
                chunks.add(f.get());
            }
            return new Pass<>(
                    chunks, perThread.values().stream().map(t -> t.worker).toList());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                // out of memory in a reading thread is no fault of the file: it must not end as one
                throw error;
            }
            throw new InputException(path + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException(path + ": interrupted while reading", e);
        } finally {
            // no handler may run on after this method ended, nor read a closed file
            stop(pool);
        }
    }

    /** Interrupts the reading threads and waits until every one has ended, keeping this thread's interrupt. */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One thread's share of a read: its worker, and the buffer it reads chunk after chunk into
     * (fresh 8 MB arrays cost page faults). It lives as long as the read: a buffer kept on the
     * thread would outlive it.
     */
    private static final class PerThread<W> {
        final W worker;
        private byte[] buffer;

        PerThread(W worker) {
            this.worker = worker;
        }

        CsvChunk read(CsvChunk chunk, CsvChunk.RecordHandler<W> handler, CsvChunk.RangeLine rangeLine)
                throws IOException {
            chunk.read(worker, handler, buffer, rangeLine);
            buffer = chunk.takeBuffer();
            return chunk;
        }
    }

    /** The line breaks each chunk of a parallel pass counted in its range, and from them the line each range starts on. */
    private static final class RangeLines {
        private final long firstLine;
        private final long[] breaks;
        private final CountDownLatch[] counted;

        RangeLines(long firstLine, int chunks) {
            this.firstLine = firstLine;
            this.breaks = new long[chunks];
            this.counted = new CountDownLatch[chunks];
            for (int k = 0; k < chunks; k++) {
                counted[k] = new CountDownLatch(1);
            }
        }

        /** Records chunk {@code k}'s line breaks and answers the line its range starts on, once the chunks before counted theirs. */
        long after(int k, long lineBreaks) throws InterruptedIOException {
            breaks[k] = lineBreaks;
            counted[k].countDown();
            long line = firstLine;
            try {
                for (int j = 0; j < k; j++) {
                    counted[j].await();
                    line += breaks[j];
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("stopped while waiting for the line counts of the chunks before");
            }
            return line;
        }
    }

    /** One pass over the file: its chunks, in file order, and the workers that saw their records. */
    private final class Pass<W> {
        private final List<CsvChunk> chunks;
        private final List<W> workers;

        Pass(List<CsvChunk> chunks, List<W> workers) {
            this.chunks = chunks;
            this.workers = workers;
        }

        /** Whether every chunk started where the chunk before it really ended. */
        boolean consistent() {
            return CsvChunk.consistent(
                    chunks.stream().mapToLong(CsvChunk::start).toArray(),
                    chunks.stream().mapToLong(CsvChunk::end).toArray());
        }

        /** Makes lines absolute, hands over the rejects, and stops at the first broken record. */
        Result<W> commit(Rejects rejects) {
            long line = firstLine;
            long records = 0;
            for (CsvChunk c : chunks) {
                rejects.add(file, line, c.rejects());
                if (c.error() != null) {
                    throw new InputException(path + ": line " + (line + c.errorLine()) + ": " + c.error());
                }
                line += c.lines();
                records += c.records();
            }
            return new Result<>(workers, records);
        }
    }
}
