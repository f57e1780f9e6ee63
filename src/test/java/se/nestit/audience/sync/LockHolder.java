package se.nestit.audience.sync;

import java.nio.file.Path;

/** A separate process that takes the run lock, says so, and waits to be killed. */
public final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws InterruptedException {
        RunLock lock = RunLock.acquire(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(60_000);
        lock.close();
    }
}
