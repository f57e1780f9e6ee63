package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar carries no Spark (spark-submit brings it; its ~300 MB would double the jar and
 * clash with the cluster's), yet has the Spark entry point, and {@code java -jar ... sync} runs.
 */
class SparkFreeJarIT {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void theJarHasTheSparkEntryPointButNoSpark() throws IOException {
        try (JarFile jar = new JarFile(ExporterJar.JAR.toFile())) {
            assertEquals(
                    0,
                    jar.stream()
                            .filter(e -> e.getName().startsWith("org/apache/spark/"))
                            .count());
            assertTrue(jar.getEntry("se/nestit/audience/spark/SparkBuild.class") != null);
        }
    }

    @Test
    void javaDashJarSyncRunsWithoutSpark() {
        ExporterJar run = ExporterJar.start(
                tmp.resolve("logs"),
                "sync",
                Map.of(),
                null,
                List.of(
                        "sync",
                        "--config",
                        FIXTURE.resolve("exporter.yaml").toString(),
                        "--data",
                        FIXTURE.resolve("data").toString(),
                        "--audiences",
                        FIXTURE.resolve("audiences").toString(),
                        "--out",
                        tmp.resolve("out").toString(),
                        "--state",
                        tmp.resolve("state").toString(),
                        "--as-of",
                        "2026-11-22",
                        "--no-progress"));
        assertEquals(0, run.waitFor(), run.err());
        assertTrue(Files.exists(tmp.resolve("out/gate-all/basic.csv")));
    }
}
