package se.nestit.audience.spark;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.desired.DesiredLayout;
import se.nestit.audience.generate.DataGenerator;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.source.InputFile;

/**
 * The Spark build on local[2] against the single-machine sync on the same data: the audience files
 * byte for byte, and the report's counts.
 */
class SparkBuildTest {

    private static final Path E2E = Path.of("src/test/resources/e2e");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path BENCH = Path.of("bench");
    private static final String AS_OF = "2026-11-22";

    @TempDir
    static Path generated;

    @BeforeAll
    static void sparkAndData() throws IOException {
        LocalSpark.session();
        new DataGenerator(new DataGenerator.Settings(20_000, 7, Instant.parse("2026-11-22T00:00:00Z")))
                .write(generated.resolve("csv"), n -> {});
    }

    @Test
    void theSampleDataGivesWhatSyncGives() throws IOException {
        assertSame(Path.of("conf/exporter.yaml"), Path.of("conf/sample-data"), Path.of("audiences"), "2026-11-22");
    }

    @Test
    void theEndToEndFixtureGivesWhatSyncGivesWithPartsOfAFewBytes() throws IOException {
        // parts of 100 bytes start inside quoted line breaks and BOMs: the guessed starts must be caught
        assertSame(
                E2E.resolve("exporter.yaml"),
                E2E.resolve("data"),
                E2E.resolve("audiences"),
                "2026-11-22T00:00:00Z",
                "--part-size",
                "100");
    }

    @Test
    void aGeneratedSetGivesWhatSyncGives() throws IOException {
        assertSame(
                BENCH.resolve("exporter.yaml"),
                generated.resolve("csv"),
                BENCH.resolve("audiences"),
                AS_OF,
                "--part-size",
                "3000000");
    }

    @Test
    void theGateFailsClosedInTheBuildAsInSync() throws IOException {
        Path dir = generated.resolve("fail-closed");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(
                data.resolve("customers.csv"),
                "customer_id,email\n"
                        + "C1,A.B@gmail.com\n" // erased by id
                        + "C2,ab+news@googlemail.com\n" // the same person: the suppression follows
                        + "C3,tie@example.se\n" // granted and withdrawn in one second, grant on the later row
                        + "C4,revoked@example.se\n" // a withdrawal typed 'revoked'
                        + "C5,kept@example.se\n"
                        + "C6,comma@example.se\n" // a withdrawal with a comma too many
                        + "C1,new@example.se\n" // C1's row again, rejected as a duplicate: still C1's address
                        + "C7,new@example.se\n"); // the erased person under another id
        Files.writeString(
                data.resolve("consents.csv"),
                "customer_id,purpose,status,recorded_at\n"
                        + "C1,marketing,granted,2026-06-01T00:00:00Z\nC2,marketing,granted,2026-06-01T00:00:00Z\n"
                        + "C3,marketing,withdrawn,2026-06-01T00:00:00Z\nC3,marketing,granted,2026-06-01T00:00:00Z\n"
                        + "C4,marketing,granted,2026-06-01T00:00:00Z\nC4,marketing,revoked,2026-07-01T00:00:00Z\n"
                        + "C5,marketing,granted,2026-06-01T00:00:00Z\n"
                        + "C6,marketing,granted,2026-06-01T00:00:00Z\nC6,marketing,withdrawn,2026-07-01T00:00:00Z,app\n"
                        + "C7,marketing,granted,2026-06-01T00:00:00Z\n");
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email,reason\nC1,,erasure\n");
        Path audiences = Files.createDirectories(dir.resolve("audiences"));
        Files.writeString(
                audiences.resolve("everyone.yaml"),
                "min_size: 0\nrule: { not: { customer: { where: { customer_id: x } } } }\n");
        Files.writeString(
                dir.resolve("exporter.yaml"), "destinations:\n  google: { type: file, normalization: google }\n");

        // parts of 40 bytes: a customer's rows are settled across parts
        Path single = assertSame(dir.resolve("exporter.yaml"), data, audiences, "2026-11-22", "--part-size", "40");

        assertEquals(
                List.of("email_sha256", ContractOracle.sha256Hex("kept@example.se")),
                Files.readAllLines(single.resolve("everyone/google.csv")));
        JsonNode skipped = JSON.readTree(single.resolve("report.json").toFile()).at("/audiences/everyone/skipped");
        assertEquals(3, skipped.get("suppressed").asLong());
        assertEquals(2, skipped.get("consent_unreadable").asLong());
        assertEquals(1, skipped.get("consent_withdrawn").asLong());
    }

    @Test
    void aSuppressionByIdFollowsTheEmailOfARejectedRowInTheBuildAsInSync() throws IOException {
        Path dir = generated.resolve("rejected-follow");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(
                data.resolve("customers.csv"),
                "customer_id,email,created_at\n"
                        + "C1,A.B@gmail.com,2026-02-29\n" // erased by id, its only row rejected for its created_at
                        + "C2,ab+news@googlemail.com,\n" // the same person: the suppression follows
                        + "C3,X.Y@gmail.com,2026-01-01,web\n" // erased by id, its only row rejected for a field too
                        // many
                        + "C4,xy+1@googlemail.com,\n" // the same person
                        + "C5,five@example.se,2026-02-29\n" // rejected, but no one suppressed it
                        + "C5,kept@example.se,\n"); // so its later row stands, and is exported
        Files.writeString(
                data.resolve("consents.csv"),
                "customer_id,purpose,status,recorded_at\n"
                        + "C2,marketing,granted,2026-06-01T00:00:00Z\nC4,marketing,granted,2026-06-01T00:00:00Z\n"
                        + "C5,marketing,granted,2026-06-01T00:00:00Z\n");
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email,reason\nC1,,erasure\nC3,,erasure\n");
        Path audiences = Files.createDirectories(dir.resolve("audiences"));
        Files.writeString(
                audiences.resolve("everyone.yaml"),
                "min_size: 0\nrule: { not: { customer: { where: { customer_id: x } } } }\n");
        Files.writeString(
                dir.resolve("exporter.yaml"), "destinations:\n  google: { type: file, normalization: google }\n");

        Path single = assertSame(dir.resolve("exporter.yaml"), data, audiences, "2026-11-22", "--part-size", "40");

        assertEquals(
                List.of("email_sha256", ContractOracle.sha256Hex("kept@example.se")),
                Files.readAllLines(single.resolve("everyone/google.csv")));
        JsonNode report = JSON.readTree(single.resolve("report.json").toFile());
        assertEquals(2, report.at("/audiences/everyone/skipped/suppressed").asLong());
        assertEquals(
                3,
                report.at("/rejected/customers.csv").asLong(),
                report.get("rejected").toString());
    }

    @Test
    void theDesiredSetsAreSortedOnTheClusterAndHoldWhatAFileDestinationGets() throws Exception {
        Path dir = Files.createDirectories(generated.resolve("sorted-on-the-cluster"));
        String common = "zone: UTC\nconsent: { purpose: marketing, max_age_days: 395 }\ndestinations:\n";
        Files.writeString(
                dir.resolve("network.yaml"),
                common
                        + "  meta: { type: meta, ad_account_id: act_1, access_token: '${NO_TOKEN}', app_secret: '${NO_SECRET}' }\n");
        Files.writeString(dir.resolve("files.yaml"), common + "  files: { type: file, normalization: meta }\n");
        List<String> stages = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
                stages.add(submitted.stageInfo().details());
            }
        };
        SparkContext spark = LocalSpark.session().sparkContext();
        spark.addSparkListener(listener);
        try {
            // on local[2] the digests are sorted in two ranges, and the desired files join them
            assertEquals(0, build(dir.resolve("network.yaml"), dir.resolve("network")));
            // file destinations too are planned from the sorted ranges, not from every digest gathered
            assertEquals(0, build(dir.resolve("files.yaml"), dir.resolve("files")));
            spark.listenerBus().waitUntilEmpty();
        } finally {
            spark.removeSparkListener(listener);
        }

        // the step that brought every exportable digest to the driver, for planning files, is gone
        assertEquals(
                List.of(),
                stages.stream().filter(d -> d.contains(".BuildJob.collect(")).toList());
        assertTrue(
                stages.stream().anyMatch(d -> d.contains(".BuildJob.writeSorted(")),
                "the listener sees the build's stages");
        try (Stream<Path> audiences = Files.list(BENCH.resolve("audiences"))) {
            for (Path definition : audiences.toList()) {
                String id = definition.getFileName().toString().replace(".yaml", "");
                assertEquals(
                        Files.readString(dir.resolve("files").resolve(id).resolve("files.csv")),
                        Files.readString(dir.resolve("network/desired/meta").resolve(id + ".csv")),
                        id);
            }
        }
        List<String> exportable = Files.readAllLines(
                dir.resolve("network/desired").resolve(DesiredLayout.exportable(Normalization.META)));
        List<String> hashes = exportable.subList(1, exportable.size());
        assertEquals(hashes.stream().distinct().sorted().toList(), hashes, "sorted, each digest once");
        assertTrue(hashes.size() > 1000, "a set large enough to span several ranges: " + hashes.size());
    }

    private static int build(Path config, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "build",
                "--config",
                config.toString(),
                "--data",
                generated.resolve("csv").toString(),
                "--audiences",
                BENCH.resolve("audiences").toString(),
                "--out",
                out.toString(),
                "--as-of",
                AS_OF));
        args.addAll(List.of(more));
        return SparkBuild.run(args.toArray(String[]::new));
    }

    @Test
    void googleSignalsOnPurposesOfTheirOwnAreRefusedRatherThanDecidedOnTheGatePurpose() throws IOException {
        Path dir = Files.createDirectories(generated.resolve("signals"));
        Path out = dir.resolve("out");
        Files.writeString(
                dir.resolve("exporter.yaml"),
                "consent: { signals: { ad_personalization: ads_personal } }\n"
                        + "destinations:\n  files: { type: file, normalization: google }\n");

        assertEquals(
                2,
                SparkBuild.run(
                        "build",
                        "--config",
                        dir.resolve("exporter.yaml").toString(),
                        "--data",
                        E2E.resolve("data").toString(),
                        "--audiences",
                        E2E.resolve("audiences").toString(),
                        "--out",
                        out.toString(),
                        "--as-of",
                        AS_OF));
        assertFalse(Files.exists(out.resolve("report.json")), "nothing is built");
    }

    @Test
    void parquetGivesWhatTheSameDataInCsvGives() throws IOException {
        Path parquet = generated.resolve("parquet");
        SparkSession spark = LocalSpark.session();
        for (InputFile f : InputFile.values()) {
            // every column as text, in file order: one part per file, as a CSV export becomes one Parquet file
            spark.read()
                    .option("header", true)
                    .option("multiLine", true)
                    .option("escape", "\"")
                    .csv(generated.resolve("csv").resolve(f.fileName()).toString())
                    .coalesce(1)
                    .write()
                    .parquet(parquet.resolve(f.stem() + ".parquet").toString());
        }
        Path fromCsv = generated.resolve("out-csv");
        Path fromParquet = generated.resolve("out-parquet");
        assertEquals(
                0,
                SparkBuild.run(
                        "build",
                        "--config",
                        BENCH.resolve("exporter.yaml").toString(),
                        "--data",
                        generated.resolve("csv").toString(),
                        "--audiences",
                        BENCH.resolve("audiences").toString(),
                        "--out",
                        fromCsv.toString(),
                        "--as-of",
                        AS_OF));
        assertEquals(
                0,
                SparkBuild.run(
                        "build",
                        "--config",
                        BENCH.resolve("exporter.yaml").toString(),
                        "--data",
                        parquet.toString(),
                        "--audiences",
                        BENCH.resolve("audiences").toString(),
                        "--out",
                        fromParquet.toString(),
                        "--as-of",
                        AS_OF));

        List<Path> files = audienceFiles(fromCsv);
        assertEquals(files, audienceFiles(fromParquet));
        for (Path f : files) {
            assertArrayEquals(
                    Files.readAllBytes(fromCsv.resolve(f)), Files.readAllBytes(fromParquet.resolve(f)), f.toString());
        }
        JsonNode csv = JSON.readTree(fromCsv.resolve("report.json").toFile());
        JsonNode pq = JSON.readTree(fromParquet.resolve("report.json").toFile());
        for (String field : List.of("audiences", "rejected", "customers")) {
            assertEquals(withoutSeconds(csv.get(field)), withoutSeconds(pq.get(field)), field);
        }
    }

    /** A report part without the seconds deliveries took. */
    private static JsonNode withoutSeconds(JsonNode node) {
        JsonNode copy = node.deepCopy();
        copy.findParents("seconds")
                .forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove("seconds"));
        return copy;
    }

    /** @return the single-machine run's output directory */
    static Path assertSame(Path config, Path data, Path audiences, String asOf, String... more) throws IOException {
        Path tmp = Files.createTempDirectory("spark-build");
        Path single = tmp.resolve("single");
        Path spark = tmp.resolve("spark");
        Cli.Result sync = Cli.run(
                "sync",
                "--config",
                config.toString(),
                "--data",
                data.toString(),
                "--audiences",
                audiences.toString(),
                "--out",
                single.toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                asOf,
                "--no-progress");
        assertEquals(0, sync.exitCode(), sync.err());
        String[] args = Stream.concat(
                        Stream.of(
                                "build",
                                "--config",
                                config.toString(),
                                "--data",
                                data.toString(),
                                "--audiences",
                                audiences.toString(),
                                "--out",
                                spark.toString(),
                                "--as-of",
                                asOf),
                        Stream.of(more))
                .toArray(String[]::new);
        assertEquals(0, SparkBuild.run(args));

        List<Path> files = audienceFiles(single);
        assertEquals(files, audienceFiles(spark), "the set of audience files");
        for (Path f : files) {
            assertArrayEquals(
                    Files.readAllBytes(single.resolve(f)), Files.readAllBytes(spark.resolve(f)), f.toString());
        }
        JsonNode expected = JSON.readTree(single.resolve("report.json").toFile());
        JsonNode actual = JSON.readTree(spark.resolve("report.json").toFile());
        assertEquals(expected.get("as_of"), actual.get("as_of"));
        assertEquals(expected.get("rejected"), actual.get("rejected"), "rejected");
        assertEquals(expected.get("customers"), actual.get("customers"), "customers");
        assertEquals(expected.get("audiences").size(), actual.get("audiences").size());
        expected.get("audiences").fields().forEachRemaining(e -> {
            JsonNode a = actual.get("audiences").get(e.getKey());
            assertAll(
                    e.getKey(),
                    () -> assertEquals(e.getValue().get("in_segment"), a.get("in_segment"), "in_segment"),
                    () -> assertEquals(e.getValue().get("exported"), a.get("exported"), "exported"),
                    () -> assertEquals(e.getValue().get("skipped"), a.get("skipped"), "skipped"),
                    () -> assertEquals(e.getValue().get("destinations"), a.get("destinations"), "destinations"));
        });
        return single;
    }

    static List<Path> audienceFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getNameCount() - root.getNameCount() == 2)
                    .filter(p -> p.toString().endsWith(".csv"))
                    .map(root::relativize)
                    .sorted()
                    .toList();
        }
    }
}
