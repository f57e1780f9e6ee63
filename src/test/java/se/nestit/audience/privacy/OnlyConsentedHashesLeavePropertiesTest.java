package se.nestit.audience.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.destination.meta.LoopbackMeta;
import se.nestit.audience.privacy.ContractOracle.Verdict;
import se.nestit.audience.privacy.World.Consent;
import se.nestit.audience.privacy.World.Customer;
import se.nestit.audience.privacy.World.Order;
import se.nestit.audience.privacy.World.Suppression;

/**
 * The central privacy property, end to end through the command line: whatever the data, every hash
 * in every audience file and every hash the (loopback) Meta audience holds or was sent belongs to a
 * customer who passes the consent gate, as the contract decides it (worked out independently in
 * {@link World}), under that destination's normalization. And it stays so after the world changes
 * (a consent withdrawn, a suppression added, a customer deleted): the next sync removes them.
 *
 * <p>Worlds are small and collide a lot: a few dozen customers whose emails come from a small pool
 * (shared addresses, case and padding variants, Gmail spellings, invalid and empty cells), consent
 * histories around as_of and the max_age boundary with ties, suppressions by id and by email in
 * another spelling, and orders so that rule-based audiences (one of them add-only) select people.
 */
class OnlyConsentedHashesLeavePropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * File destinations and their profiles; "meta" is the network destination, which only the
     * everyone and the add-only audience use (each Meta audience costs a few loopback calls).
     */
    private static final Map<String, String> FILE_PROFILES =
            Map.of("basic-files", "basic", "google-files", "google", "meta-files", "meta", "plain-files", "basic");

    private static final List<String> AUDIENCES = List.of("everyone", "crime", "big-spenders", "no-crime");
    private static final String PREFIX = "nestit-";

    /** Picks, made by the generator, of the exportable customers the second run changes. */
    record Changes(int withdraw, int suppress, int delete, boolean suppressByEmail, int respelling) {}

    @Property(tries = 20, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    @StatisticsReport(StatisticsReportMode.OFF)
    void everyHashThatLeavesBelongsToAConsentedCustomerBeforeAndAfterTheWorldChanges(
            @ForAll("worlds") World world, @ForAll("changes") Changes changes, @ForAll("crimeMinSize") int crimeMinSize)
            throws IOException {
        // jqwik runs no JUnit extensions, so no @TempDir: a directory of our own per try
        Path dir = Files.createTempDirectory("privacy-world");
        // the runs' logs go to a list (shown when a run fails), not to the build's console
        try (LoopbackMeta meta = LoopbackMeta.start();
                CapturedLogs logs = new CapturedLogs(Level.INFO)) {
            writeSetup(dir, meta, crimeMinSize, world.maxAgeDays());

            sync(dir, world, logs);
            assertOnlyConsentedHashesLeft(dir, world, meta);

            World changed = change(world, changes);
            meta.forgetRequests();
            sync(dir, changed, logs);
            assertOnlyConsentedHashesLeft(dir, changed, meta);

            assertEquals(List.of(), meta.violations(), "requests the fake Graph API found malformed");
            // the property says little about worlds in which no one may be exported: most must have several
            Statistics.label("exportable")
                    .collect(
                            world.exportable().size() >= 3
                                    ? "3+"
                                    : String.valueOf(world.exportable().size()));
            Statistics.label("exportable").coverage(c -> c.check("3+").percentage(p -> p >= 25));
        } finally {
            deleteRecursively(dir);
        }
    }

    // ---- the assertions ----

    private static void assertOnlyConsentedHashesLeft(Path dir, World world, LoopbackMeta meta) throws IOException {
        Path out = dir.resolve("out");
        for (Path file : audienceFiles(out)) {
            String destination = file.getFileName().toString().replace(".csv", "");
            String audience = file.getParent().getFileName().toString();
            String profile = FILE_PROFILES.get(destination);
            assertTrue(profile != null, "an audience file of no configured destination: " + file);
            Set<String> held = readHashes(file);
            assertSubset(held, world.mayLeave(profile), audience + "/" + destination + ".csv" + NO_CONSENT, world);
            if (audience.equals("everyone")) {
                assertSubset(
                        world.everyoneMustHold(profile),
                        held,
                        "exportable customers missing from everyone/" + destination + ".csv",
                        world);
            }
        }
        for (String audience : AUDIENCES) {
            assertSubset(
                    meta.members(PREFIX + audience),
                    world.mayLeave("meta"),
                    "Meta audience " + audience + NO_CONSENT,
                    world);
        }
        assertSubset(meta.sentForAdding(), world.mayLeave("meta"), "adds sent to Meta" + NO_CONSENT, world);
        assertSubset(
                world.everyoneMustHold("meta"),
                meta.members(PREFIX + "everyone"),
                "exportable customers missing at Meta's everyone",
                world);
        for (String destination : FILE_PROFILES.keySet()) {
            assertTrue(
                    Files.exists(out.resolve("everyone").resolve(destination + ".csv")),
                    "everyone has min_size 0: " + destination);
        }

        // the report counts the gate's verdicts as the contract does, for an audience of everyone
        JsonNode everyone = JSON.readTree(out.resolve("report.json").toFile())
                .path("audiences")
                .path("everyone");
        assertEquals(world.accepted().size(), everyone.path("in_segment").asLong(), "in_segment\n" + world);
        assertEquals(world.exportable().size(), everyone.path("exported").asLong(), "exported\n" + world);
        Map<Verdict, Long> counts = world.verdictCounts();
        for (Verdict v : Verdict.values()) {
            if (v != Verdict.EXPORTABLE) {
                assertEquals(
                        counts.getOrDefault(v, 0L),
                        everyone.path("skipped").path(v.code()).asLong(0),
                        v.code() + "\n" + world);
            }
        }
    }

    private static final String NO_CONSENT = ": hashes of no customer who may be exported";

    /** That {@code part} is in {@code whole}; the message names what is extra, and the world shows why. */
    private static void assertSubset(Set<String> part, Set<String> whole, String what, World world) {
        Set<String> extra = new TreeSet<>(part);
        extra.removeAll(whole);
        assertEquals(
                Set.of(),
                extra,
                what + "\n"
                        + String.join("\n", extra.stream().map(world::whoHas).toList()) + "\n" + world);
    }

    // ---- running ----

    private static void sync(Path dir, World world, CapturedLogs logs) throws IOException {
        world.write(dir.resolve("data"));
        Cli.Result r = Cli.run(
                "sync",
                "--config",
                dir.resolve("exporter.yaml").toString(),
                "--data",
                dir.resolve("data").toString(),
                "--audiences",
                dir.resolve("audiences").toString(),
                "--out",
                dir.resolve("out").toString(),
                "--state",
                dir.resolve("state").toString(),
                "--as-of",
                world.asOfArgument(),
                "--no-progress");
        assertEquals(0, r.exitCode(), r.err() + "\n" + logs.text() + "\n" + world);
    }

    private static void writeSetup(Path dir, LoopbackMeta meta, int crimeMinSize, int maxAgeDays) throws IOException {
        // the worlds are small and change a lot overnight: guardrails off, this is about the gate
        Files.writeString(
                dir.resolve("exporter.yaml"), """
                consent: { purpose: marketing, max_age_days: %d }
                guardrails: { max_rejected_share: 1, max_audience_shrink: 1, max_exportable_drop: 1 }
                destinations:
                  basic-files: { type: file, normalization: basic }
                  google-files: { type: file, normalization: google }
                  meta-files: { type: file, normalization: meta }
                  plain-files: { type: file }
                """.formatted(maxAgeDays) + meta.destinationYaml("meta", PREFIX));
        Path audiences = Files.createDirectories(dir.resolve("audiences"));
        Files.writeString(audiences.resolve("everyone.yaml"), """
                description: Every customer, so that the gate alone decides
                min_size: 0
                rule:
                  customer: { where: { country: se } }
                """);
        Files.writeString(audiences.resolve("crime.yaml"), """
                description: Bought crime fiction in the last 30 days
                destinations: [basic-files, google-files, meta-files, plain-files]
                min_size: %d
                rule:
                  purchased: { where: { category: crime }, within_days: 30 }
                """.formatted(crimeMinSize));
        Files.writeString(audiences.resolve("big-spenders.yaml"), """
                description: Spent 200 or more, ever; add-only keeps those who spend less later, never those who may not be exported
                sync: add-only
                min_size: 1
                rule:
                  purchased: { min_amount: 200 }
                """);
        Files.writeString(audiences.resolve("no-crime.yaml"), """
                description: Never bought crime fiction
                destinations: [basic-files, google-files, meta-files, plain-files]
                min_size: 2
                rule:
                  not: { purchased: { where: { category: crime } } }
                """);
    }

    /** The second run's world: one exportable customer withdraws, one is suppressed, one is deleted. */
    private static World change(World world, Changes changes) {
        List<Customer> exportable = world.exportable();
        World changed = world;
        if (exportable.isEmpty()) {
            return changed;
        }
        Customer withdrawing = exportable.get(changes.withdraw() % exportable.size());
        Customer suppressed = exportable.get(changes.suppress() % exportable.size());
        Customer deleted = exportable.get(changes.delete() % exportable.size());
        changed = changed.withdraw(withdrawing.id());
        changed = changed.suppress(
                changes.suppressByEmail()
                        ? new Suppression("", Emails.respell(suppressed.email(), changes.respelling()), "objection", "")
                        : new Suppression(suppressed.id(), "", "erasure", "2026-01-01"));
        return changed.delete(deleted.id());
    }

    // ---- files ----

    private static List<Path> audienceFiles(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getNameCount() - out.getNameCount() == 2
                            && p.toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
    }

    private static Set<String> readHashes(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertEquals("email_sha256", lines.get(0), file.toString());
        return new TreeSet<>(lines.subList(1, lines.size()));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<Instant> asOfs =
                Arbitraries.of(Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-22T13:45:10Z"));
        Arbitrary<Integer> maxAges = Arbitraries.of(30, 395);
        // no edge cases: jqwik would mix in one-customer worlds and duplicate ids far too often for 20 tries
        return Combinators.combine(asOfs, maxAges)
                .flatAs((asOf, maxAge) -> {
                    // each customer brings its own consent history, so that most have one; its rows are
                    // spread over the file afterwards (see World.interleave), keeping their relative order
                    Arbitrary<List<Draft>> drafts = Combinators.combine(
                                    Emails.cells(),
                                    Arbitraries.of("SE", "se", " Se", "SE "),
                                    Arbitraries.integers().between(0, 19),
                                    history(asOf, maxAge)
                                            .list()
                                            .ofMaxSize(4)
                                            .withSizeDistribution(RandomDistribution.uniform()))
                            .as(Draft::new)
                            // with few tries jqwik keeps lists short; a few dozen customers make the collisions
                            .list()
                            .ofMinSize(1)
                            .ofMaxSize(36)
                            .withSizeDistribution(RandomDistribution.uniform());
                    return drafts.flatMap(ds -> {
                        List<Customer> cs = numbered(ds);
                        List<String> ids =
                                cs.stream().map(Customer::id).distinct().toList();
                        Arbitrary<String> id = Arbitraries.frequencyOf(
                                Tuple.of(12, Arbitraries.of(ids)), Tuple.of(1, Arbitraries.just("C999")));
                        List<List<Consent>> histories = new ArrayList<>();
                        for (int i = 0; i < ds.size(); i++) {
                            String who = cs.get(i).id();
                            histories.add(ds.get(i).history().stream()
                                    .map(r -> r.withCustomerId(who))
                                    .toList());
                        }
                        return Combinators.combine(
                                        Arbitraries.integers().between(0, Integer.MAX_VALUE),
                                        Combinators.combine(id, history(asOf, maxAge))
                                                .as((who, r) -> r.withCustomerId(who))
                                                .list()
                                                .ofMaxSize(5),
                                        suppressions(id, cs)
                                                .list()
                                                .ofMaxSize(4)
                                                .withSizeDistribution(RandomDistribution.uniform()),
                                        orders(id, asOf).list().ofMaxSize(25))
                                .as((seed, strays, suppressions, orders) -> new World(
                                        asOf,
                                        asOf.toString().endsWith("T00:00:00Z")
                                                ? asOf.toString().substring(0, 10)
                                                : asOf.toString(),
                                        maxAge,
                                        cs,
                                        World.interleave(histories, strays, seed),
                                        suppressions,
                                        orders));
                    });
                })
                .withoutEdgeCases();
    }

    /** A customer before it has an id, with its consent history (customer ids filled in later). */
    private record Draft(String email, String country, int duplicateDie, List<Consent> history) {}

    /** Numbers customers C000, C001, ...; about one in twenty repeats the id before it (a rejected duplicate). */
    private static List<Customer> numbered(List<Draft> drafts) {
        List<Customer> out = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            String id = d.duplicateDie() == 0 && i > 0 ? out.get(i - 1).id() : String.format("C%03d", i);
            out.add(new Customer(id, d.email(), d.country()));
        }
        return out;
    }

    /** One consent row of no one yet: purposes, statuses and times around as_of and the max age boundary. */
    private static Arbitrary<Consent> history(Instant asOf, int maxAge) {
        Instant limit = asOf.minus(Duration.ofDays(maxAge));
        // on both sides of the max age boundary and of as_of; fresh grants weigh most, so that many pass
        Arbitrary<Instant> at = Arbitraries.frequency(
                Tuple.of(1, limit.minusSeconds(86_400)),
                Tuple.of(1, limit.minusSeconds(1)),
                Tuple.of(1, limit),
                Tuple.of(1, limit.plusSeconds(1)),
                Tuple.of(1, limit.plusMillis(1)),
                Tuple.of(6, asOf.minus(Duration.ofDays(10))),
                Tuple.of(2, asOf.minusSeconds(1)),
                Tuple.of(2, asOf),
                Tuple.of(1, asOf.plusSeconds(1)),
                Tuple.of(1, asOf.plus(Duration.ofDays(30))));
        Arbitrary<String> purpose = Arbitraries.frequency(
                Tuple.of(10, "marketing"),
                Tuple.of(2, "Marketing"),
                Tuple.of(1, "MARKETING"),
                Tuple.of(2, "newsletter"),
                Tuple.of(1, "analytics"));
        Arbitrary<String> status = Arbitraries.frequency(
                Tuple.of(12, "granted"),
                Tuple.of(2, "denied"),
                Tuple.of(3, "withdrawn"),
                Tuple.of(1, "GRANTED"),
                Tuple.of(1, "Withdrawn"),
                Tuple.of(1, "revoked"));
        Arbitrary<Integer> form =
                Arbitraries.frequency(Tuple.of(4, 0), Tuple.of(2, 1), Tuple.of(2, 2), Tuple.of(2, 3), Tuple.of(1, -1));
        return Combinators.combine(purpose, status, at, form)
                .as((p, s, t, f) -> f < 0
                        // not a timestamp: the row is rejected, whatever it says
                        ? new Consent("", p, s, null, "2026-02-30")
                        : new Consent("", p, s, t, World.render(t, f)));
    }

    private static Arbitrary<Suppression> suppressions(Arbitrary<String> id, List<Customer> customers) {
        Arbitrary<String> recorded = Arbitraries.of("", "2019-05-01", "2026-11-21T08:00:00Z", "2030-01-01");
        Arbitrary<Integer> how = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Suppression> byId =
                Combinators.combine(id, recorded).as((who, r) -> new Suppression(who, "", "erasure", r));
        // a customer's own address in another spelling, or any address of the pool
        Arbitrary<Suppression> byRespelling = Combinators.combine(Arbitraries.of(customers), how, recorded)
                .as((c, h, r) -> new Suppression("", Emails.respell(c.email(), h), "objection", r));
        Arbitrary<Suppression> byPool = Combinators.combine(Emails.spellings(), recorded)
                .as((e, r) -> new Suppression("", e, "marketing opt-out", r));
        Arbitrary<Suppression> both = Combinators.combine(id, Emails.spellings(), recorded)
                .as((who, e, r) -> new Suppression(who, e, "restriction", r));
        return Arbitraries.frequencyOf(
                Tuple.of(3, byId), Tuple.of(3, byRespelling), Tuple.of(1, byPool), Tuple.of(1, both));
    }

    private static Arbitrary<Order> orders(Arbitrary<String> id, Instant asOf) {
        Arbitrary<String> at = Arbitraries.of(
                        asOf.minus(Duration.ofDays(100)),
                        asOf.minus(Duration.ofDays(10)),
                        asOf.minusSeconds(1),
                        asOf,
                        asOf.plus(Duration.ofDays(1)))
                .map(Instant::toString);
        return Combinators.combine(
                        id, at, Arbitraries.of("crime", "Crime", "cooking"), Arbitraries.of("99.00", "250", "-20", ""))
                .as(Order::new);
    }

    @Provide
    Arbitrary<Changes> changes() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
        return Combinators.combine(
                        pick,
                        pick,
                        pick,
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as(Changes::new);
    }

    @Provide
    Arbitrary<Integer> crimeMinSize() {
        return Arbitraries.integers().between(0, 3);
    }
}
