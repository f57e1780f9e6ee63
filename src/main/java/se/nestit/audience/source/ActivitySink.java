package se.nestit.audience.source;

/**
 * Takes the accepted rows of an activity file; one sink per reading thread, so it need not be
 * thread-safe (what sinks share must be).
 */
@FunctionalInterface
public interface ActivitySink {
    void accept(ActivityRecord record);
}
