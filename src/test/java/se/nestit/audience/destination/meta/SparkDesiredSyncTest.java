package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.AuditReader;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.spark.LocalSpark;
import se.nestit.audience.spark.SparkBuild;
import se.nestit.audience.sync.StateStore;

/**
 * The two-step schedule against the loopback Graph API: a Spark build, then {@code sync --desired},
 * must leave Meta with the members a plain {@code sync} leaves, and write the same audit trail,
 * naming the same customers and consent rows, run after run.
 */
class SparkDesiredSyncTest {

    private static final String AS_OF = "2026-11-22";
    private static final List<String> AUDIENCES = List.of("crime-buyers", "buyers");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeGraphApi plainMeta;
    private FakeGraphApi sparkMeta;
    private final Map<String, String> emails = new LinkedHashMap<>();
    private final List<String> consents = new ArrayList<>();
    private final List<String> orders = new ArrayList<>();
    private final List<String> suppressions = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        LocalSpark.session();
        plainMeta = new FakeGraphApi();
        sparkMeta = new FakeGraphApi();
        for (String[] c : new String[][] {
            {"C1", "Anna@Example.se"},
            {"C2", " bertil@example.se"},
            {"C3", "cecilia@example.se"},
            {"C4", "david@example.se"},
            {"C5", "eva@example.se"},
            {"C6", "filip@example.se"},
            {"C7", "anna@example.se"}
        }) {
            emails.put(c[0], c[1]);
            orders.add(c[0] + ",2026-10-01T10:00:00Z," + (c[0].equals("C5") ? "cooking" : "crime") + ",199.00");
            if (!c[0].equals("C6")) { // C6 never consented
                consents.add(c[0] + ",marketing,granted,2026-06-01T09:00:00Z");
            }
        }
        // equal timestamps: the later row decides, here a denial
        consents.add("C3,marketing,granted,2026-07-01T09:00:00Z");
        consents.add("C3,marketing,denied,2026-07-01T09:00:00Z");
        Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(tmp.resolve("audiences/crime-buyers.yaml"), """
                destinations: [meta, files]
                min_size: 1
                rule:
                  purchased: { where: { category: crime }, within_days: 365 }
                """);
        Files.writeString(tmp.resolve("audiences/buyers.yaml"), """
                destinations: [meta]
                sync: add-only
                min_size: 1
                rule:
                  purchased: { within_days: 365 }
                """);
        config("plain.yaml", plainMeta);
        config("spark.yaml", sparkMeta);
    }

    private void config(String name, FakeGraphApi meta) throws IOException {
        Files.writeString(
                tmp.resolve(name),
                "destinations:\n  files: { type: file, normalization: meta }\n"
                        + meta.destinationYaml("meta", "nestit-"));
    }

    @AfterEach
    void everyRequestWasWellFormed() {
        plainMeta.close();
        sparkMeta.close();
        assertEquals(List.of(), plainMeta.violations());
        assertEquals(List.of(), sparkMeta.violations());
    }

    @Test
    void buildThenSyncDesiredEndsWithTheMembersAndTheAuditTrailOfAPlainSync() throws IOException {
        bothRuns(1);
        assertEquals(
                List.of("C1", "C2", "C4", "C7"),
                holdersOfAdds("crime-buyers"),
                "C3's later denial, C6 without consent");

        // C1 withdraws, C4 leaves the segment, C8 joins
        consents.add("C1,marketing,withdrawn,2026-11-15T08:00:00Z");
        orders.removeIf(o -> o.startsWith("C4,"));
        emails.put("C8", "gustav@example.se");
        consents.add("C8,marketing,granted,2026-11-01T09:00:00Z");
        orders.add("C8,2026-11-02T10:00:00Z,crime,99.00");
        bothRuns(2);
    }

    @Test
    void theBuildWritesTheHashOfNoOneTheGateKeepsOut() throws IOException {
        assertEquals(0, syncDesired(build("built-1")).exitCode());
        suppressions.add(",bertil@example.se"); // C2 by email
        suppressions.add("C4,"); // C4 erased by customer_id

        Path built = build("built-2");

        String written = everythingIn(built);
        // Meta's normalization is lower case without surrounding white space
        for (String keptOut :
                List.of("bertil@example.se", "david@example.se", "cecilia@example.se", "filip@example.se")) {
            assertFalse(
                    written.contains(ContractOracle.sha256Hex(keptOut)),
                    keptOut + ": suppressed, erased, denied or never asked");
        }
        assertTrue(written.contains(ContractOracle.sha256Hex("eva@example.se")), "the exportable are there, gzip read");

        // two of five exportable leave at once: the guardrails hold that unless told
        Cli.Result second =
                syncDesired(built, "--guardrail", "max_exportable_drop=50%", "--accept-shrink", "crime-buyers");
        assertEquals(0, second.exitCode(), second.out());
        List<AuditEntry> removes = auditEntries(tmp.resolve("spark-out")).stream()
                .filter(l -> l.operation().equals("remove"))
                .toList();
        assertEquals(
                Stream.of("bertil@example.se", "david@example.se")
                        .map(ContractOracle::sha256Hex)
                        .sorted()
                        .toList(),
                removes.stream().map(AuditEntry::hash).distinct().sorted().toList(),
                "both leave the audiences");
        removes.forEach(l -> assertEquals(0, l.customers().size(), "the build no longer holds them: named by no one"));
    }

    /** Writes the data as it now stands and builds it into {@code name}. */
    private Path build(String name) throws IOException {
        writeData();
        Path built = tmp.resolve(name);
        assertEquals(
                0,
                SparkBuild.run(
                        "build",
                        "--config",
                        tmp.resolve("spark.yaml").toString(),
                        "--data",
                        tmp.resolve("data").toString(),
                        "--audiences",
                        tmp.resolve("audiences").toString(),
                        "--out",
                        built.toString(),
                        "--as-of",
                        AS_OF));
        return built;
    }

    /** Every file under a directory as text, gzip files unpacked. */
    private static String everythingIn(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = f.toString().endsWith(".gz")
                        ? new GZIPInputStream(Files.newInputStream(f))
                        : Files.newInputStream(f)) {
                    text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return text.toString();
    }

    @Test
    void syncDesiredRefusesAnUnfinishedBuildAndTheInputOptions() throws IOException {
        writeData();
        Cli.Result missing = Cli.run(
                "sync",
                "--config",
                tmp.resolve("spark.yaml").toString(),
                "--desired",
                tmp.resolve("nothing").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--no-progress");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("manifest.json: not found"), missing.err());
        Cli.Result asOf = Cli.run(
                "sync",
                "--config",
                tmp.resolve("spark.yaml").toString(),
                "--desired",
                tmp.resolve("nothing").toString(),
                "--as-of",
                AS_OF,
                "--no-progress");
        assertEquals(2, asOf.exitCode());
    }

    @Test
    void syncDesiredHoldsAnAudienceTheBuildEmptiedUntilTheShrinkIsAccepted() throws IOException {
        bothRuns(1);
        String crimeBuyers = remoteId("spark-state", "crime-buyers");
        Set<String> before = sparkMeta.members(crimeBuyers);
        orders.replaceAll(o -> o.replace(",crime,", ",cooking,"));
        Path built = build("built-2");

        Cli.Result held = syncDesired(built);

        assertEquals(1, held.exitCode(), held.out());
        assertTrue(
                held.out().contains("audience_shrink: crime-buyers would fall from 3 to 0 members at meta"),
                held.out());
        assertEquals(before, sparkMeta.members(crimeBuyers));

        Cli.Result accepted = syncDesired(built, "--accept-shrink", "crime-buyers");

        assertEquals(0, accepted.exitCode(), accepted.out());
        assertEquals(Set.of(), sparkMeta.members(crimeBuyers));
    }

    @Test
    void syncDesiredHoldsEveryAudienceWhenTheBuildRejectedTooManyRows() throws IOException {
        bothRuns(1);
        String buyers = remoteId("spark-state", "buyers");
        Set<String> before = sparkMeta.members(buyers);
        // amounts with a decimal comma: every order row has a field too many
        orders.replaceAll(o -> o.replace("199.00", "199,00").replace("99.00", "99,00"));
        emails.put("C9", "hanna@example.se");
        consents.add("C9,marketing,granted,2026-11-01T09:00:00Z");
        orders.add("C9,2026-11-02T10:00:00Z,crime,49.00");
        writeData();
        Path built = tmp.resolve("built-broken");
        assertEquals(
                0,
                SparkBuild.run(
                        "build",
                        "--config",
                        tmp.resolve("spark.yaml").toString(),
                        "--data",
                        tmp.resolve("data").toString(),
                        "--audiences",
                        tmp.resolve("audiences").toString(),
                        "--out",
                        built.toString(),
                        "--as-of",
                        AS_OF));

        Cli.Result held = syncDesired(built, "--guardrail", "rejected_rows_allowed=0");

        assertEquals(1, held.exitCode(), held.out());
        assertTrue(held.out().contains("rejected_rows: orders.csv: 7 of 8 rows rejected"), held.out());
        assertEquals(before, sparkMeta.members(buyers), "the add-only audience gains nobody on a broken night");
    }

    private Cli.Result syncDesired(Path built, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "sync",
                "--config",
                tmp.resolve("spark.yaml").toString(),
                "--desired",
                built.resolve("desired").toString(),
                "--out",
                tmp.resolve("spark-out").toString(),
                "--state",
                tmp.resolve("spark-state").toString(),
                "--no-progress"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** One night both ways; then the networks, the reports and the audit trails must agree. */
    private void bothRuns(int night) throws IOException {
        writeData();
        Path plainOut = tmp.resolve("plain-out");
        Cli.Result plain = Cli.run(
                "sync",
                "--config",
                tmp.resolve("plain.yaml").toString(),
                "--data",
                tmp.resolve("data").toString(),
                "--audiences",
                tmp.resolve("audiences").toString(),
                "--out",
                plainOut.toString(),
                "--state",
                tmp.resolve("plain-state").toString(),
                "--as-of",
                AS_OF,
                "--no-progress");
        assertEquals(0, plain.exitCode(), plain.err());

        Path built = build("built-" + night);
        Path sparkOut = tmp.resolve("spark-out");
        Cli.Result desired = syncDesired(built);
        assertEquals(0, desired.exitCode(), desired.err());
        assertFalse(desired.out().contains("@"), "no email in what sync prints");

        for (String audience : AUDIENCES) {
            assertEquals(
                    plainMeta.members(remoteId("plain-state", audience)),
                    sparkMeta.members(remoteId("spark-state", audience)),
                    audience + " at Meta, night " + night);
        }
        assertEquals(
                Files.readString(plainOut.resolve("crime-buyers/files.csv")),
                Files.readString(built.resolve("crime-buyers/files.csv")));
        JsonNode plainReport = JSON.readTree(plainOut.resolve("report.json").toFile());
        JsonNode sparkReport = JSON.readTree(sparkOut.resolve("report.json").toFile());
        for (String audience : AUDIENCES) {
            JsonNode p = plainReport.path("audiences").path(audience);
            JsonNode s = sparkReport.path("audiences").path(audience);
            assertEquals(p.path("in_segment"), s.path("in_segment"));
            assertEquals(p.path("skipped"), s.path("skipped"));
            assertEquals(
                    p.path("destinations").path("meta").path("adds"),
                    s.path("destinations").path("meta").path("adds"));
            assertEquals(
                    p.path("destinations").path("meta").path("removes"),
                    s.path("destinations").path("meta").path("removes"));
        }
        assertEquals(auditEntries(plainOut), auditEntries(sparkOut), "the audit trail, night " + night);
    }

    private String remoteId(String state, String audience) {
        return new StateStore(tmp.resolve(state))
                .load("meta", audience)
                .remote()
                .get(MetaAudienceClient.AUDIENCE_ID);
    }

    /**
     * The newest run's audit lines of the network destination (the build writes the files, and no
     * trail for them), without what differs between any two runs (run id and time).
     */
    private static List<AuditEntry> auditEntries(Path out) {
        // the newest run by its time: two runs of one second sort by their ids in the file names
        List<AuditEntry> all = new ArrayList<>();
        AuditReader.read(out, all::add);
        Instant newest = all.stream()
                .map(AuditEntry::time)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        List<AuditEntry> entries = new ArrayList<>();
        for (AuditEntry e : all) {
            if (e.time().equals(newest) && e.destination().equals("meta")) {
                entries.add(new AuditEntry(
                        "",
                        Instant.EPOCH,
                        e.asOf(),
                        e.destination(),
                        e.audience(),
                        e.operation(),
                        e.outcome(),
                        e.hash(),
                        e.purpose(),
                        e.maxAgeDays(),
                        e.customers(),
                        e.signalPurposes()));
            }
        }
        entries.sort(Comparator.comparing((AuditEntry e) -> e.audience() + e.operation() + e.hash()));
        return entries;
    }

    private List<String> holdersOfAdds(String audience) throws IOException {
        return auditEntries(tmp.resolve("spark-out")).stream()
                .filter(l -> l.audience().equals(audience) && l.operation().equals("add"))
                .flatMap(l -> l.customers().stream().map(AuditEntry.Holder::customerId))
                .sorted()
                .toList();
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
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email\n" + lines(suppressions));
        Files.writeString(data.resolve("orders.csv"), "customer_id,ordered_at,category,amount\n" + lines(orders));
    }

    private static String lines(List<String> rows) {
        return rows.stream().map(r -> r + "\n").collect(Collectors.joining());
    }
}
