package se.nestit.audience.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One input file read as RFC 4180 CSV: UTF-8 (an initial BOM is skipped) or another encoding the
 * {@link CsvDialect} names, its delimiter between fields, a header row, then
 * records that must have the header's number of fields. Records with another number of fields,
 * or with text after a closing quote, are rejected here; blank lines carry no record and are
 * passed over. Bytes that are not UTF-8, or a quote that is never closed, stop the run at their
 * line.
 */
public final class CsvFile implements RecordSource {

    /**
     * Checks one record and answers null to accept it or the reason to reject it. The row is only
     * valid during the call; its cells become strings only when asked for.
     */
    @FunctionalInterface
    public interface RecordCheck {
        String accept(RowView row, long line);

        /** See {@link CsvChunk.RecordHandler#misshapen}. */
        default void misshapen(ByteRecord record) {}
    }

    private final InputFile file;
    private final Path path;
    private final CsvDialect dialect;
    private final Header header;
    private final long dataStart;
    private final long firstLine;
    private final long estimatedRecords;

    private CsvFile(
            InputFile file,
            Path path,
            CsvDialect dialect,
            Header header,
            long dataStart,
            long firstLine,
            long estimatedRecords) {
        this.file = file;
        this.path = path;
        this.dialect = dialect;
        this.header = header;
        this.dataStart = dataStart;
        this.firstLine = firstLine;
        this.estimatedRecords = estimatedRecords;
    }

    /**
     * Opens a file and reads its header.
     *
     * @param mapping contract column name to the name in the user's export
     * @param dialect how the file is written
     * @throws InputException when a required file or column is missing or the file is unreadable
     */
    public static CsvFile open(InputFile file, Path path, Map<String, String> mapping, CsvDialect dialect) {
        if (!Files.exists(path)) {
            if (file.mustExist()) {
                throw new InputException(file.notFound(path, file.fileName()));
            }
            return new CsvFile(file, path, dialect, Header.absent(file, path), 0, 0, 0);
        }
        if (!Files.isRegularFile(path)) {
            // a named pipe would hold the run until something writes to it; the reader needs a file's size anyway
            throw new InputException(path + ": not a regular file");
        }
        ChunkedCsvReader.Head head = ChunkedCsvReader.head(path, dialect);
        return new CsvFile(
                file,
                path,
                dialect,
                Header.of(file, path, head.cells(), mapping, dialect.delimiter()),
                head.dataStart(),
                head.firstLine(),
                head.estimatedRecords());
    }

    public InputFile file() {
        return file;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public CsvDialect dialect() {
        return dialect;
    }

    @Override
    public String name() {
        return file.fileName();
    }

    @Override
    public Header header() {
        return header;
    }

    /** Size in bytes, for progress; 0 for an absent file. */
    @Override
    public long size() {
        try {
            return header.present() ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public long estimatedRecords() {
        return estimatedRecords;
    }

    @Override
    public <W> ChunkedCsvReader.Result<W> read(
            int threads,
            Rejects rejects,
            LongConsumer progress,
            Supplier<W> workers,
            CsvChunk.RecordHandler<W> handler) {
        return reader(threads).read(rejects, progress, workers, handler);
    }

    /** A reader of this file's records on {@code threads} threads, for files too large for {@link #read}. */
    ChunkedCsvReader reader(int threads) {
        return new ChunkedCsvReader(
                file, path, dialect, header.width(), dataStart, firstLine, threads, DataSet.chunkBytes(threads));
    }
}
