package se.nestit.audience.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * or limit its resources. Threads of the test copy its standard output and error to files, so a
 * child is never blocked on a full pipe, a failed test can show what it printed, and a limit on
 * the child's file sizes ({@code ulimit -f}) does not cut its log short.
 */
public final class ExporterJar {

    /** Set by the failsafe configuration in pom.xml; relative to the working directory otherwise. */
    public static final Path JAR = Path.of(System.getProperty("exporter.jar", "target/audience-exporter.jar"))
            .toAbsolutePath();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Thread[] copiers;

    private ExporterJar(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.copiers = new Thread[] {copy(process.getInputStream(), stdout), copy(process.getErrorStream(), stderr)};
        try {
            process.getOutputStream().close(); // nothing on its standard input, as under a scheduler
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread copy(InputStream from, Path to) {
        Thread t = new Thread(
                () -> {
                    try (from;
                            OutputStream out = Files.newOutputStream(to)) {
                        from.transferTo(out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "copy " + to.getFileName());
        t.setDaemon(true);
        t.start();
        return t;
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
        return start(null, logs, name, env, shell, args);
    }

    /** As {@link #start(Path, String, Map, String, List)}, in working directory {@code dir} (null: the test's). */
    public static ExporterJar start(
            Path dir, Path logs, String name, Map<String, String> env, String shell, List<String> args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after mvn package (mvn verify)");
        }
        List<String> command = new ArrayList<>();
        if (shell != null) {
            // exec keeps the pid, so that the test kills the JVM itself, not a shell around it
            command.addAll(List.of("bash", "-c", shell + " && exec \"$@\"", "bash"));
        }
        // a short-lived batch run: the quick compiler and one GC thread leave the 2 cores to the tests' servers
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-Dfile.encoding=UTF-8",
                "-jar",
                JAR.toString()));
        command.addAll(args);
        try {
            Files.createDirectories(logs);
            Path out = logs.resolve(name + ".out");
            Path err = logs.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
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

    /** Sends SIGTERM, as {@code systemctl stop} and Kubernetes do, without waiting; safe to call from another thread. */
    public void signalTerm() {
        process.toHandle().destroy(); // Process.destroy would also close the pipes its output comes through
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

    /** What it printed on standard output; call once it has ended. */
    public String out() {
        return read(stdout);
    }

    /** What it printed on standard error (its log); call once it has ended. */
    public String err() {
        return read(stderr);
    }

    private String read(Path file) {
        try {
            for (Thread t : copiers) {
                t.join(10_000); // the pipes end with the process
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
