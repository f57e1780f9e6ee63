package se.nestit.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMH benchmarks in src/jmh/java are built only with {@code -Pjmh}, so nothing else notices when
 * a change to the code they call breaks them: this compiles them (and runs none) against the main
 * classes and the JMH and FastCSV jars that the build copies to target/jmh-classpath.
 */
class JmhSourcesTest {

    @Test
    void benchmarksCompileAgainstTheCurrentCode(@TempDir Path out) throws IOException {
        List<Path> sources = files(Path.of("src/jmh/java"), ".java");
        assertFalse(sources.isEmpty(), "no benchmarks found in src/jmh/java");
        List<Path> jars = files(Path.of("target/jmh-classpath"), ".jar");
        assertEquals(2, jars.size(), "expected jmh-core and fastcsv in target/jmh-classpath (copied by mvn test)");

        String classpath = Stream.concat(
                        Stream.of(System.getProperty("java.class.path")),
                        jars.stream().map(Path::toString))
                .collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(
                            messages,
                            fileManager,
                            null,
                            // JMH's annotation processor runs only under -Pjmh: here the question is whether the code
                            // compiles
                            List.of("-proc:none", "-classpath", classpath, "-d", out.toString()),
                            null,
                            fileManager.getJavaFileObjectsFromPaths(sources))
                    .call();
            assertTrue(compiled, messages.toString());
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
