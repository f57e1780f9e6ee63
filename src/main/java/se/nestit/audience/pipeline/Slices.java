package se.nestit.audience.pipeline;

import java.util.stream.IntStream;

/**
 * Indexes {@code 0..n} cut into one slice per core (a single one below ten thousand), for loops
 * that keep their state per thread and run as one compiled loop each, not as a call per index.
 */
record Slices(int n, int count) {

    static Slices of(int n) {
        return new Slices(n, Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / 10_000 + 1)));
    }

    /** The slices' numbers, in parallel. */
    IntStream parallel() {
        return IntStream.range(0, count).parallel();
    }

    int from(int slice) {
        return (int) ((long) n * slice / count);
    }

    int to(int slice) {
        return from(slice + 1);
    }
}
