package se.nestit.audience.source;

/** Makes the sinks an activity file's rows go to, one per reading thread. */
@FunctionalInterface
public interface ActivitySinks<S extends ActivitySink> {

    S sink();

    /**
     * The rows handed to the sinks so far do not count: the file is read again from its start on
     * one thread, to new sinks (see {@link ChunkedCsvReader}). What the sinks share, such as
     * counters, must forget them; no sink of the first read takes rows any more.
     */
    default void restart() {}
}
