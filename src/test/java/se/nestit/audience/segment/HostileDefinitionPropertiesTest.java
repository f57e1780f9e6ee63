package se.nestit.audience.segment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import se.nestit.audience.config.DefinitionException;

/**
 * Audience definitions that are garbage, or nearly YAML, or nearly a definition: each one loads
 * and compiles, or ends in a {@link DefinitionException} that starts with the file and does not
 * quote the file's lines. Nothing else escapes: no parser exception, no stack overflow, no hang.
 * (A key that holds a line break is named with it; the command line prints it escaped, see
 * {@code HostileInputTest}.)
 */
class HostileDefinitionPropertiesTest {

    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("hostile-definitions");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private final AudienceLoader loader =
            new AudienceLoader(List.of("files", "google"), AudienceLoaderTest.headers(true)::get);

    /** Loads and compiles a definition file; answers the error, or null when it is a valid definition. */
    private String load(byte[] content) {
        Path file;
        try {
            file = Files.createTempFile(dir, "audience", ".yaml");
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try {
                    AudienceDefinition a = loader.load(file);
                    SegmentProgram.compile(List.of(a), AudienceLoaderTest.headers(true)::get, Instant.EPOCH);
                    return null;
                } catch (DefinitionException e) {
                    String m = e.getMessage();
                    assertTrue(m.startsWith(file + ": "), m);
                    assertFalse(
                            m.contains(" in 'reader'")
                                    || m.lines().anyMatch(l -> l.strip().equals("^")),
                            "quotes the file: " + m);
                    return m;
                }
            });
        } finally {
            try {
                Files.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Property(tries = 300)
    void binaryGarbageIsRefusedNamingTheFile(@ForAll("garbage") byte[] content) {
        load(content);
    }

    @Property(tries = 300)
    void nearlyYamlIsReadOrRefusedNamingTheFile(@ForAll("nearlyYaml") String content) {
        load(content.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void nearlyADefinitionIsReadOrRefusedNamingTheFile(@ForAll("nearlyDefinitions") String content) {
        load(content.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    }

    /** YAML's punctuation, indentation, tags, anchors, directives and odd characters, in any order. */
    @Provide
    Arbitrary<String> nearlyYaml() {
        return Arbitraries.of(
                        "id",
                        "rule",
                        "a",
                        ":",
                        ": ",
                        " ",
                        "  ",
                        "\n",
                        "\r\n",
                        "\r",
                        "\t",
                        "- ",
                        "-",
                        "[",
                        "]",
                        "{",
                        "}",
                        ",",
                        "? ",
                        "&a ",
                        "*a",
                        "&b ",
                        "*b",
                        "!!binary ",
                        "!!str ",
                        "!!int ",
                        "!!map ",
                        "!foo ",
                        "!<tag:x> ",
                        "|",
                        ">-",
                        "\"",
                        "'",
                        "\\",
                        "\\x00",
                        "\\ud800",
                        "#",
                        "---",
                        "...",
                        "%YAML 1.2\n",
                        "%TAG ! x\n",
                        "<<: ",
                        "~",
                        "null",
                        "NO",
                        "1",
                        "-1",
                        "1e999",
                        "0x1F",
                        ".inf",
                        "@",
                        "`",
                        "%",
                        "\u0000",
                        "\u0007",
                        "\u0085",
                        "\u2028",
                        "\ufeff",
                        "é",
                        "\ud834\udd1e",
                        "\ud800",
                        "=")
                .list()
                .ofMaxSize(40)
                .map(tokens -> String.join("", tokens));
    }

    /** The keys and values of definitions, in nested flow and block style, right and wrong. */
    @Provide
    Arbitrary<String> nearlyDefinitions() {
        Arbitrary<String> key = Arbitraries.of(
                "id",
                "description",
                "destinations",
                "sync",
                "min_size",
                "rule",
                "all",
                "any",
                "not",
                "purchased",
                "event",
                "customer",
                "where",
                "within_days",
                "at_least",
                "min_amount",
                "type",
                "category",
                "Category",
                "author",
                "country",
                "event",
                "\"a\\nb\"",
                "\"../../etc\"",
                "\"\"",
                "'x y'",
                "1",
                "null",
                "\"\\u0000\"");
        Arbitrary<String> scalar = Arbitraries.of(
                "1",
                "0",
                "-1",
                "2147483648",
                "99999999999999999999",
                "1.5",
                "1e999",
                "1e-999",
                ".nan",
                "-.inf",
                "0x10",
                "1_000",
                "\"90\"",
                "yes",
                "NO",
                "~",
                "\"\"",
                "files",
                "google",
                "\"../../etc\"",
                "../x",
                "mirror",
                "add-only",
                "x",
                "\"\\u2028\"",
                "\"a\\nb\"",
                "\"\\u0000\"",
                "crime-fiction",
                "[]",
                "{}",
                "[files, files]",
                "!!binary aGk=");
        Arbitrary<String> flow = Arbitraries.recursive(
                () -> scalar,
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(3).map(items -> "[" + String.join(", ", items) + "]"),
                        net.jqwik.api.Combinators.combine(key, inner)
                                .as((k, v) -> k + ": " + v)
                                .list()
                                .ofMaxSize(3)
                                .map(fields -> "{" + String.join(", ", fields) + "}")),
                0,
                4);
        Arbitrary<String> line = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 3), key, flow, Arbitraries.of(true, false))
                .as((indent, k, v, item) -> "  ".repeat(indent) + (item ? "- " : "") + k + ": " + v);
        Arbitrary<String> block = line.list().ofMaxSize(8).map(lines -> String.join("\n", lines) + "\n");
        return Arbitraries.oneOf(block, flow);
    }
}
