package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.sync.TestHashes;

/**
 * An audience whose definition was deleted stays where it is, but a customer who withdraws
 * consent still leaves it on the next run: the promise of the privacy notice holds for every
 * audience a destination holds, defined or not.
 */
class OrphanAudienceTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");

    @TempDir
    Path tmp;

    @Test
    void aWithdrawalLeavesAnAudienceWhoseDefinitionWasDeleted() throws IOException {
        Path audiences = copy(FIXTURE.resolve("audiences"), tmp.resolve("audiences"));
        Path data = copy(FIXTURE.resolve("data"), tmp.resolve("data"));
        assertEquals(0, sync(data, audiences).exitCode());
        Path gateAll = tmp.resolve("out/gate-all/basic.csv");
        SortedHashes before = FileDestination.read(gateAll);
        SortedHashes anna = TestHashes.of("anna@example.se");
        assertTrue(before.contains(anna.get(0)), "C01 anna@example.se is in gate-all");

        Files.delete(audiences.resolve("gate-all.yaml"));
        Files.writeString(
                data.resolve("consents.csv"),
                "C01,marketing,withdrawn,2026-11-01T09:00:00Z,web,Bokia\n",
                StandardOpenOption.APPEND);
        Cli.Result r = sync(data, audiences);

        assertEquals(0, r.exitCode(), r.err());
        SortedHashes after = FileDestination.read(gateAll);
        assertEquals(before.minus(anna), after, "only the one who withdrew left; nobody else was touched");
        JsonNode orphan = new ObjectMapper()
                .readTree(tmp.resolve("out/report.json").toFile())
                .at("/destinations/basic/orphans/gate-all");
        assertEquals("ok", orphan.get("status").asText());
        assertEquals(1, orphan.get("removes").asLong());
        assertTrue(r.out().contains("gate-all (no definition)"), r.out());
    }

    @Test
    void anAudienceWhoseDefinitionWasDeletedIsKeptWhenNobodyHasToLeave() throws IOException {
        Path audiences = copy(FIXTURE.resolve("audiences"), tmp.resolve("audiences"));
        assertEquals(0, sync(FIXTURE.resolve("data"), audiences).exitCode());
        byte[] before = Files.readAllBytes(tmp.resolve("out/gate-all/meta.csv"));

        Files.delete(audiences.resolve("gate-all.yaml"));
        assertEquals(0, sync(FIXTURE.resolve("data"), audiences).exitCode());

        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("out/gate-all/meta.csv")));
        JsonNode orphan = new ObjectMapper()
                .readTree(tmp.resolve("out/report.json").toFile())
                .at("/destinations/meta/orphans/gate-all");
        assertEquals("kept", orphan.get("status").asText());
        assertFalse(new ObjectMapper()
                .readTree(tmp.resolve("out/report.json").toFile())
                .get("audiences")
                .has("gate-all"));
    }

    private Cli.Result sync(Path data, Path audiences) {
        return Cli.run(
                "sync",
                "--config",
                FIXTURE.resolve("exporter.yaml").toString(),
                "--data",
                data.toString(),
                "--audiences",
                audiences.toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22T00:00:00Z",
                "--no-progress");
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
