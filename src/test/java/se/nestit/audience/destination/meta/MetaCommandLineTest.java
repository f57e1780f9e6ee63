package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.nestit.audience.destination.meta.FakeGraphApi.APP_SECRET;
import static se.nestit.audience.destination.meta.FakeGraphApi.SECRET_VARIABLE;
import static se.nestit.audience.destination.meta.FakeGraphApi.TOKEN;
import static se.nestit.audience.destination.meta.FakeGraphApi.TOKEN_VARIABLE;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.destination.meta.FakeGraphApi.Fault;
import se.nestit.audience.destination.meta.FakeGraphApi.Request;
import se.nestit.audience.destination.meta.FakeGraphApi.Route;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.sync.StateStore;

/**
 * The real command line with a {@code meta} destination pointed at the loopback Graph API: a
 * small data set written here, audiences synced, faults injected, and then what Meta holds,
 * what the sync state says and what the user reads compared.
 */
class MetaCommandLineTest {

    private static final String AUDIENCE = "crime-buyers";
    private static final String NAME = "nestit-crime-buyers";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeGraphApi meta;
    private final Map<String, String> emails = new LinkedHashMap<>();
    private final List<String> consents = new ArrayList<>();
    private final List<String> orders = new ArrayList<>();
    private final List<String> suppressions = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        assertTrue(
                TOKEN.equals(System.getenv(TOKEN_VARIABLE)) && APP_SECRET.equals(System.getenv(SECRET_VARIABLE)),
                "the build sets " + TOKEN_VARIABLE + " and " + SECRET_VARIABLE + " for the tests (pom.xml, surefire)");
        meta = new FakeGraphApi();
        for (String[] c : new String[][] {
            {"C1", "Anna@Example.se"},
            {"C2", " bertil@example.se"},
            {"C3", "cecilia@example.se"},
            {"C4", "david@example.se"},
            {"C5", "eva@example.se"},
            {"C6", "filip@example.se"}
        }) {
            emails.put(c[0], c[1]);
            orders.add(c[0] + ",2026-10-01T10:00:00Z,crime,199.00");
            if (!c[0].equals("C6")) { // C6 never consented
                consents.add(c[0] + ",marketing,granted,2026-06-01T09:00:00Z");
            }
        }
        Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(tmp.resolve("audiences/" + AUDIENCE + ".yaml"), """
                description: Bought crime fiction in the last year
                destinations: [meta]
                min_size: 1
                rule:
                  purchased: { where: { category: crime }, within_days: 365 }
                """);
        Files.writeString(tmp.resolve("exporter.yaml"), "destinations:\n" + meta.destinationYaml("meta", "nestit-"));
    }

    @AfterEach
    void everyRequestWasWellFormed() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests the fake Graph API found wrong");
    }

    @Test
    void theFirstSyncSendsEverythingTheSecondNothingAndAChangeExactlyTheDifference() throws IOException {
        Cli.Result first = sync();
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(desired("C1", "C2", "C3", "C4", "C5"), members());
        assertEquals(members(), state());
        assertEquals(1, meta.requests(Route.CREATE_AUDIENCE).size());

        meta.forgetRequests();
        assertEquals(0, sync().exitCode());
        assertEquals(List.of(Route.READ_AUDIENCE), routes(), "unchanged input sends nothing");

        meta.forgetRequests();
        emails.put("C7", "gustav@example.se");
        consents.add("C7,marketing,granted,2026-11-01T09:00:00Z");
        orders.add("C7,2026-11-02T10:00:00Z,crime,99.00");
        orders.removeIf(o -> o.startsWith("C2,"));
        assertEquals(0, sync().exitCode());

        assertEquals(desired("C2"), sent(Route.REMOVE_USERS));
        assertEquals(desired("C7"), sent(Route.ADD_USERS));
        assertEquals(desired("C1", "C3", "C4", "C5", "C7"), members());
        assertEquals(members(), state());
    }

    @Test
    void aWithdrawnConsentASuppressionAndASegmentExitEachEndInARemoveAtMeta() throws IOException {
        assertEquals(0, sync().exitCode());
        meta.forgetRequests();

        consents.add("C1,marketing,withdrawn,2026-11-15T08:00:00Z");
        suppressions.add("C3,,erasure,2026-11-20T00:00:00Z");
        orders.removeIf(o -> o.startsWith("C4,"));
        // three of five leaving at once is what the guardrails hold unless told otherwise
        Cli.Result r = sync("--accept-shrink", AUDIENCE, "--guardrail", "max_exportable_drop=50%");

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(desired("C1", "C3", "C4"), sent(Route.REMOVE_USERS));
        assertEquals(Set.of(), sent(Route.ADD_USERS));
        assertEquals(desired("C2", "C5"), members());
        assertEquals(members(), state());
        JsonNode report = report();
        assertEquals(3, report.path("destinations").path("meta").path("removes").asInt());
    }

    @Test
    void theReportShowsMetasCountsForEachAudience() throws IOException {
        assertEquals(0, sync().exitCode());
        JsonNode delivery =
                report().path("audiences").path(AUDIENCE).path("destinations").path("meta");
        assertEquals("ok", delivery.path("status").asText());
        assertTrue(
                delivery.path("message")
                        .asText()
                        .contains("meta add: 1 request, 5 sent, num_received 5, num_invalid_entries 0"),
                delivery.toString());
        assertEquals(5, delivery.path("adds").asInt());
        assertEquals(5, delivery.path("held").asInt());
    }

    @Test
    void invalidEntriesAreReportedAndLeftOutOfTheState() throws IOException {
        String refused = desired("C4").iterator().next();
        meta.treatAsInvalid(Set.of(refused), Integer.MAX_VALUE);

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = report();
        JsonNode delivery =
                report.path("audiences").path(AUDIENCE).path("destinations").path("meta");
        assertEquals(1, delivery.path("failed").asInt(), delivery.toString());
        assertEquals(1, report.path("destinations").path("meta").path("failed").asInt());
        assertTrue(delivery.path("message").asText().contains("num_invalid_entries 1"), delivery.toString());
        assertTrue(delivery.path("message").asText().contains("invalid_entry_samples " + refused), delivery.toString());
        assertFalse(state().contains(refused));
        assertEquals(members(), state());
    }

    @Test
    void anExpiredTokenFailsTheDestinationSaysToRenewItAndCommitsNothing() throws IOException {
        assertEquals(0, sync().exitCode());
        byte[] stateBefore = Files.readAllBytes(stateFile());
        Set<String> membersBefore = members();
        meta.inject(Fault.graph(
                Route.READ_AUDIENCE,
                400,
                190,
                463,
                "Error validating access token: Session has expired on Sunday. Malformed access token " + TOKEN));
        orders.removeIf(o -> o.startsWith("C1,"));

        Cli.Result r;
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            r = sync();
        } finally {
            root.detachAppender(logs);
        }

        assertEquals(1, r.exitCode());
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("Renew the system user's token")));
        assertTrue(
                logs.list.stream().noneMatch(e -> e.getFormattedMessage().contains(TOKEN)), "the token in a log line");
        JsonNode destination = report().path("destinations").path("meta");
        assertEquals("failed", destination.path("status").asText());
        assertTrue(
                destination.path("message").asText().contains("Renew the system user's token"), destination.toString());
        assertTrue(destination.path("message").asText().contains(TOKEN_VARIABLE), destination.toString());
        assertNoSecrets(r);
        assertArrayEquals(stateBefore, Files.readAllBytes(stateFile()), "nothing committed");
        assertEquals(membersBefore, members());
    }

    @Test
    void rateLimitsAreWaitedOutAndTheRunSucceeds() throws IOException {
        meta.inject(Fault.graph(
                        Route.ADD_USERS,
                        400,
                        80003,
                        2446079,
                        "(#80003) There have been too many calls to this ad-account.")
                .header(
                        GraphApi.USAGE_HEADER,
                        "{\"" + FakeGraphApi.ACCOUNT + "\":[{\"type\":\"custom_audience\","
                                + "\"call_count\":100,\"total_cputime\":5,\"total_time\":5,\"estimated_time_to_regain_access\":0}]}")
                .times(2));

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, meta.requests(Route.ADD_USERS).size());
        assertEquals(desired("C1", "C2", "C3", "C4", "C5"), members());
        assertEquals(members(), state());
    }

    @Test
    void termsNotAcceptedFailTheRunWithMetasOwnWordsAndNoState() throws IOException {
        meta.inject(Fault.graph(Route.CREATE_AUDIENCE, 400, 2655, 0, "(#2655) Terms of service has not been accepted")
                .userMessage("Accept the Custom Audiences terms of service for this ad account"));

        Cli.Result r = sync();

        assertEquals(1, r.exitCode());
        String message =
                report().path("destinations").path("meta").path("message").asText();
        assertTrue(message.contains("Accept the Custom Audiences terms of service for this ad account"), message);
        assertTrue(Files.notExists(stateFile()), "nothing to commit");
        assertNoSecrets(r);
    }

    @Test
    void aDeletedAudienceFailsTheRunAndIsNotRecreated() throws IOException {
        assertEquals(0, sync().exitCode());
        String id = audienceId();
        meta.deleteAudience(id);

        Cli.Result r = sync();

        assertEquals(1, r.exitCode());
        String message = report().path("audiences")
                .path(AUDIENCE)
                .path("destinations")
                .path("meta")
                .path("message")
                .asText();
        assertTrue(message.contains("It is not replaced on its own"), message);
        assertEquals(List.of(), meta.audiencesNamed(NAME));
        assertEquals(1, meta.requests(Route.CREATE_AUDIENCE).size());
        assertEquals(id, audienceId(), "the state still points at the audience the ad sets use");
    }

    @Test
    void aCrashBetweenMetasConfirmationAndTheStateCommitConverges() throws IOException {
        assertEquals(0, sync().exitCode());
        Path saved = Files.copy(stateFile(), tmp.resolve("saved.state"));
        consents.add("C2,marketing,withdrawn,2026-11-15T08:00:00Z");
        emails.put("C8", "helena@example.se");
        consents.add("C8,marketing,granted,2026-11-01T09:00:00Z");
        orders.add("C8,2026-11-02T10:00:00Z,crime,99.00");

        assertEquals(0, sync().exitCode());
        Files.copy(saved, stateFile(), StandardCopyOption.REPLACE_EXISTING); // the commit never happened
        assertEquals(0, sync().exitCode());

        Set<String> desired = desired("C1", "C3", "C4", "C5", "C8");
        assertEquals(desired, members());
        assertEquals(members(), state());
    }

    @Test
    void aLostStateIsRebuiltByReplacingTheMembersOfTheSameAudience() throws IOException {
        assertEquals(0, sync().exitCode());
        String id = audienceId();
        meta.seedAudience("unrelated", Set.of());
        Files.delete(stateFile()); // a first commit that never happened, or a lost state directory
        orders.removeIf(o -> o.startsWith("C5,"));
        meta.forgetRequests();

        assertEquals(0, sync().exitCode());

        assertEquals(List.of(), meta.requests(Route.CREATE_AUDIENCE));
        assertEquals(1, meta.requests(Route.REPLACE_USERS).size());
        assertEquals(List.of(id), meta.audiencesNamed(NAME));
        assertEquals(desired("C1", "C2", "C3", "C4"), members());
        assertEquals(members(), state());
    }

    @Test
    void aHandMadeAudienceOfTheSameNameIsNeverWrittenToAndTheRunSaysWhatToDo() throws IOException {
        Set<String> theirs = new TreeSet<>();
        for (int i = 0; i < 5000; i++) {
            theirs.add(ContractOracle.sha256Hex("someone" + i + "@example.com"));
        }
        String foreign = meta.seedAudience(NAME, "Our best customers, uploaded by hand", theirs);

        Cli.Result r = sync();
        Cli.Result fullRefresh = sync("--full-refresh");

        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, fullRefresh.exitCode(), fullRefresh.err());
        assertEquals(Set.of(Route.LIST_AUDIENCES), Set.copyOf(routes()), "every call the fake received only looked");
        assertEquals(theirs, meta.members(foreign));
        assertEquals(List.of(foreign), meta.audiencesNamed(NAME));
        assertTrue(Files.notExists(stateFile()));
        String message = report().path("audiences")
                .path(AUDIENCE)
                .path("destinations")
                .path("meta")
                .path("message")
                .asText();
        assertTrue(message.contains("custom audience " + foreign + " named '" + NAME + "'"), message);
        assertTrue(message.contains("another id") && message.contains("'adopt: true'"), message);
    }

    @Test
    void adoptTrueReplacesTheMembersOfTheHandMadeAudience() throws IOException {
        String foreign = meta.seedAudience(NAME, "", Set.of(ContractOracle.sha256Hex("someone@example.com")));
        Path definition = tmp.resolve("audiences/" + AUDIENCE + ".yaml");
        Files.writeString(definition, "adopt: true\n" + Files.readString(definition));

        Cli.Result r = sync();

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(Route.LIST_AUDIENCES, Route.REPLACE_USERS), routes());
        assertEquals(foreign, audienceId());
        assertEquals(desired("C1", "C2", "C3", "C4", "C5"), members());
    }

    @Test
    void fullRefreshReplacesTheMembersThroughUsersReplace() throws IOException {
        assertEquals(0, sync().exitCode());
        orders.removeIf(o -> o.startsWith("C1,"));
        meta.forgetRequests();

        Cli.Result r = sync("--full-refresh");

        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(Route.READ_AUDIENCE, Route.REPLACE_USERS), routes());
        Request replace = meta.requests(Route.REPLACE_USERS).get(0);
        assertTrue(replace.session().path("last_batch_flag").asBoolean());
        assertEquals(1, replace.session().path("batch_seq").asInt());
        assertEquals(desired("C2", "C3", "C4", "C5"), members());
        assertEquals(members(), state());
        assertTrue(report().path("audiences")
                .path(AUDIENCE)
                .path("destinations")
                .path("meta")
                .path("message")
                .asText()
                .contains("full refresh"));
    }

    @Test
    void planSendsNothing() throws IOException {
        writeData();
        Cli.Result r = Cli.run(args("plan"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(), meta.requests());
        JsonNode plan = JSON.readTree(tmp.resolve("out/plan.json").toFile());
        assertEquals(
                5,
                plan.path("audiences")
                        .path(AUDIENCE)
                        .path("destinations")
                        .path("meta")
                        .path("adds")
                        .asInt());
    }

    @Test
    void aWrongMetaSettingStopsTheRunBeforeAnythingIsSent() throws IOException {
        Files.writeString(
                tmp.resolve("exporter.yaml"),
                Files.readString(tmp.resolve("exporter.yaml"))
                        .replace("    timeout: 10s\n", "    timeout: 10s\n    records_per_requests: 5000\n"));
        Cli.Result r = sync();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("exporter.yaml: destinations.meta.records_per_requests: unknown key"), r.err());
        assertEquals(List.of(), meta.requests());
    }

    // ---- helpers ----

    private Cli.Result sync(String... more) throws IOException {
        writeData();
        List<String> args = new ArrayList<>(List.of(args("sync")));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private String[] args(String command) {
        return new String[] {
            command,
            "--config",
            tmp.resolve("exporter.yaml").toString(),
            "--data",
            tmp.resolve("data").toString(),
            "--audiences",
            tmp.resolve("audiences").toString(),
            "--out",
            tmp.resolve("out").toString(),
            "--state",
            tmp.resolve("state").toString(),
            "--as-of",
            "2026-11-22",
            "--no-progress"
        };
    }

    private void writeData() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(
                data.resolve("customers.csv"),
                "customer_id,email\n"
                        + emails.entrySet().stream()
                                .map(e -> e.getKey() + "," + e.getValue() + "\n")
                                .collect(Collectors.joining()));
        Files.writeString(data.resolve("consents.csv"), "customer_id,purpose,status,recorded_at\n" + lines(consents));
        Files.writeString(data.resolve("orders.csv"), "customer_id,ordered_at,category,amount\n" + lines(orders));
        Files.writeString(
                data.resolve("suppressions.csv"), "customer_id,email,reason,recorded_at\n" + lines(suppressions));
    }

    private static String lines(List<String> rows) {
        return rows.stream().map(r -> r + "\n").collect(Collectors.joining());
    }

    /** Meta's hashes of these customers' emails. */
    private Set<String> desired(String... customers) {
        Set<String> hashes = new TreeSet<>();
        for (String c : customers) {
            hashes.add(ContractOracle.hash("meta", emails.get(c)));
        }
        return hashes;
    }

    private Set<String> members() {
        return meta.members(audienceId());
    }

    private Set<String> state() {
        return MetaDestinationTest.hex(
                new StateStore(tmp.resolve("state")).load("meta", AUDIENCE).confirmed());
    }

    private String audienceId() {
        return new StateStore(tmp.resolve("state"))
                .load("meta", AUDIENCE)
                .remote()
                .get(MetaAudienceClient.AUDIENCE_ID);
    }

    private Path stateFile() {
        return new StateStore(tmp.resolve("state")).file("meta", AUDIENCE);
    }

    private Set<String> sent(Route route) {
        return meta.requests(route).stream()
                .flatMap(r -> r.data().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<Route> routes() {
        return meta.requests().stream().map(Request::route).toList();
    }

    private JsonNode report() throws IOException {
        return JSON.readTree(tmp.resolve("out/report.json").toFile());
    }

    private void assertNoSecrets(Cli.Result r) throws IOException {
        String report = Files.readString(tmp.resolve("out/report.json"));
        for (String text : List.of(r.out(), r.err(), report)) {
            assertFalse(text.contains(TOKEN), "the token appears in what the user reads");
            assertFalse(text.contains(APP_SECRET), "the app secret appears in what the user reads");
        }
    }
}
