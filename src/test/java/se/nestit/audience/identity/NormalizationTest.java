package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NormalizationTest {

    private static final String ANNA = "  Anna.Lind+Books@GMAIL.com\u00A0";

    @Test
    void basicStripsAndLowercases() {
        assertEquals("anna.lind+books@gmail.com", Normalization.basic(ANNA));
        assertEquals("anna.lind+books@gmail.com", Normalization.BASIC.apply(ANNA));
    }

    @Test
    void basicStripsBomAndIdeographicSpace() {
        assertEquals("åsa@exempel.se", Normalization.basic("\uFEFF\u3000ÅSA@Exempel.SE\t"));
    }

    @Test
    void basicKeepsInnerWhiteSpace() {
        assertEquals("a b@c.se", Normalization.basic(" A B@C.se "));
    }

    @Test
    void basicLowercasesWithRootLocaleEvenUnderTurkishDefault() {
        // A Turkish default locale would lowercase 'I' to dotless 'ı' and change every hash.
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("isak@ikea.se", Normalization.basic("ISAK@IKEA.SE"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void googleRemovesDotsAndPlusTagForGmail() {
        assertEquals("annalind@gmail.com", Normalization.GOOGLE.apply(ANNA));
    }

    @Test
    void metaIsBasic() {
        assertEquals("anna.lind+books@gmail.com", Normalization.META.apply(ANNA));
    }

    @Test
    void googleTreatsGooglemailLikeGmailButKeepsTheDomain() {
        assertEquals("annalind@googlemail.com", Normalization.GOOGLE.apply(" Anna.Lind+x@GoogleMail.com"));
    }

    @Test
    void googleKeepsDotsAndPlusForOtherDomains() {
        assertEquals("anna.lind+books@outlook.com", Normalization.GOOGLE.apply("Anna.Lind+Books@Outlook.com"));
        assertEquals("a.b+x@mail.gmail.com", Normalization.GOOGLE.apply("a.b+x@mail.gmail.com"));
        assertEquals("a.b+x@gmail.com.au", Normalization.GOOGLE.apply("a.b+x@gmail.com.au"));
        assertEquals("a.b+x@gmail.se", Normalization.GOOGLE.apply("a.b+x@gmail.se"));
    }

    @Test
    void gmailIsExactlyGooglesTwoDomains() {
        assertTrue(Normalization.isGmail("a.b@gmail.com"));
        assertTrue(Normalization.isGmail("a@b@googlemail.com"));
        assertTrue(Normalization.isGmail("@gmail.com"));
        assertFalse(Normalization.isGmail("a@mail.gmail.com"));
        assertFalse(Normalization.isGmail("a@gmail.com.au"));
        assertFalse(Normalization.isGmail("agmail.com"));
        assertFalse(Normalization.isGmail("a@gmail.com@outlook.com"));
    }

    @Test
    void googleCutsAtTheFirstPlus() {
        assertEquals("ab@gmail.com", Normalization.GOOGLE.apply("a.b+c+d.e@gmail.com"));
    }

    @Test
    void googleKeepsDotsInTheGmailDomain() {
        // Only the local part loses its dots.
        assertEquals("ab@gmail.com", Normalization.GOOGLE.apply("a...b@gmail.com"));
    }

    @Test
    void googleLeavesStringsWithoutAtAlone() {
        assertEquals("a.b+c", Normalization.GOOGLE.apply(" A.B+C "));
    }

    @Test
    void googleFormOfInvalidGmailAddressIsNotIdempotent() {
        // Documents a consequence of the contract (basic first, then the Gmail rules): removing the
        // leading dot exposes a space that the first basic pass could not strip. Harmless because
        // such an address is invalid and the gate never hashes it.
        String once = Normalization.GOOGLE.apply(". a@gmail.com");
        assertEquals(" a@gmail.com", once);
        assertEquals("a@gmail.com", Normalization.GOOGLE.apply(once));
    }

    @Property(tries = 2000)
    void basicAndMetaAreIdempotent(@ForAll("anyText") String s) {
        for (Normalization n : List.of(Normalization.BASIC, Normalization.META)) {
            String once = n.apply(s);
            assertEquals(once, n.apply(once), n.name());
        }
    }

    @Property(tries = 2000)
    void everyProfileIsIdempotentOnValidEmails(@ForAll("paddedEmails") String s) {
        // Only emails that pass the gate are ever hashed, so this is the domain that matters.
        assertTrue(EmailSyntax.isValid(Normalization.basic(s)));
        for (Normalization n : Normalization.values()) {
            String once = n.apply(s);
            assertEquals(once, n.apply(once), n.name());
        }
    }

    @Property(tries = 2000)
    void everyProfileStartsWithBasic(@ForAll("anyText") String s) {
        for (Normalization n : Normalization.values()) {
            assertEquals(n.apply(s), n.apply(Normalization.basic(s)), n.name());
        }
    }

    @Property(tries = 2000)
    void aProfileGivesTheFormOfTheOneItIsTheSameAs(@ForAll("anyText") String s) {
        for (Normalization n : Normalization.values()) {
            assertEquals(n.apply(s), n.sameFormAs().apply(s), n.name());
        }
        assertEquals(Normalization.BASIC, Normalization.META.sameFormAs());
        assertEquals(Normalization.GOOGLE, Normalization.GOOGLE.sameFormAs());
    }

    @Property(tries = 3000)
    void aPlainCellsBytesNormalizeAsItsString(@ForAll("plainCells") String cell) {
        byte[] bytes = ("<" + cell + ">").getBytes(StandardCharsets.US_ASCII);
        assertTrue(EmailSyntax.isPlain(bytes, 1, bytes.length - 1));
        byte[] basic = new byte[cell.length()];
        Normalization.basicPlain(bytes, 1, bytes.length - 1, basic);
        assertEquals(Normalization.basic(cell), new String(basic, StandardCharsets.US_ASCII));
        for (Normalization n : Normalization.values()) {
            byte[] out = new byte[basic.length];
            int length = n.fromBasicPlain(basic, basic.length, out);
            String form = length < 0
                    ? new String(basic, StandardCharsets.US_ASCII)
                    : new String(out, 0, length, StandardCharsets.US_ASCII);
            assertEquals(n.apply(cell), form, n.name());
        }
    }

    /** Printable ASCII without white space, Gmail's and other domains and several '@', as the gate's plain cells. */
    @Provide
    Arbitrary<String> plainCells() {
        return Arbitraries.of("a", "B", ".", "+", "@", "-", "_", "gmail.com", "GMAIL.COM", "GoogleMail.Com", "x.se")
                .list()
                .ofMinSize(1)
                .ofMaxSize(10)
                .map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> token = Arbitraries.of(
                "a",
                "B",
                "É",
                "é",
                "İ",
                "Σ",
                ".",
                "+",
                "@",
                " ",
                "\u00A0",
                "\t",
                "\uFEFF",
                "\u3000",
                "\u200B",
                "gmail.com",
                "GOOGLEMAIL.COM",
                "\uD83D\uDE00");
        return token.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> paddedEmails() {
        Arbitrary<String> pad = Arbitraries.of("", "", " ", "\u00A0", "\uFEFF", "\t", "\u3000 ")
                .list()
                .ofMaxSize(3)
                .map(l -> String.join("", l));
        Arbitrary<String> local = Arbitraries.frequency(List.of(
                        Tuple.of(5, "a"),
                        Tuple.of(2, "B"),
                        Tuple.of(1, "é"),
                        Tuple.of(1, "Ö"),
                        Tuple.of(3, "."),
                        Tuple.of(2, "+"),
                        Tuple.of(1, "\u200B")))
                .list()
                .ofMinSize(1)
                .ofMaxSize(8)
                .map(l -> String.join("", l));
        Arbitrary<String> domain = Arbitraries.of(
                "gmail.com",
                "GMAIL.COM",
                "GMail.com",
                "googlemail.com",
                "GoogleMail.COM",
                "outlook.com",
                "mail.gmail.com",
                "exempel.se");
        return Combinators.combine(pad, local, domain, pad).as((p, l, d, q) -> p + l + "@" + d + q);
    }

    @ParameterizedTest
    @EnumSource(Normalization.class)
    void configNameRoundTrips(Normalization n) {
        assertEquals(n, Normalization.fromConfigName(n.configName()));
    }

    @Test
    void configNamesAreLowercase() {
        assertEquals(Normalization.BASIC, Normalization.fromConfigName("basic"));
        assertEquals(Normalization.GOOGLE, Normalization.fromConfigName("google"));
        assertEquals(Normalization.META, Normalization.fromConfigName("meta"));
        assertEquals("basic, google, meta", Normalization.names());
    }

    @Test
    void unknownConfigNameIsRejectedWithTheChoices() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Normalization.fromConfigName("gmail"));
        assertTrue(e.getMessage().contains("basic, google, meta"), e.getMessage());
        assertTrue(e.getMessage().contains("'gmail'"), e.getMessage());
    }

    @Test
    void emptyAndNullConfigNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Normalization.fromConfigName(""));
        assertThrows(IllegalArgumentException.class, () -> Normalization.fromConfigName(null));
    }
}
