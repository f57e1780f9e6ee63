package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.cli.HeaderOnlyData;
import se.nestit.audience.destination.meta.FakeGraphApi.Fault;
import se.nestit.audience.destination.meta.FakeGraphApi.Route;

/** {@code check} against the loopback Graph API: the ad account and its custom audiences are read, nothing is written. */
class MetaCheckTest {

    @TempDir
    Path tmp;

    private FakeGraphApi meta;

    @BeforeEach
    void start() throws IOException {
        meta = new FakeGraphApi();
        Path data = HeaderOnlyData.write(tmp.resolve("data"));
        Path audiences = Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(
                audiences.resolve("buyers.yaml"), "destinations: [meta]\nrule:\n  purchased: { within_days: 365 }\n");
        Files.writeString(
                audiences.resolve("new-ones.yaml"), "destinations: [meta]\nrule:\n  purchased: { within_days: 30 }\n");
        Files.writeString(
                tmp.resolve("exporter.yaml"),
                "data: " + data + "\naudiences: " + audiences + "\nout: " + tmp.resolve("out") + "\nstate: "
                        + tmp.resolve("state") + "\ndestinations:\n" + meta.destinationYaml("meta", "nestit-"));
    }

    @AfterEach
    void stop() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests that do not follow the Graph API reference");
        assertTrue(
                meta.requests().stream()
                        .allMatch(r -> EnumSet.of(Route.READ_ACCOUNT, Route.LIST_AUDIENCES)
                                .contains(r.route())),
                "check only reads");
    }

    @Test
    void allRightExitsZeroAndSaysWhichAudienceEachDefinitionFills() {
        String buyers = meta.seedAudience("nestit-buyers", "Buyers [audience-exporter:buyers]", Set.of());

        Cli.Result r = check();

        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("ok     ad account act_1234567890: 'Nestit test', account_status 1"), r.out());
        assertTrue(
                r.out()
                        .contains("ok     audience buyers: the first sync replaces the members of custom audience "
                                + buyers + " ('nestit-buyers')"),
                r.out());
        assertTrue(
                r.out().contains("ok     audience new-ones: the first sync creates custom audience 'nestit-new-ones'"),
                r.out());
    }

    @Test
    void aSameNameAudienceThisJobDidNotCreateIsWrongUnlessAdopted() throws IOException {
        String foreign = meta.seedAudience("nestit-buyers", "made by hand", Set.of());

        Cli.Result r = check();

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(
                r.out()
                        .contains("WRONG  audience buyers: custom audience " + foreign
                                + " ('nestit-buyers') was not created by " + "this job, so a sync will not touch it"),
                r.out());
        assertTrue(r.out().contains("set 'adopt: true'"), r.out());

        Path definition = tmp.resolve("audiences/buyers.yaml");
        Files.writeString(definition, Files.readString(definition) + "adopt: true\n");
        Cli.Result adopted = check();

        assertEquals(0, adopted.exitCode(), adopted.out() + adopted.err());
        assertTrue(
                adopted.out()
                        .contains("ok     audience buyers: the first sync replaces the members of custom audience "
                                + foreign),
                adopted.out());
    }

    @Test
    void anExpiredTokenAndADisabledAccountAreWrong() {
        meta.inject(
                Fault.graph(Route.READ_ACCOUNT, 400, 190, 463, "Error validating access token: Session has expired"));
        Cli.Result expired = check();
        meta.accountStatus(2);
        Cli.Result disabled = check();

        assertEquals(1, expired.exitCode(), expired.out() + expired.err());
        assertTrue(
                expired.out()
                        .contains("WRONG  ad account act_1234567890: cannot read ad account act_1234567890: Meta says: "
                                + "Error validating access token"),
                expired.out());
        assertTrue(expired.out().contains("Renew the system user's token"), expired.out());
        assertEquals(1, disabled.exitCode(), disabled.out() + disabled.err());
        assertTrue(
                disabled.out()
                        .contains(
                                "WRONG  ad account act_1234567890: 'Nestit test' has account_status 2, not active (1)"),
                disabled.out());
    }

    private Cli.Result check() {
        return Cli.run("check", "--config", tmp.resolve("exporter.yaml").toString());
    }
}
