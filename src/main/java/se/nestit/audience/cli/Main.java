package se.nestit.audience.cli;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.source.InputException;
import se.nestit.audience.sync.LockHeldException;
import se.nestit.audience.sync.Stopping;

/** {@code java -jar audience-exporter.jar <command>}: the entry point. */
@Command(
        name = "audience-exporter",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Turns consented customers into hashed-email advertising audiences for files, Google and Meta.",
            "",
            "Reads customers, consents, suppressions, orders and behaviour events (CSV), skips everyone without "
                    + "fresh marketing consent or with a suppression, evaluates the audience definitions, and "
                    + "writes or syncs SHA-256 hashes of normalized emails. Raw emails never leave the process."
        },
        subcommands = {
            SyncCommand.class,
            PlanCommand.class,
            CheckCommand.class,
            VerifyCommand.class,
            ReportCommand.class,
            GenerateCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 success, 1 a destination failed, a guardrail held audiences (or verify found "
                    + "offending hashes, or check found something wrong), 2 bad usage, configuration, audience definition or "
                    + "input, 3 another run holds the lock, 130/143 a sync stopped by SIGINT/SIGTERM (what the networks "
                    + "confirmed is committed)."
        })
public final class Main implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Stopping.onSignals();
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: " + outOfMemory(e));
            code = ExitCode.FAILED;
        }
        if (Stopping.requested()) {
            // A signal began the JVM's exit, which ends with 128 plus the signal's number (130,
            // 143) once the sync has stopped in order; System.exit would only wait for it.
            return;
        }
        System.exit(code);
    }

    /** Runs a command line and returns its exit code; for tests and embedding. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new Main()));
    }

    /** Gives a command line this one's exit codes and one-line messages for errors a user can fix. */
    public static CommandLine withErrorHandling(CommandLine cl) {
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(new CommandSuggestion(cl.getParameterExceptionHandler()));
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing command: sync, plan, check, verify or report");
    }

    /** Errors a user can fix end in a one-line message and exit code 2; anything else in 1. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code = exitCodeOf(e);
        if (code != ExitCode.FAILED) {
            err.println("error: " + oneLine(e.getMessage()));
            return code;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                err.println("error: " + outOfMemory(oom));
                return ExitCode.FAILED;
            }
        }
        log.debug("run failed", e);
        err.println("error: " + oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        return ExitCode.FAILED;
    }

    /** The exit code a run that threw this ends with. */
    static int exitCodeOf(Exception e) {
        if (e instanceof DefinitionException || e instanceof InputException) {
            return ExitCode.USAGE;
        }
        return e instanceof LockHeldException ? ExitCode.LOCKED : ExitCode.FAILED;
    }

    /**
     * The message with its control characters escaped: a file name, a YAML key or a header cell it
     * names may hold a line break, which would split the error line, or a terminal escape.
     */
    static String oneLine(String message) {
        StringBuilder s = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                s.append("\\n");
            } else if (c == '\r') {
                s.append("\\r");
            } else if ((Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029') {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** The job holds about 1 GB per million customers: say so instead of a stack trace. */
    private static String outOfMemory(OutOfMemoryError e) {
        return "out of memory (" + e.getMessage() + "); give Java more heap, about 1 GB per million customers, "
                + "for example java -Xmx2g -jar audience-exporter.jar ...";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"audience-exporter " + (v == null ? "(development build)" : v)};
        }
    }
}
