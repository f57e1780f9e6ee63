package se.nestit.audience.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One input read once from a stream of CSV with a header row, such as a database's
 * {@code COPY ... TO STDOUT WITH (FORMAT csv, HEADER)}: chunk after chunk through the same
 * {@link CsvChunk} reader as a file, on one thread, holding one chunk at a time.
 */
public final class CsvStream implements RecordSource {

    /** Starts the stream; the reader closes it. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private final InputFile file;
    private final String name;
    private final String[] cells;
    private final Header header;
    private final Opener opener;
    private final int chunkBytes;

    CsvStream(InputFile file, String name, String[] cells, Header header, Opener opener, int chunkBytes) {
        this.file = file;
        this.name = name;
        this.cells = cells;
        this.header = header;
        this.opener = opener;
        this.chunkBytes = chunkBytes;
    }

    /**
     * @param name the input's name in messages, rejects and the report
     * @param cells the header row the stream will start with, known before it is read (so that
     *     audience definitions are checked against it first)
     * @param mapping contract column name to the name in the user's export
     * @throws InputException when a required or mapped column is missing
     */
    public static CsvStream of(
            InputFile file, String name, String[] cells, Map<String, String> mapping, Opener opener) {
        return new CsvStream(
                file,
                name,
                cells.clone(),
                Header.of(file, Path.of(name), cells, mapping, CsvDialect.DEFAULT.delimiter()),
                opener,
                DataSet.CHUNK_BYTES);
    }

    /** An optional input that is not there: read as empty, as a missing optional file is. */
    public static CsvStream absent(InputFile file, String name) {
        return new CsvStream(
                file,
                name,
                new String[0],
                Header.absent(file, Path.of(name)),
                () -> {
                    throw new IllegalStateException(name + " is absent");
                },
                DataSet.CHUNK_BYTES);
    }

    @Override
    public Header header() {
        return header;
    }

    @Override
    public long size() {
        return -1;
    }

    @Override
    public Path path() {
        return Path.of(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <W> ChunkedCsvReader.Result<W> read(
            int threads,
            Rejects rejects,
            LongConsumer progress,
            Supplier<W> workers,
            CsvChunk.RecordHandler<W> handler) {
        if (!header.present()) {
            return new ChunkedCsvReader.Result<>(List.of(), 0);
        }
        try (InputStream in = opener.open()) {
            StreamBytes source = new StreamBytes(in);
            ChunkedCsvReader.Head head = ChunkedCsvReader.head(source, name, CsvDialect.DEFAULT.delimiterByte());
            if (!Arrays.equals(head.cells(), cells)) {
                throw new InputException(name + ": line 1: the header row is not the one announced before the read ("
                        + String.join(", ", cells) + ")");
            }
            W worker = workers.get();
            long start = head.dataStart();
            long line = head.firstLine();
            long records = 0;
            byte[] buffer = null;
            progress.accept(start);
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    // a run that stops reads no further, and a reader cancelled because another failed stops here
                    throw new InputException(name + ": interrupted while reading");
                }
                source.release(start);
                long rangeEnd = source.fill(start + chunkBytes);
                if (start >= rangeEnd) {
                    return new ChunkedCsvReader.Result<>(worker == null ? List.of() : List.of(worker), records);
                }
                CsvChunk c = new CsvChunk(
                                source, start, rangeEnd, true, line, header.width(), CsvDialect.DEFAULT.delimiterByte())
                        .read(worker, handler, buffer);
                buffer = c.takeBuffer();
                rejects.add(file, line, c.rejects());
                if (c.error() != null) {
                    throw new InputException(name + ": line " + (line + c.errorLine()) + ": " + c.error());
                }
                progress.accept(c.end() - start);
                records += c.records();
                line += c.lines();
                start = c.end();
            }
        } catch (IOException e) {
            throw new InputException(name + ": " + e.getMessage(), e);
        }
    }
}
