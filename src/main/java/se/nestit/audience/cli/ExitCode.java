package se.nestit.audience.cli;

/** The exit codes of the contract. */
public final class ExitCode {

    public static final int OK = 0;
    /** A destination failed (others may have succeeded), verify found offending hashes, or the run broke. */
    public static final int FAILED = 1;
    /** Bad usage, configuration, audience definition or input structure. */
    public static final int USAGE = 2;
    /** Another run holds the lock on the state directory. */
    public static final int LOCKED = 3;
    /**
     * A sync stopped in order by SIGTERM, with what the networks confirmed committed and the report
     * marked {@code interrupted}. As a process the JVM exits with 128 plus the signal's number: this
     * for SIGTERM, {@link #STOPPED_BY_SIGINT} for SIGINT (Ctrl-C).
     */
    public static final int STOPPED = 143;
    public static final int STOPPED_BY_SIGINT = 130;

    private ExitCode() {}
}
