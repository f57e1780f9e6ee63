package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar audience-exporter.jar} runs where there is no Spark (the jar does not carry it):
 * the whole single-machine sync, run by a class loader that has no Spark and notes every attempt
 * to load one of its classes, must never try.
 */
class MainWithoutSparkTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");

    @TempDir
    Path tmp;

    /** Loads this project's classes itself, hides Spark and Scala, and leaves the rest to the test's class path. */
    private static final class WithoutSpark extends ClassLoader {
        final List<String> asked = new ArrayList<>();

        WithoutSpark() {
            super(MainWithoutSparkTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("org.apache.spark.") || name.startsWith("scala.")) {
                    asked.add(name);
                    throw new ClassNotFoundException(name + " (hidden: no Spark here)");
                }
                if (!name.startsWith("se.nestit.audience.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    @Test
    void syncRunsAndNoSparkClassIsEverAskedFor() throws Exception {
        WithoutSpark loader = new WithoutSpark();
        // it does catch a project class that needs Spark
        assertThrows(
                NoClassDefFoundError.class,
                () -> loader.loadClass("se.nestit.audience.spark.ParquetSource").getDeclaredMethods());
        assertTrue(loader.asked.stream().anyMatch(c -> c.startsWith("org.apache.spark.")), loader.asked.toString());
        loader.asked.clear();

        Class<?> main = loader.loadClass(Main.class.getName());
        assertTrue(main != Main.class, "Main comes from the loader without Spark");
        Path out = tmp.resolve("out");
        Object code = main.getMethod("run", String[].class).invoke(null, (Object) new String[] {
            "sync",
            "--config",
            FIXTURE.resolve("exporter.yaml").toString(),
            "--data",
            FIXTURE.resolve("data").toString(),
            "--audiences",
            FIXTURE.resolve("audiences").toString(),
            "--out",
            out.toString(),
            "--state",
            tmp.resolve("state").toString(),
            "--as-of",
            "2026-11-22",
            "--no-progress"
        });

        assertEquals(0, code);
        assertTrue(Files.exists(out.resolve("gate-all/basic.csv")));
        assertEquals(List.of(), loader.asked, "Spark classes the single-machine sync asked for");
    }
}
