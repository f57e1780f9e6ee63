package se.nestit.audience.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import se.nestit.audience.source.ByteRecord;
import se.nestit.audience.source.ChunkedCsvReader;
import se.nestit.audience.source.CsvChunk;
import se.nestit.audience.source.CsvDialect;
import se.nestit.audience.source.InputException;
import se.nestit.audience.source.InputFile;

/**
 * A CSV input file read in byte ranges by the single-machine reader's own {@link CsvChunk}, one
 * task per range. As there, a range's start after its first line break is a guess: the driver
 * checks every range started where the one before ended, and reads the file again in one range
 * when one did not (a quoted cell holding a line break right at a boundary).
 */
final class CsvSource extends InputSource {

    private static final long serialVersionUID = 1L;

    /** One byte range; the first starts exactly at the first record. (Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.) */
    static final class Range implements Serializable {

        private static final long serialVersionUID = 1L;

        private final int part;
        private final long from;
        private final long to;
        private final boolean exact;
        private final long firstLine;

        Range(int part, long from, long to, boolean exact, long firstLine) {
            this.part = part;
            this.from = from;
            this.to = to;
            this.exact = exact;
            this.firstLine = firstLine;
        }

        int part() {
            return part;
        }

        long from() {
            return from;
        }

        long to() {
            return to;
        }

        boolean exact() {
            return exact;
        }

        long firstLine() {
            return firstLine;
        }
    }

    private final transient JavaSparkContext jsc;
    private final Broadcast<SerializableConfiguration> conf;
    private final String[] header;
    private final int width;
    private final long firstLine;
    private final long size;
    private final List<Range> ranges;

    private CsvSource(
            JavaSparkContext jsc,
            Broadcast<SerializableConfiguration> conf,
            InputFile file,
            String path,
            String[] header,
            long firstLine,
            long size,
            List<Range> ranges) {
        super(file, path);
        this.jsc = jsc;
        this.conf = conf;
        this.header = header;
        this.width = header.length;
        this.firstLine = firstLine;
        this.size = size;
        this.ranges = ranges;
    }

    /** Opens a file and reads its header; null when an optional file does not exist. */
    static CsvSource open(
            JavaSparkContext jsc,
            Broadcast<SerializableConfiguration> conf,
            InputFile file,
            Path path,
            long rangeBytes) {
        try {
            FileSystem fs = path.getFileSystem(conf.value().value());
            if (!fs.exists(path)) {
                if (file.mustExist()) {
                    throw new InputException(file.notFound(path, file.fileName()));
                }
                return null;
            }
            FileStatus status = fs.getFileStatus(path);
            if (!status.isFile()) {
                throw new InputException(path + ": not a regular file");
            }
            ChunkedCsvReader.Head head;
            try (HadoopByteSource in = HadoopByteSource.open(path, conf.value().value())) {
                head = ChunkedCsvReader.head(in, path.toString(), CsvDialect.DEFAULT.delimiterByte());
            }
            List<Range> ranges = new ArrayList<>();
            long size = status.getLen();
            for (long o = head.dataStart(); o < size; o += rangeBytes) {
                boolean first = ranges.isEmpty();
                ranges.add(new Range(
                        ranges.size(), o, Math.min(size, o + rangeBytes), first, first ? head.firstLine() : -1));
            }
            return new CsvSource(jsc, conf, file, path.toString(), head.cells(), head.firstLine(), size, ranges);
        } catch (IOException e) {
            throw new InputException(path + ": cannot read the file (" + e.getMessage() + ")", e);
        }
    }

    /** The same file in one range, read from the first record to the end by one task. */
    CsvSource whole() {
        List<Range> one = ranges.isEmpty()
                ? List.of()
                : List.of(new Range(0, ranges.get(0).from(), size, true, firstLine));
        return new CsvSource(jsc, conf, file, path, header, firstLine, size, one);
    }

    int parts() {
        return ranges.size();
    }

    long firstLine() {
        return firstLine;
    }

    @Override
    String[] headerCells() {
        return header.clone();
    }

    @Override
    long size() {
        return size;
    }

    @Override
    <T> JavaRDD<T> read(PartBody<T> body, CollectionAccumulator<PartReport> reports) {
        if (ranges.isEmpty()) {
            return jsc.emptyRDD();
        }
        InputFile f = file;
        String p = path;
        int w = width;
        Broadcast<SerializableConfiguration> c = conf;
        return jsc.parallelize(ranges, ranges.size()).mapPartitions(it -> {
            List<T> out = new ArrayList<>();
            while (it.hasNext()) {
                Range r = it.next();
                PartBody.Sink<T> sink = body.open();
                try (HadoopByteSource in =
                        HadoopByteSource.open(new Path(p), c.value().value())) {
                    CsvChunk chunk = new CsvChunk(
                            in, r.from(), r.to(), r.exact(), r.firstLine(), w, CsvDialect.DEFAULT.delimiterByte());
                    chunk.read(
                            null,
                            new CsvChunk.RecordHandler<Object>() {
                                @Override
                                public String accept(ByteRecord record, long line, Object none) {
                                    return sink.accept(record, order(r.part(), chunk.relativeLine()));
                                }

                                @Override
                                public void misshapen(ByteRecord record, Object none) {
                                    sink.misshapen(record);
                                }
                            },
                            null);
                    reports.add(new PartReport(
                            f,
                            r.part(),
                            chunk.start(),
                            chunk.end(),
                            chunk.lines(),
                            chunk.records(),
                            chunk.rejected(),
                            chunk.error(),
                            chunk.errorLine()));
                } catch (IOException e) {
                    throw new UncheckedIOException(p + ": cannot read the file (" + e.getMessage() + ")", e);
                }
                sink.results().forEachRemaining(out::add);
            }
            return out.isEmpty() ? Collections.emptyIterator() : out.iterator();
        });
    }
}
