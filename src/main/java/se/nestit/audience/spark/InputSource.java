package se.nestit.audience.spark;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.CollectionAccumulator;
import se.nestit.audience.source.InputFile;

/**
 * One input file as the Spark build reads it, in parts that tasks read side by side. A record's
 * order key is its part's number above its place in the part ({@link #order}): it grows with file
 * order, which settles consent ties the way the single-machine reader does (the later row wins)
 * without a task knowing how many lines the parts before it hold.
 */
abstract class InputSource implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int PLACE_BITS = 40;

    final InputFile file;
    final String path;

    InputSource(InputFile file, String path) {
        this.file = file;
        this.path = path;
    }

    /** The header row's cells as read. */
    abstract String[] headerCells();

    /** Runs {@code body} on every part, one task each; each task reports its part to {@code reports}. */
    abstract <T> JavaRDD<T> read(PartBody<T> body, CollectionAccumulator<PartReport> reports);

    /** The size in bytes, to size the shuffles by. */
    abstract long size();

    static long order(int part, long place) {
        return (long) part << PLACE_BITS | place;
    }

    static int part(long order) {
        return (int) (order >>> PLACE_BITS);
    }

    static long place(long order) {
        return order & ((1L << PLACE_BITS) - 1);
    }
}
