package se.nestit.audience.spark;

import java.io.Serializable;
import se.nestit.audience.source.InputFile;

/**
 * What one task found in its part of an input file: for a CSV chunk where its records started and
 * ended (to check the guessed start), its lines, records and rejects, and an error that stops the
 * run. Tasks send these to the driver through an accumulator; a task run twice sends its part twice.
 *
 * <p>Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.
 */
final class PartReport implements Serializable {

    private static final long serialVersionUID = 1L;

    private final InputFile file;
    private final int part;
    private final long start;
    private final long end;
    private final long lines;
    private final long records;
    private final long rejected;
    private final String error;
    private final long errorLine;

    PartReport(
            InputFile file,
            int part,
            long start,
            long end,
            long lines,
            long records,
            long rejected,
            String error,
            long errorLine) {
        this.file = file;
        this.part = part;
        this.start = start;
        this.end = end;
        this.lines = lines;
        this.records = records;
        this.rejected = rejected;
        this.error = error;
        this.errorLine = errorLine;
    }

    InputFile file() {
        return file;
    }

    int part() {
        return part;
    }

    long start() {
        return start;
    }

    long end() {
        return end;
    }

    long lines() {
        return lines;
    }

    long records() {
        return records;
    }

    long rejected() {
        return rejected;
    }

    String error() {
        return error;
    }

    long errorLine() {
        return errorLine;
    }
}
