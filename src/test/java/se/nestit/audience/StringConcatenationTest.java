package se.nestit.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import se.nestit.audience.cli.Main;

/**
 * The main code is compiled with {@code -XDstringConcat=inline} (pom.xml): a concatenation through
 * invokedynamic makes the JVM generate method-handle classes at its first use in every run, which
 * the class-data archive does not keep.
 */
class StringConcatenationTest {

    /** The bootstrap method javac names in a class that concatenates through invokedynamic. */
    private static final String INDY_CONCAT = "makeConcatWithConstants";

    @Test
    void noMainClassConcatenatesThroughInvokedynamic() throws IOException, URISyntaxException {
        Path classes = Path.of(
                Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), classes + " is not the compiled main classes");
        List<Path> indy;
        try (Stream<Path> files = Files.walk(classes)) {
            indy = files.filter(f -> f.toString().endsWith(".class"))
                    .filter(StringConcatenationTest::namesIndyConcatenation)
                    .toList();
        }
        assertEquals(List.of(), indy);
        Path tests = Path.of(StringConcatenationTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        assertTrue(
                namesIndyConcatenation(tests.resolve("se/nestit/audience/StringConcatenationTest$Indy.class")),
                "a test class, compiled without the option, names it: the search finds what it looks for");
    }

    private static boolean namesIndyConcatenation(Path classFile) {
        try {
            // the name is ASCII in the constant pool; Latin-1 reads every byte as one char
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(INDY_CONCAT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Concatenates as javac does by default, so that the search above is known to find it. */
    static final class Indy {
        static String join(String a, int b) {
            return a + b;
        }
    }
}
