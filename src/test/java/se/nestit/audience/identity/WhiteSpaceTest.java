package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WhiteSpaceTest {

    // The contract's definition of white space: \s with Unicode character classes.
    private static final Pattern CONTRACT_WHITE_SPACE = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);

    @Test
    void agreesWithUnicodeRegexOnEveryBmpCodePoint() {
        Matcher m = CONTRACT_WHITE_SPACE.matcher("");
        List<String> mismatches = new ArrayList<>();
        int matched = 0;
        for (int cp = 0; cp <= 0xFFFF; cp++) {
            boolean regex = m.reset(Character.toString(cp)).matches();
            if (regex) {
                matched++;
            }
            if (regex != WhiteSpace.isWhiteSpace(cp)) {
                mismatches.add(String.format("U+%04X regex=%s", cp, regex));
            }
        }
        assertEquals(List.of(), mismatches);
        // Unicode's White_Space property has 25 code points, all in the BMP: proves the loop saw them.
        assertEquals(25, matched);
    }

    @Test
    void agreesWithUnicodeRegexOnEverySupplementaryCodePoint() {
        Matcher m = CONTRACT_WHITE_SPACE.matcher("");
        List<String> mismatches = new ArrayList<>();
        int matched = 0;
        for (int cp = 0x10000; cp <= Character.MAX_CODE_POINT; cp++) {
            boolean regex = m.reset(Character.toString(cp)).matches();
            if (regex) {
                matched++;
            }
            if (regex != WhiteSpace.isWhiteSpace(cp)) {
                mismatches.add(String.format("U+%X regex=%s", cp, regex));
            }
        }
        assertEquals(List.of(), mismatches);
        // None is white space; strip relies on that when it looks at chars, not code points.
        assertEquals(0, matched);
    }

    @Test
    void whiteSpaceIncludesNoBreakSpacesThatJavaIsWhitespaceMisses() {
        // Character.isWhitespace excludes these; the contract's \s includes them.
        assertTrue(WhiteSpace.isWhiteSpace(0x00A0));
        assertTrue(WhiteSpace.isWhiteSpace(0x2007));
        assertTrue(WhiteSpace.isWhiteSpace(0x202F));
        assertFalse(Character.isWhitespace(0x00A0));
    }

    @Test
    void zeroWidthSpaceAndBomAreNotWhiteSpace() {
        assertFalse(WhiteSpace.isWhiteSpace(0x200B));
        assertFalse(WhiteSpace.isWhiteSpace(0xFEFF));
    }

    @Test
    void stripRemovesNoBreakSpace() {
        assertEquals("anna@x.se", WhiteSpace.strip("\u00A0anna@x.se\u00A0"));
    }

    @Test
    void stripRemovesByteOrderMarkAtEitherEnd() {
        assertEquals("anna@x.se", WhiteSpace.strip("\uFEFFanna@x.se"));
        assertEquals("anna@x.se", WhiteSpace.strip("anna@x.se\uFEFF"));
    }

    @Test
    void stripRemovesTabsAndLineBreaks() {
        assertEquals("anna@x.se", WhiteSpace.strip("\t\tanna@x.se\t\r\n"));
    }

    @Test
    void stripRemovesIdeographicSpace() {
        assertEquals("anna@x.se", WhiteSpace.strip("\u3000anna@x.se\u3000"));
    }

    @Test
    void stripRemovesMixedRunsOfWhiteSpaceAndBom() {
        assertEquals("x", WhiteSpace.strip("\uFEFF \t\u3000\u00A0x\u2029\u00A0\uFEFF \u0085"));
    }

    @Test
    void stripKeepsInnerWhiteSpace() {
        assertEquals("a b\u00A0c\td", WhiteSpace.strip("  a b\u00A0c\td  "));
    }

    @Test
    void stripKeepsInnerBom() {
        assertEquals("a\uFEFFb", WhiteSpace.strip("\uFEFFa\uFEFFb"));
    }

    @Test
    void stripKeepsZeroWidthSpace() {
        // U+200B has no White_Space property; removing it would change what gets hashed.
        assertEquals("\u200Banna@x.se\u200B", WhiteSpace.strip("\u200Banna@x.se\u200B"));
    }

    @Test
    void stripOfOnlyWhiteSpaceIsEmpty() {
        assertEquals("", WhiteSpace.strip(" \u00A0\uFEFF\t\u3000"));
        assertEquals("", WhiteSpace.strip(""));
    }

    @Test
    void stripKeepsSupplementaryCharactersAtTheEdges() {
        // A surrogate pair at the edge must not be split or dropped.
        assertEquals("\uD83D\uDE00a\uD83D\uDE00", WhiteSpace.strip(" \uD83D\uDE00a\uD83D\uDE00 "));
    }
}
