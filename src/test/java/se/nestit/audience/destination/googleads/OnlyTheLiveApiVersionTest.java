package se.nestit.audience.destination.googleads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * google-ads 42.1.0 cannot run without the stubs of every version it was built with (v20 to v23:
 * its version catalog and header provider load them), so the sunset versions are on the classpath.
 * Our code must speak v23 only.
 */
class OnlyTheLiveApiVersionTest {

    private static final Pattern OTHER_VERSION = Pattern.compile("com\\.google\\.ads\\.googleads\\.v(?!23\\.)[0-9]+\\.");

    @Test
    void theDestinationUsesNoOtherApiVersionThanV23() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/se/nestit/audience/destination/googleads"))) {
            List<String> offending = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        try {
                            return OTHER_VERSION.matcher(Files.readString(f)).find();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .map(Path::toString)
                    .toList();
            assertEquals(List.of(), offending);
        }
    }
}
