package se.nestit.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/JfrProfile.java, the summary bench/profile.sh prints, is a single-file program that no build
 * compiles: this compiles it and holds its report of a recording made here to what the recording's
 * own events say.
 */
class JfrProfileTest {

    private static final String THREAD = "profiled-spinner";

    @Test
    void itCountsEachThreadsSamplesAndNamesTheirTopFrame(@TempDir Path dir) throws Exception {
        Path recording = dir.resolve("run.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.Compilation");
            r.start();
            Thread spinner = new Thread(() -> spin(400_000_000L), THREAD);
            spinner.start();
            spinner.join();
            r.stop();
            r.dump(recording);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        long spinnerSamples = events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
                .filter(e -> THREAD.equals(e.getThread("sampledThread").getJavaName()))
                .count();
        assertTrue(spinnerSamples > 0, "the recording caught the spinning thread");

        String report = report(dir, events);

        Matcher row = Pattern.compile("(?m)^  " + THREAD + " +(\\d+) ").matcher(report);
        assertTrue(row.find(), report);
        assertEquals(spinnerSamples, Long.parseLong(row.group(1)), report);
        assertTrue(
                report.contains("Top frames of " + THREAD + System.lineSeparator() + "  ")
                        && report.contains("JfrProfileTest.spin line "),
                report);
    }

    /** Sums to keep the JIT from removing the loop. */
    private static long spin(long rounds) {
        long x = 0;
        for (long i = 0; i < rounds; i++) {
            x += i ^ (x >>> 3);
        }
        return x;
    }

    private static String report(Path dir, List<RecordedEvent> events) throws Exception {
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(
                            messages,
                            files,
                            null,
                            List.of("-d", classes.toString()),
                            null,
                            files.getJavaFileObjects(Path.of("bench/JfrProfile.java")))
                    .call();
            assertTrue(compiled, messages.toString());
        }
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> type = loader.loadClass("JfrProfile");
            Constructor<?> create = type.getDeclaredConstructor();
            create.setAccessible(true);
            Object profile = create.newInstance();
            Method add = type.getDeclaredMethod("add", RecordedEvent.class);
            add.setAccessible(true);
            for (RecordedEvent e : events) {
                add.invoke(profile, e);
            }
            Method report = type.getDeclaredMethod("report", int.class);
            report.setAccessible(true);
            return (String) report.invoke(profile, 8);
        }
    }
}
