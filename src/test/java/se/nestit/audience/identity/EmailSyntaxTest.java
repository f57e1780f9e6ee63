package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailSyntaxTest {

    // The contract's test, verbatim, with \s as Unicode white space.
    private static final Pattern CONTRACT =
            Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$", Pattern.UNICODE_CHARACTER_CLASS);

    @Property(tries = 10_000)
    void agreesWithContractRegex(@ForAll("emailLike") String s) {
        boolean expected = CONTRACT.matcher(s).matches();
        assertEquals(expected, EmailSyntax.isValid(s), () -> "for '" + escape(s) + "'");
        // Guards against a generator that never produces the valid (or the invalid) side.
        Statistics.label("contract").collect(expected ? "valid" : "invalid");
        Statistics.label("contract").coverage(c -> {
            c.check("valid").percentage(p -> p > 2.0);
            c.check("invalid").percentage(p -> p > 50.0);
        });
    }

    @Provide
    Arbitrary<String> emailLike() {
        // Heavy on '@', '.' and white space so that the boundaries of the regex are hit often;
        // U+200B and U+FEFF are not white space, the emoji is a surrogate pair.
        Arbitrary<String> token = Arbitraries.frequency(List.of(
                Tuple.of(10, "a"),
                Tuple.of(3, "é"),
                Tuple.of(3, "."),
                Tuple.of(1, "@"),
                Tuple.of(1, " "),
                Tuple.of(1, "\u00A0"),
                Tuple.of(1, "\t"),
                Tuple.of(1, "\u3000"),
                Tuple.of(1, "\u200B"),
                Tuple.of(1, "\uFEFF"),
                Tuple.of(1, "\uD83D\uDE00")));
        Arbitrary<String> free = chunk(token, 14);
        // Shaped like local@domain.tld, so that near-valid strings are common.
        Arbitrary<String> shaped = net.jqwik.api.Combinators.combine(chunk(token, 4), chunk(token, 4), chunk(token, 4))
                .as((l, d, t) -> l + "@" + d + "." + t);
        return Arbitraries.oneOf(free, shaped);
    }

    private static Arbitrary<String> chunk(Arbitrary<String> token, int maxTokens) {
        return token.list().ofMaxSize(maxTokens).map(l -> String.join("", l));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a@b.c",
                "a@b..c", // [^\s@]+ takes "b.", then \. and "c"
                "a@.b.c", // [^\s@]+ takes ".b"
                "a.@b.c",
                ".a@b.c",
                "anna.lind+books@gmail.com",
                "åsa@exempel.se",
                "a\u200B@b.c", // zero width space is not white space
                "a\uFEFF@b.c", // nor is an inner BOM
                "\uD83D\uDE00@b.c",
            })
    void valid(String email) {
        assertTrue(CONTRACT.matcher(email).matches(), "example disagrees with the contract regex");
        assertTrue(EmailSyntax.isValid(email));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "a",
                "ab.c", // no @
                "a@b", // no dot in the domain
                "@b.c", // empty local part
                "a@.c", // nothing between @ and the only dot
                "a@b.", // nothing after the last dot
                "a@@b.c",
                "a@b.c@d.e",
                "a b@c.de",
                "a@b.c d",
                "a\u00A0@b.c",
                "a@b\t.c",
                "a@b.c\u3000",
                "a@b.c\n",
                "a@b.\u2028",
            })
    void invalid(String email) {
        assertFalse(CONTRACT.matcher(email).matches(), "example disagrees with the contract regex");
        assertFalse(EmailSyntax.isValid(email));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp >= 0x21 && cp < 0x7F) {
                b.appendCodePoint(cp);
            } else {
                b.append(String.format("\\u{%X}", cp));
            }
        });
        return b.toString();
    }
}
