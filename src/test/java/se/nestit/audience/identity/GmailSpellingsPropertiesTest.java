package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.privacy.Emails;

/**
 * What NormalizationTest does not cover: that every spelling of one Gmail mailbox (dots anywhere in
 * the local part, a +tag, any case, padding) ends in one and the same hash under the google profile,
 * the hash of {@code local@gmail.com} computed here with MessageDigest; that googlemail.com keeps its
 * own hash (the contract does not rewrite the domain); and that the meta profile, trim and lowercase
 * only, keeps spellings apart exactly when they differ after trim and lowercase.
 */
class GmailSpellingsPropertiesTest {

    private static final Sha256 SHA = new Sha256();

    private static String hash(Normalization profile, String email) {
        return Sha256.hex(SHA.digest(profile.apply(email)));
    }

    @Property(tries = 500)
    void everyGmailSpellingOfOneMailboxHashesAlikeUnderGoogle(
            @ForAll("locals") String local,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int how1,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int how2) {
        String a = Emails.spell(local, "gmail.com", how1);
        String b = Emails.spell(local, "gmail.com", how2);
        String expected = ContractOracle.sha256Hex(local + "@gmail.com");

        assertEquals(expected, hash(Normalization.GOOGLE, a), a);
        assertEquals(expected, hash(Normalization.GOOGLE, b), b);
    }

    @Property(tries = 500)
    void googlemailSpellingsHashAlikeButNotLikeGmail(
            @ForAll("locals") String local,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int how1,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int how2) {
        String googlemail = Emails.spell(local, "googlemail.com", how1);
        String gmail = Emails.spell(local, "gmail.com", how2);

        assertEquals(
                ContractOracle.sha256Hex(local + "@googlemail.com"),
                hash(Normalization.GOOGLE, googlemail),
                googlemail);
        // Google's guide names both domains but does not map one onto the other, and neither does the contract
        assertNotEquals(
                hash(Normalization.GOOGLE, gmail), hash(Normalization.GOOGLE, googlemail), gmail + " / " + googlemail);
    }

    @Property(tries = 500)
    void metaKeepsSpellingsApartExactlyWhenTrimAndLowercaseDiffer(
            @ForAll("locals") String local,
            @ForAll("domains") String domain1,
            @ForAll("domains") String domain2,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int how1,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int how2) {
        String a = Emails.spell(local, domain1, how1);
        String b = Emails.spell(local, domain2, how2);
        boolean sameAfterTrimAndLowercase = ContractOracle.basic(a).equals(ContractOracle.basic(b));

        assertEquals(ContractOracle.sha256Hex(ContractOracle.basic(a)), hash(Normalization.META, a), a);
        assertEquals(
                sameAfterTrimAndLowercase,
                hash(Normalization.META, a).equals(hash(Normalization.META, b)),
                a + " / " + b);
    }

    @Property(tries = 300)
    void outsideGmailDotsAndTagsStayPartOfTheAddressUnderGoogle(
            @ForAll("locals") String local,
            @ForAll("otherDomains") String domain,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int how) {
        String spelled = Emails.spell(local, domain, how);
        // only trim and lowercase apply: the hash is that of the basic form, dots and tag included
        assertEquals(
                ContractOracle.sha256Hex(ContractOracle.basic(spelled)), hash(Normalization.GOOGLE, spelled), spelled);
    }

    @Provide
    Arbitrary<String> locals() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('0', '9')
                .ofMinLength(1)
                .ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> domains() {
        return Arbitraries.of("gmail.com", "googlemail.com");
    }

    @Provide
    Arbitrary<String> otherDomains() {
        return Arbitraries.of("gmail.se", "mail.gmail.com", "gmail.com.au", "googlemail.se", "outlook.com", "gmail.co");
    }
}
