package se.nestit.audience.sync;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stopping a sync in order when the process is asked to end: SIGINT (Ctrl-C) or SIGTERM
 * ({@code systemctl stop}, Kubernetes). The JVM runs its shutdown hooks on those signals; the
 * hook installed here asks the sync to stop and waits, at most {@link #GRACE}, while it finishes
 * the request in flight, commits what the networks confirmed, writes its report and releases its
 * lock. The sync asks {@link #requested()} before each request. Then the JVM exits with 128 plus
 * the signal's number: 130 for SIGINT, 143 for SIGTERM. Signals concern the whole process, and so
 * does this.
 */
public final class Stopping {

    /** Inside the 30 seconds Kubernetes gives a pod by default before it kills it. */
    private static final Duration GRACE = Duration.ofSeconds(20);

    private static volatile boolean requested;
    private static final Set<CountDownLatch> running = ConcurrentHashMap.newKeySet();

    private Stopping() {}

    /** Installs the shutdown hook; once, by the command line's {@code main}. */
    public static void onSignals() {
        Runtime.getRuntime().addShutdownHook(new Thread(Stopping::stopAndWait, "stop the sync in order"));
    }

    /** Whether the process is ending: no new request may start. */
    public static boolean requested() {
        return requested;
    }

    /** Marks a sync under way until the returned guard is closed: a stop meanwhile waits for it (and any other). */
    public static Running running() {
        CountDownLatch done = new CountDownLatch(1);
        running.add(done);
        return () -> {
            running.remove(done);
            done.countDown();
        };
    }

    /** The end of a sync: its report written, its lock released, its last line printed. */
    @FunctionalInterface
    public interface Running extends AutoCloseable {
        @Override
        void close();
    }

    private static void stopAndWait() {
        requested = true;
        long deadline = System.nanoTime() + GRACE.toNanos();
        try {
            for (CountDownLatch sync : List.copyOf(running)) {
                if (sync.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    continue;
                }
                // The state is committed before each request, with what it sends in doubt: still safe to go on from.
                System.err.println(
                        "stopped: the sync did not reach a safe stop within " + GRACE.toSeconds() + " s and was "
                                + "abandoned; its sync state stays valid, and the next sync sends again whatever was not confirmed");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
