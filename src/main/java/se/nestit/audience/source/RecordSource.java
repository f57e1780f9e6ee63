package se.nestit.audience.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Where one input file's records come from: a CSV file, or a stream of CSV such as a database's
 * {@code COPY} output. Both go through the same byte-level reader, so a row is accepted or rejected
 * alike wherever it was read from.
 */
interface RecordSource {

    Header header();

    /** Bytes to read, for progress; -1 when not known before the read. */
    long size();

    /** About how many records the input holds, from the bytes read for its header; -1 when not known. */
    default long estimatedRecords() {
        return -1;
    }

    /** The input's name in messages and the report: a file's path, or a database input's name. */
    Path path();

    /** The input's name in rejects.csv. */
    String name();

    /** How its CSV is written; a database's COPY output is always the default. */
    default CsvDialect dialect() {
        return CsvDialect.DEFAULT;
    }

    /**
     * Reads every record after the header.
     *
     * @param threads how many threads may read at once; a stream is read on this thread alone
     * @param workers makes the per-thread state records are handed to
     */
    <W> ChunkedCsvReader.Result<W> read(
            int threads,
            Rejects rejects,
            LongConsumer progress,
            Supplier<W> workers,
            CsvChunk.RecordHandler<W> handler);

    /**
     * Streams every record after the header, in input order, on this thread.
     *
     * @param progress receives the number of bytes read since its previous call
     * @return the number of records read (rejected ones included)
     */
    default long read(Rejects rejects, LongConsumer progress, CsvFile.RecordCheck check) {
        if (!header().present()) {
            return 0;
        }
        return read(1, rejects, progress, () -> null, new CsvChunk.RecordHandler<Object>() {
                    @Override
                    public String accept(ByteRecord record, long line, Object none) {
                        return check.accept(record, line);
                    }

                    @Override
                    public void misshapen(ByteRecord record, Object none) {
                        check.misshapen(record);
                    }

                    @Override
                    public void block(CsvChunk chunk, Object none) throws IOException {
                        // this handler's own loop: see RecordHandler.block
                        for (ByteRecord r; (r = chunk.next(this, none)) != null; ) {
                            chunk.handled(accept(r, chunk.line(), none));
                        }
                    }
                })
                .records();
    }
}
