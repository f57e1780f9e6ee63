package se.nestit.audience.cli;

import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import se.nestit.audience.pipeline.Progress;

/** Progress bars on the terminal (standard error, so that standard output stays the summary). */
final class ConsoleProgress implements Progress {

    /** The first moments (a warming JVM, a first request, a first buffer read at once) do not give the pace. */
    static final Duration SETTLING = Duration.ofSeconds(1);

    @Override
    public Task start(String name, long total) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(String.format("%-13s", name))
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .continuousUpdate()
                .setEtaFunction(state -> eta(
                        state.getTotalElapsed(),
                        state.getCurrent() - state.getStart(),
                        state.getMax() - state.getStart()))
                .clearDisplayOnFinish();
        if (total > 1 << 20) {
            builder.setUnit(" MB", 1 << 20);
        }
        ProgressBar bar = builder.build();
        return new Task() {
            @Override
            public void advance(long n) {
                bar.stepBy(n);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /**
     * The time left at the pace so far; none (the bar shows {@code ?}) before a second has passed,
     * before the first unit is done, or when the total is unknown.
     */
    static Optional<Duration> eta(Duration elapsed, long done, long total) {
        if (total <= 0 || done <= 0 || elapsed.compareTo(SETTLING) < 0) {
            return Optional.empty();
        }
        if (done >= total) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(Duration.ofMillis(Math.round(elapsed.toMillis() * ((double) (total - done) / done))));
    }
}
