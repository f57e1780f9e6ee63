package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import se.nestit.audience.cli.Cli;
import se.nestit.audience.destination.meta.FakeGraphApi.Route;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.sync.StateStore;

/**
 * A good night, then a broken export: the guardrails hold every audience at Meta and in the
 * audience files where it was, let only people who can no longer be exported leave, exit 1 and
 * say which guardrail and how to accept the change; {@code --accept-shrink} and
 * {@code --guardrail} let an intended change through.
 */
class GuardrailsCommandLineTest {

    private static final String AUDIENCE = "crime-buyers";
    private static final int CUSTOMERS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeGraphApi meta;
    private final Map<String, String> emails = new LinkedHashMap<>();
    private final List<String> consents = new ArrayList<>();
    private final List<String> orders = new ArrayList<>();

    @BeforeEach
    void goodNight() throws IOException {
        meta = new FakeGraphApi();
        for (int i = 1; i <= CUSTOMERS; i++) {
            emails.put("C" + i, "reader" + i + "@example.se");
            consents.add("C" + i + ",marketing,granted,2026-06-01T09:00:00Z");
            orders.add("C" + i + ",2026-10-01T10:00:00Z,crime,199.00");
        }
        Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(tmp.resolve("audiences/" + AUDIENCE + ".yaml"), """
                destinations: [meta, files]
                min_size: 1
                rule:
                  purchased: { where: { category: crime }, within_days: 365, min_amount: 100 }
                """);
        Files.writeString(
                tmp.resolve("exporter.yaml"),
                "destinations:\n  files: { type: file, normalization: meta }\n"
                        + meta.destinationYaml("meta", "nestit-"));
        Cli.Result first = run("sync");
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(hashes(emails.keySet()), members());
        meta.forgetRequests();
    }

    @AfterEach
    void everyRequestWasWellFormed() {
        meta.close();
        assertEquals(List.of(), meta.violations(), "requests the fake Graph API found wrong");
    }

    @Test
    void aNightOfCommaAmountsChangesNothingButTheWithdrawnLeaveAndExitsOne() throws IOException {
        String fileBefore = Files.readString(audienceFile());
        orders.replaceAll(o -> o.replace(",199.00", ",\"149,00\""));
        consents.add("C3,marketing,withdrawn,2026-11-20T08:00:00Z");

        Cli.Result r = run("sync");

        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("rejected_rows: orders.csv: 20 of 20 rows rejected"), r.out());
        assertTrue(r.out().contains("--guardrail max_rejected_share=100%"), r.out());
        assertEquals(hashes(List.of("C3")), sent(Route.REMOVE_USERS), "only the withdrawn leave");
        assertEquals(Set.of(), sent(Route.ADD_USERS));
        Set<String> kept =
                hashes(emails.keySet().stream().filter(c -> !c.equals("C3")).toList());
        assertEquals(kept, members());
        assertEquals(kept, state());
        assertEquals(
                fileBefore.replace(hashes(List.of("C3")).iterator().next() + "\n", ""),
                Files.readString(audienceFile()));

        JsonNode guardrails = report().path("guardrails");
        assertEquals("tripped", guardrails.path("status").asText());
        assertEquals(List.of(AUDIENCE), texts(guardrails.path("held")));
        assertTrue(guardrails
                .path("rejected_rows")
                .path("orders.csv")
                .path("tripped")
                .asBoolean());
        assertEquals(
                1.0,
                guardrails
                        .path("rejected_rows")
                        .path("orders.csv")
                        .path("share")
                        .asDouble());
        assertEquals(
                "held",
                report().path("audiences")
                        .path(AUDIENCE)
                        .path("destinations")
                        .path("meta")
                        .path("status")
                        .asText());
    }

    @Test
    void consentStatusesInAnotherLanguageTripTheInputGuardrail() throws IOException {
        consents.replaceAll(c -> c.replace(",granted,", ",ja,"));

        Cli.Result r = run("sync");

        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("rejected_rows: consents.csv: 20 of 20 rows rejected"), r.out());
        assertTrue(report().path("guardrails")
                .path("rejected_rows")
                .path("consents.csv")
                .path("tripped")
                .asBoolean());
        assertEquals(Set.of(), sent(Route.ADD_USERS));
    }

    @Test
    void planShowsWhatWouldTripAndSendsNothing() throws IOException {
        orders.replaceAll(o -> o.replace(",199.00", ",\"149,00\""));

        Cli.Result r = run("plan");

        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("rejected_rows: orders.csv"), r.out());
        assertEquals(List.of(), meta.requests());
        JsonNode plan = JSON.readTree(tmp.resolve("out/plan.json").toFile());
        assertEquals(
                "held",
                plan.path("audiences")
                        .path(AUDIENCE)
                        .path("destinations")
                        .path("meta")
                        .path("status")
                        .asText());
    }

    @Test
    void anAudienceThatEmptiesIsHeldUntilTheShrinkIsAccepted() throws IOException {
        orders.replaceAll(o -> o.replace(",crime,", ",cookbooks,"));

        Cli.Result held = run("sync");

        assertEquals(1, held.exitCode(), held.out());
        assertTrue(
                held.out().contains("audience_shrink: " + AUDIENCE + " would fall from 20 to 0 members"), held.out());
        assertTrue(held.out().contains("--accept-shrink " + AUDIENCE), held.out());
        assertEquals(List.of(Route.READ_AUDIENCE), routes(), "nothing sent");
        assertEquals(hashes(emails.keySet()), members());

        Cli.Result accepted = run("sync", "--accept-shrink", AUDIENCE);

        assertEquals(0, accepted.exitCode(), accepted.out());
        assertEquals(Set.of(), members());
        JsonNode shrink = report().path("guardrails").path("audience_shrink").path(AUDIENCE);
        assertTrue(shrink.path("tripped").asBoolean() && shrink.path("accepted").asBoolean(), shrink.toString());
        assertEquals("ok", report().path("guardrails").path("status").asText());
    }

    @Test
    void anAudienceFileThatWouldBeDeletedBelowMinSizeCountsAsEmptied() throws IOException {
        Files.writeString(
                tmp.resolve("audiences/" + AUDIENCE + ".yaml"),
                Files.readString(tmp.resolve("audiences/" + AUDIENCE + ".yaml"))
                        .replace("min_size: 1", "min_size: 15"));
        String fileBefore = Files.readString(audienceFile());
        // six of twenty leave the segment: 30 % at Meta, but the file would go
        orders.replaceAll(
                o -> Integer.parseInt(o.substring(1, o.indexOf(','))) <= 6 ? o.replace(",crime,", ",cookbooks,") : o);

        Cli.Result r = run("sync");

        assertEquals(1, r.exitCode(), r.out());
        assertTrue(
                r.out().contains("audience_shrink: " + AUDIENCE + " would fall from 20 to 0 members at files"),
                r.out());
        assertEquals(fileBefore, Files.readString(audienceFile()));
        assertEquals(hashes(emails.keySet()), members());
    }

    @Test
    void aDropInExportableCustomersHoldsEveryAudienceAgainstTheLastCompletedSync() throws IOException {
        for (int i = 1; i <= 5; i++) {
            consents.add("C" + i + ",marketing,withdrawn,2026-11-20T08:00:00Z");
        }
        orders.removeIf(o -> o.startsWith("C20,"));

        Cli.Result r = run("sync");

        assertEquals(1, r.exitCode(), r.out());
        assertTrue(
                r.out().contains("exportable_drop: 15 customers are exportable, 20 at the last completed sync"),
                r.out());
        assertEquals(hashes(List.of("C1", "C2", "C3", "C4", "C5")), sent(Route.REMOVE_USERS), "C20 stays: it is held");
        assertEquals(1, run("sync").exitCode(), "a held night is not the measure of the next");

        Cli.Result accepted = run("sync", "--guardrail", "max_exportable_drop=25%");

        assertEquals(0, accepted.exitCode(), accepted.out());
        assertEquals(
                hashes(emails.keySet().stream()
                        .filter(c -> Integer.parseInt(c.substring(1)) > 5 && !c.equals("C20"))
                        .toList()),
                members());
        assertEquals(
                15,
                report().path("guardrails").path("exportable_drop").path("now").asInt());
        assertEquals(0, run("sync").exitCode(), "the accepted night is the new measure");
    }

    @Test
    void aWrongGuardrailOverrideIsAUsageError() throws IOException {
        Cli.Result r = run("sync", "--guardrail", "max_shrink=10%");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown guardrail 'max_shrink'"), r.err());

        Cli.Result unknown = run("sync", "--accept-shrink", "no-such-audience");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("--accept-shrink no-such-audience: no such audience"), unknown.err());
        assertEquals(List.of(), meta.requests());
    }

    // ---- helpers ----

    private Cli.Result run(String command, String... more) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(
                data.resolve("customers.csv"),
                "customer_id,email\n"
                        + emails.entrySet().stream()
                                .map(e -> e.getKey() + "," + e.getValue() + "\n")
                                .collect(Collectors.joining()));
        Files.writeString(data.resolve("consents.csv"), "customer_id,purpose,status,recorded_at\n" + lines(consents));
        Files.writeString(data.resolve("orders.csv"), "customer_id,ordered_at,category,amount\n" + lines(orders));
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email\n");
        List<String> args = new ArrayList<>(List.of(
                command,
                "--config",
                tmp.resolve("exporter.yaml").toString(),
                "--data",
                data.toString(),
                "--audiences",
                tmp.resolve("audiences").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--as-of",
                "2026-11-22",
                "--no-progress"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String lines(List<String> rows) {
        return rows.stream().map(r -> r + "\n").collect(Collectors.joining());
    }

    /** Meta's hashes of these customers' emails. */
    private Set<String> hashes(Iterable<String> customers) {
        Set<String> hashes = new TreeSet<>();
        for (String c : customers) {
            hashes.add(ContractOracle.hash("meta", emails.get(c)));
        }
        return hashes;
    }

    private Path audienceFile() {
        return tmp.resolve("out").resolve(AUDIENCE).resolve("files.csv");
    }

    private Set<String> members() {
        StateStore store = new StateStore(tmp.resolve("state"));
        return meta.members(store.load("meta", AUDIENCE).remote().get(MetaAudienceClient.AUDIENCE_ID));
    }

    private Set<String> state() {
        return MetaDestinationTest.hex(
                new StateStore(tmp.resolve("state")).load("meta", AUDIENCE).confirmed());
    }

    private Set<String> sent(Route route) {
        return meta.requests(route).stream()
                .flatMap(r -> r.data().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<Route> routes() {
        return meta.requests().stream().map(FakeGraphApi.Request::route).toList();
    }

    private JsonNode report() throws IOException {
        return JSON.readTree(tmp.resolve("out/report.json").toFile());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
