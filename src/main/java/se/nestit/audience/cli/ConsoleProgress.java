package se.nestit.audience.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import se.nestit.audience.pipeline.Progress;

/** Progress bars on the terminal (standard error, so that standard output stays the summary). */
final class ConsoleProgress implements Progress {

    @Override
    public Task start(String name, long total) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(String.format("%-13s", name))
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .continuousUpdate()
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
}
