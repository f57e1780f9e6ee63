package se.nestit.audience.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The product's documentation as the tests read it: README.md and every page under docs/, their
 * fenced code blocks and their headings' anchors (as GitHub makes them).
 */
public final class Docs {

    /** The repository: the tests run in it (Maven's basedir). */
    public static final Path ROOT = Path.of("").toAbsolutePath();

    private static final Pattern FENCE = Pattern.compile("(?m)^( *)```(\\w*)[^\\n]*\\n(.*?)^\\1```", Pattern.DOTALL);
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    private Docs() {}

    /** README.md first, then the pages under docs/ in path order. */
    public static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> walk = Files.walk(ROOT.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    public static String read(Path page) {
        try {
            return Files.readString(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fenced block: the page, its language tag and its text. */
    public record Block(Path page, String language, String text) {}

    public static List<Block> blocks(Path page, String language) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(read(page));
        while (m.find()) {
            if (m.group(2).equals(language)) {
                blocks.add(new Block(page, language, m.group(3).stripIndent()));
            }
        }
        return blocks;
    }

    /** The page's text outside fenced blocks, where links and headings are. */
    public static String prose(Path page) {
        return FENCE.matcher(read(page)).replaceAll("");
    }

    /** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces to dashes. */
    public static List<String> anchors(Path page) {
        List<String> anchors = new ArrayList<>();
        Matcher m = HEADING.matcher(prose(page));
        while (m.find()) {
            anchors.add(m.group(1)
                    .strip()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                    .replace(' ', '-'));
        }
        return anchors;
    }
}
