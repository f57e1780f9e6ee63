package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan shows how audiences overlap and why each planned remove would go. */
class PlanPreviewTest {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");

    @TempDir
    Path tmp;

    @Test
    void planShowsTheOverlapOfAudiences() throws IOException {
        Cli.Result r = run("plan", FIXTURE.resolve("data"), FIXTURE.resolve("audiences"));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());

        // gate-all is everyone of the two shops, all five of lapsed-high-value among its 22 exported customers
        Set<String> both = hashes("gate-all");
        both.retainAll(hashes("lapsed-high-value"));
        assertEquals(5, both.size());
        assertLine(r.out(), "gate-all  lapsed-high-value  5  22.7%  100%");
    }

    @Test
    void planGivesTheReasonOfEveryRemove() throws IOException {
        assertEquals(
                ExitCode.OK,
                run("sync", FIXTURE.resolve("data"), FIXTURE.resolve("audiences"))
                        .exitCode());
        Set<String> gateAll = Set.copyOf(Files.readAllLines(tmp.resolve("out/gate-all/basic.csv")));
        Set<String> crimeBuyers = Set.copyOf(Files.readAllLines(tmp.resolve("out/crime-buyers-90d/basic.csv")));
        for (String email : List.of("sven@example.se", "william@example.se", "just.below@example.se")) {
            assertTrue(gateAll.contains(sha256(email)) && !crimeBuyers.contains(sha256(email)), email);
        }

        Path data = copy(FIXTURE.resolve("data"), tmp.resolve("data"));
        Files.writeString(
                data.resolve("consents.csv"),
                "C18,marketing,withdrawn,2026-11-01T00:00:00Z,web,Bokia\n",
                StandardOpenOption.APPEND);
        Files.writeString(
                data.resolve("suppressions.csv"), "C22,,objection,2026-11-01T00:00:00Z\n", StandardOpenOption.APPEND);
        List<String> customers = Files.readAllLines(data.resolve("customers.csv"));
        customers.removeIf(line -> line.startsWith("C37,"));
        Files.write(data.resolve("customers.csv"), customers);
        Path audiences = copy(FIXTURE.resolve("audiences"), tmp.resolve("audiences"));
        Files.writeString(audiences.resolve("crime-buyers-90d.yaml"), """
                id: crime-buyers-90d
                destinations: [basic]
                min_size: 1
                rule:
                  customer: { where: { brand: [no-such-shop] } }
                """);

        Cli.Result r = run("plan", data, audiences, "--accept-shrink", "crime-buyers-90d");

        assertEquals(ExitCode.OK, r.exitCode(), r.out() + r.err());
        assertLine(r.out(), "gate-all  basic  3  consent_withdrawn 1, not_in_customers 1, suppressed 1");
        assertLine(
                r.out(),
                "crime-buyers-90d  basic  " + (crimeBuyers.size() - 1) + "  left_segment " + (crimeBuyers.size() - 1));
    }

    @Test
    void planWithNothingToRemoveSaysSo() {
        Cli.Result r = run("plan", FIXTURE.resolve("data"), FIXTURE.resolve("audiences"));
        assertTrue(r.out().contains("\nremoves: none planned\n"), r.out());
    }

    /** A line of the output that holds these cells, however wide the columns are. */
    private static void assertLine(String out, String cells) {
        Pattern line = Pattern.compile(
                "(?m)^" + Stream.of(cells.split(" {2}")).map(Pattern::quote).collect(Collectors.joining(" +")) + " *$");
        assertTrue(line.matcher(out).find(), "no line " + cells + " in:\n" + out);
    }

    private static Set<String> hashes(String audience) throws IOException {
        List<String> lines =
                Files.readAllLines(FIXTURE.resolve("expected").resolve(audience).resolve("basic.csv"));
        return new HashSet<>(lines.subList(1, lines.size()));
    }

    private static String sha256(String email) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Cli.Result run(String command, Path data, Path audiences, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--no-progress",
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
                "2026-11-22"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
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
