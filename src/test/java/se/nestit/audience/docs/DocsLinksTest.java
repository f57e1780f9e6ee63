package se.nestit.audience.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The repository is the product's whole documentation: every link between its pages leads to a
 * file and a heading that exist, and none leads out of the repository.
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkLeadsToAFileAndHeadingInTheRepository() {
        List<String> broken = new ArrayList<>();
        for (Path page : Docs.pages()) {
            Matcher m = LINK.matcher(Docs.prose(page));
            while (m.find()) {
                String link = m.group(1);
                if (link.startsWith("http://") || link.startsWith("https://") || link.startsWith("mailto:")) {
                    continue;
                }
                String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
                String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : null;
                Path target =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = Docs.ROOT.relativize(page) + ": " + link;
                if (!target.startsWith(Docs.ROOT)) {
                    broken.add(where + " leads out of the repository");
                } else if (!Files.exists(target)) {
                    broken.add(where + " leads to a missing file");
                } else if (anchor != null
                        && target.toString().endsWith(".md")
                        && !Docs.anchors(target).contains(anchor)) {
                    broken.add(where + " names no heading of " + Docs.ROOT.relativize(target));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theReadmeIsAFrontDoorThatLeadsToEveryGuide() {
        String readme = Docs.read(Docs.ROOT.resolve("README.md"));
        long lines = readme.lines().count();
        assertTrue(lines <= 220, "README.md has " + lines + " lines; move details to docs/");
        for (Path page : Docs.pages()) {
            Path relative = Docs.ROOT.relativize(page);
            if (relative.startsWith("docs")) {
                assertTrue(
                        readme.contains("](" + relative + ")") || readme.contains("](" + relative + "#"),
                        "README.md does not link to " + relative);
            }
        }
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        // GitHub's rule, checked against a heading of this repository whose anchor is linked elsewhere
        assertTrue(
                Docs.anchors(Docs.ROOT.resolve("docs/configuration.md")).contains("who-is-exported-the-consent-gate"));
        assertTrue(Docs.anchors(Docs.ROOT.resolve("docs/privacy.md")).contains("running-verify"));
    }
}
