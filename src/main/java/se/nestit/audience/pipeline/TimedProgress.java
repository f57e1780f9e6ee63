package se.nestit.audience.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passes progress on and notes how long each task took, so that the report can show where the
 * time of a run goes (reading customers, reading events, hashing...).
 */
final class TimedProgress implements Progress {

    private final Progress inner;
    private final Map<String, Double> seconds = new ConcurrentHashMap<>();

    TimedProgress(Progress inner) {
        this.inner = inner;
    }

    @Override
    public Task start(String name, long total) {
        Task task = inner.start(name, total);
        long started = System.nanoTime();
        return new Task() {
            @Override
            public void advance(long n) {
                task.advance(n);
            }

            @Override
            public void close() {
                task.close();
                seconds.merge(name, Math.round((System.nanoTime() - started) / 1e6) / 1000.0, Double::sum);
            }
        };
    }

    /** Seconds per task name. */
    Map<String, Double> seconds() {
        return seconds;
    }
}
