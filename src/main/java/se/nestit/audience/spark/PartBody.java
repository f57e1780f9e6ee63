package se.nestit.audience.spark;

import java.io.Serializable;
import java.util.Iterator;
import se.nestit.audience.source.ByteRecord;
import se.nestit.audience.source.RowView;

/** What a task does with the records of its part of an input file. */
interface PartBody<T> extends Serializable {

    /** Starts on one part, in the task. */
    Sink<T> open();

    /** Takes a part's records one by one, then gives what they came to. */
    interface Sink<T> {
        /**
         * @param row valid only during the call
         * @param order grows with the record's place in the file, across parts: later rows win ties
         * @return null, or the reason to reject the record
         */
        String accept(RowView row, long order);

        /** A record rejected for its shape before {@link #accept}: see {@link se.nestit.audience.source.CsvChunk.RecordHandler#misshapen}. */
        default void misshapen(ByteRecord record) {}

        Iterator<T> results();
    }
}
