package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.nestit.audience.sync.RunLock;

/** Exit codes and messages of the contract, for the mistakes users make. */
class CommandLineTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");

    @TempDir
    Path tmp;

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("Missing command"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "plan", "verify"})
    void everyCommandExplainsItself(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(ExitCode.OK, r.exitCode());
        for (String option : List.of("--config", "--data", "--audiences", "--out", "--as-of", "--only")) {
            assertTrue(r.out().contains(option), command + " --help lacks " + option + ":\n" + r.out());
        }
    }

    @Test
    void generateExplainsItselfWithoutAFormattingWarning() {
        // picocli reads a description as a format string: a lone % made it warn and print it raw
        PrintStream systemErr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Cli.Result r;
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            r = Cli.run("generate", "--help");
        } finally {
            System.setErr(systemErr);
        }
        assertEquals(ExitCode.OK, r.exitCode());
        assertTrue(r.out().contains("~55% granted consent"), r.out());
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Cli.Result r = Cli.run("sync", "--config", tmp.resolve("nope.yaml").toString());
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("nope.yaml: config file not found"), r.err());
    }

    @Test
    void aBrokenAudienceNamesFileAndPath() throws IOException {
        Path audiences = copyOfFixtureAudiences();
        Files.writeString(audiences.resolve("broken.yaml"), """
                rule:
                  all:
                    - purchased: { within_days: 90 }
                    - purchased: { within_days: ninety }
                """);
        Cli.Result r = run("sync", "--audiences", audiences.toString());
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(
                r.err()
                        .contains(audiences.resolve("broken.yaml")
                                + ": rule.all[1].purchased.within_days: expected a number"),
                r.err());
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing is written when a definition is wrong");
    }

    @Test
    void aMissingRequiredFileIsNamed() throws IOException {
        Path data = copyOfFixtureData();
        Files.delete(data.resolve("consents.csv"));
        Cli.Result r = run("sync", "--data", data.toString());
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains(data.resolve("consents.csv") + ": file not found"), r.err());
    }

    @Test
    void aMissingSuppressionListStopsTheRunSayingHowToDeclareNone() throws IOException {
        Path data = copyOfFixtureData();
        Files.delete(data.resolve("suppressions.csv"));
        Cli.Result r = run("sync", "--data", data.toString());
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains(data.resolve("suppressions.csv") + ": file not found"), r.err());
        assertTrue(r.err().contains("a file with only the header row declares \"no suppressions\""), r.err());
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing is written without a suppression list");
    }

    @Test
    void aMissingRequiredColumnIsNamed() throws IOException {
        Path data = copyOfFixtureData();
        Files.writeString(data.resolve("consents.csv"), "customer_id,purpose,recorded_at\nC01,marketing,2026-01-01\n");
        Cli.Result r = run("sync", "--data", data.toString());
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("consents.csv: required column 'status' is missing"), r.err());
    }

    @Test
    void anUnknownOnlyIsAUsageError() {
        Cli.Result r = run("plan", "--only", "no-such-audience");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("unknown audience no-such-audience"), r.err());
    }

    @Test
    void aBadAsOfIsAUsageError() {
        Cli.Result r = run("plan", "--as-of", "yesterday");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("--as-of"), r.err());
    }

    @Test
    void aSecondConcurrentSyncIsRefusedWithExitCodeThree() {
        try (RunLock running = RunLock.acquire(tmp.resolve("state"))) {
            Cli.Result r = run("sync");
            assertEquals(ExitCode.LOCKED, r.exitCode());
            assertTrue(r.err().contains("is held by another run"), r.err());
            assertTrue(Files.notExists(tmp.resolve("out/report.json")), "the refused run wrote nothing");
            // a plan reads only, so it does not wait for the lock
            assertEquals(ExitCode.OK, run("plan").exitCode());
        }
        assertEquals(ExitCode.OK, run("sync").exitCode());
    }

    @Test
    void aFailingDestinationExitsOneAndTheOthersStillDeliver() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        // a plain file where the audience's directory belongs makes every write for it fail
        Files.writeString(out.resolve("crime-buyers-90d"), "in the way");

        Cli.Result r = Cli.run(
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
                "--no-progress");

        assertEquals(ExitCode.FAILED, r.exitCode());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("failed", report.at("/destinations/basic/status").asText());
        assertEquals("ok", report.at("/destinations/google/status").asText());
        assertTrue(Files.exists(out.resolve("gate-all/basic.csv")), "basic's other audiences are still written");
        assertTrue(r.out().contains("FAILED basic"), r.out());
    }

    @Test
    void aDateAsOfIsTheStartOfThatDayInTheConfiguredZone() throws IOException {
        Cli.Result utc = run("plan");
        assertEquals(0, utc.exitCode(), utc.err());
        assertEquals(
                "2026-11-22T00:00:00Z",
                new ObjectMapper()
                        .readTree(tmp.resolve("out/plan.json").toFile())
                        .get("as_of")
                        .asText());

        // the dates in the input files are Stockholm days, and so is the 22nd of --as-of
        Path config = tmp.resolve("stockholm.yaml");
        Files.writeString(
                config,
                Files.readString(FIXTURE.resolve("exporter.yaml")).replace("zone: UTC", "zone: Europe/Stockholm"));
        Cli.Result stockholm = run(
                "plan",
                "--config",
                config.toString(),
                "--data",
                FIXTURE.resolve("data").toAbsolutePath().toString(),
                "--audiences",
                FIXTURE.resolve("audiences").toAbsolutePath().toString());
        assertEquals(0, stockholm.exitCode(), stockholm.err());
        assertEquals(
                "2026-11-21T23:00:00Z",
                new ObjectMapper()
                        .readTree(tmp.resolve("out/plan.json").toFile())
                        .get("as_of")
                        .asText());
    }

    /** Runs a command on the fixture; {@code overrides} are option-value pairs that replace the defaults. */
    private Cli.Result run(String command, String... overrides) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--config", FIXTURE.resolve("exporter.yaml").toString());
        options.put("--data", FIXTURE.resolve("data").toString());
        options.put("--audiences", FIXTURE.resolve("audiences").toString());
        options.put("--out", tmp.resolve("out").toString());
        options.put("--state", tmp.resolve("state").toString());
        options.put("--as-of", "2026-11-22");
        for (int i = 0; i < overrides.length; i += 2) {
            options.put(overrides[i], overrides[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of(command, "--no-progress"));
        options.forEach((k, v) -> args.addAll(List.of(k, v)));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path copyOfFixtureAudiences() throws IOException {
        return copy(FIXTURE.resolve("audiences"), tmp.resolve("audiences"));
    }

    private Path copyOfFixtureData() throws IOException {
        return copy(FIXTURE.resolve("data"), tmp.resolve("data"));
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
