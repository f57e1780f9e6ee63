package se.nestit.audience.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/audience-exporter.jar}, built by {@code mvn package}) run as a
 * child process with the same {@code java} as the tests, for integration tests that must kill it
 * or limit its resources. Its standard output and error go to files, so a child is never blocked
 * on a full pipe and a failed test can show what it printed.
 */
public final class ExporterJar {

    /** Set by the failsafe configuration in pom.xml; relative to the working directory otherwise. */
    public static final Path JAR = Path.of(System.getProperty("exporter.jar", "target/audience-exporter.jar")).toAbsolutePath();

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ExporterJar(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code java -jar audience-exporter.jar args...}.
     *
     * @param logs where {@code <name>.out} and {@code <name>.err} are written
     * @param env added to the environment the child inherits (the secrets a config names)
     * @param shell a shell line run before the JVM replaces the shell in the same process, such as
     *     {@code ulimit -f 1}; null for none
     */
    public static ExporterJar start(Path logs, String name, Map<String, String> env, String shell, List<String> args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after mvn package (mvn verify)");
        }
        List<String> command = new ArrayList<>();
        if (shell != null) {
            // exec keeps the pid, so that the test kills the JVM itself, not a shell around it
            command.addAll(List.of("bash", "-c", shell + " && exec \"$@\"", "bash"));
        }
        // a short-lived batch run: the quick compiler and one GC thread leave the 2 cores to the tests' servers
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx256m", "-Dfile.encoding=UTF-8", "-jar", JAR.toString()));
        command.addAll(args);
        try {
            Files.createDirectories(logs);
            Path out = logs.resolve(name + ".out");
            Path err = logs.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            return new ExporterJar(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the run to end on its own. */
    public int waitFor() {
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                kill();
                throw new IllegalStateException("the run did not end within 5 minutes (killed); its log:\n" + err());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits at most {@code millis} for the run to end; true when it has. */
    public boolean waitFor(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGKILL ({@code kill -9}) without waiting; safe to call from another thread. */
    public void signalKill() {
        process.destroyForcibly();
    }

    /** {@code kill -9}, and waits until the process is gone (its files closed, its locks released). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    public String out() {
        return read(stdout);
    }

    public String err() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
