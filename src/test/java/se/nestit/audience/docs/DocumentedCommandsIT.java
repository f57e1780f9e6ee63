package se.nestit.audience.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.ExporterJar;

/**
 * Every command in a fenced {@code sh} block of README.md and docs/ is run, in the order a reader
 * meets them, in a copy of the repository's sample (conf/ and audiences/), with the packaged jar:
 * a documented command that no longer works fails the build. Commands that cannot run here are
 * named below with the reason, and checked as far as they can be; a command of a kind this test
 * does not know fails it until someone decides.
 */
class DocumentedCommandsIT {

    @TempDir
    static Path workspace;

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommand() throws IOException {
        copy(Docs.ROOT.resolve("conf"), workspace.resolve("conf"));
        copy(Docs.ROOT.resolve("audiences"), workspace.resolve("audiences"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : Docs.pages()) {
            for (Docs.Block block : Docs.blocks(page, "sh")) {
                for (String command : commands(block.text())) {
                    String name = Docs.ROOT.relativize(page) + ": " + command;
                    tests.add(DynamicTest.dynamicTest(name, () -> check(command)));
                }
            }
        }
        assertTrue(
                tests.size() >= 5, "found only " + tests.size() + " documented commands: is the block parser broken?");
        return tests.stream();
    }

    private static void check(String documented) {
        // the JVM's own options (the start-up archive) change nothing the command line must do
        String command = documented.replaceFirst("^java( -X\\S+)+ ", "java ");
        List<String> words = Arrays.asList(command.split("\\s+"));
        if (command.startsWith("java -jar target/audience-exporter.jar ")) {
            // the reader's own first steps: run for real on the sample
            assertEquals(0, run(words.subList(3, words.size())), command);
        } else if (command.startsWith("java -jar audience-exporter.jar ")) {
            // a deployed jar and the reader's own paths: the command line must parse
            List<String> args = new ArrayList<>(words.subList(3, words.size()));
            args.add("--help");
            assertEquals(0, run(args), command + " --help");
        } else if (command.startsWith("spark-submit ")) {
            // needs a Spark installation; the build itself is tested in the spark package
            String mainClass = words.get(words.indexOf("--class") + 1);
            assertTrue(
                    Files.exists(Docs.ROOT.resolve("src/main/java/" + mainClass.replace('.', '/') + ".java")),
                    mainClass);
        } else if (command.startsWith("mvn ")) {
            // the build itself: .ci/run runs the test command, and this test runs its product
            assertTrue(command.startsWith("mvn -B "), "documented Maven commands run in batch mode: " + command);
        } else if (command.matches("(\\w+=\\S+ )*bench/[\\w.-]+\\.sh")) {
            // benchmarks take minutes to hours; the script must be there to be run
            Path script = Docs.ROOT.resolve(command.substring(command.indexOf("bench/")));
            assertTrue(Files.isExecutable(script), script + " is missing or not executable");
        } else if (command.startsWith("export ")) {
            // the reader's secrets for later commands
            assertTrue(command.matches("export [A-Z_]+=\\S+"), command);
        } else {
            fail("a documented command this test does not know how to check: " + command);
        }
    }

    private static int run(List<String> args) {
        ExporterJar jar = ExporterJar.start(workspace, workspace.resolve("logs"), "run", Map.of(), null, args);
        int code = jar.waitFor();
        if (code != 0) {
            System.err.println(jar.err());
        }
        return code;
    }

    /** A block's commands: continuation lines joined, comments dropped, {@code a && b} as two. */
    static List<String> commands(String block) {
        List<String> commands = new ArrayList<>();
        for (String line : block.replace("\\\n", " ").split("\n")) {
            String code = line.replaceFirst("(^|\\s)#.*$", "").strip().replaceAll("\\s+", " ");
            for (String part : code.split(" && ")) {
                if (!part.isBlank()) {
                    commands.add(part.strip());
                }
            }
        }
        return commands;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
