package se.nestit.audience.cli;

/** The exit codes of the contract. */
public final class ExitCode {

    public static final int OK = 0;
    /** A destination failed (others may have succeeded), verify found a hash that was never allowed, or the run broke. */
    public static final int FAILED = 1;
    /** Bad usage, configuration, audience definition or input structure. */
    public static final int USAGE = 2;
    /** Another run holds the lock on the state directory. */
    public static final int LOCKED = 3;
    /**
     * {@code verify} found only hashes whose consent changed after they were sent (withdrawn,
     * expired): nothing offends, and the next sync removes them.
     */
    public static final int CHANGED_SINCE_SYNC = 4;
    /**
     * A sync stopped in order, with what the networks confirmed committed and the report marked
     * {@code interrupted}. As a process the JVM exits with 128 plus the signal's number: this (143)
     * for SIGTERM, 130 for SIGINT (Ctrl-C).
     */
    public static final int STOPPED = 143;

    private ExitCode() {}
}
