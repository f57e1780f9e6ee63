package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing archive that {@code mvn package} makes (pom.xml, execution
 * "class-data-archive") serves the production command as documented: from the project directory,
 * {@code java -XX:SharedArchiveFile=target/audience-exporter.jsa ... -jar target/audience-exporter.jar}.
 * The JVM ignores an archive made for another class path or another build of the jar, with only a
 * warning, so a run would still work but pay its start-up in full: this test is what notices.
 */
class ClassDataArchiveIT {

    private static final Path ARCHIVE = Path.of("target/audience-exporter.jsa");

    @TempDir
    Path tmp;

    @Test
    void theDocumentedCommandMapsTheProductsClassesFromTheArchive() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(ARCHIVE), ARCHIVE.toAbsolutePath() + " was not made by mvn package");

        String classes = java("-XX:SharedArchiveFile=" + ARCHIVE, "-XX:+UseParallelGC", "-Xlog:class+load=info");

        assertTrue(
                classes.contains("se.nestit.audience.cli.Main source: shared objects file (top)"),
                "the product's main class did not come from the archive:\n" + tail(classes));
        assertFalse(classes.contains("Unable to use shared archive"), tail(classes));
    }

    @Test
    void aRunWithoutTheArchiveLoadsTheSameClassesFromTheJar() throws IOException, InterruptedException {
        // the control: the line the other test looks for is the archive's doing, not always there
        String classes = java("-XX:+UseParallelGC", "-Xlog:class+load=info");

        assertTrue(classes.contains("se.nestit.audience.cli.Main source: file:"), tail(classes));
        assertFalse(classes.contains("se.nestit.audience.cli.Main source: shared objects file"), tail(classes));
    }

    /** Runs {@code java <options> -jar target/audience-exporter.jar --version}; its output. */
    private String java(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        // named exactly as the archive was made with: the JVM compares the class path as written
        command.addAll(List.of("-jar", "target/audience-exporter.jar", "--version"));
        Path output = tmp.resolve("output.txt");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertEquals(0, process.waitFor(), () -> tail(read(output)));
        return read(output);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 2000));
    }
}
