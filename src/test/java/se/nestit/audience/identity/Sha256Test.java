package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Sha256Test {

    // Expected values from: printf '%s' '<email>' | sha256sum

    private final Sha256 sha = new Sha256();

    private String hexOf(String normalized) {
        return Sha256.hex(sha.digest(normalized));
    }

    @Test
    void aDigestWrittenIntoAReusedArrayIsTheSameOneAfterTheOther() {
        byte[] into = new byte[Sha256.LENGTH];
        sha.digest("åsa@exempel.se", into);
        assertEquals("d77b88b5e7064955fd70fb8e8042b30c1df2a78f2b3b9cb72cfcc8a026d64fef", Sha256.hex(into));
        sha.digest("", into);
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(into));
    }

    @Test
    void hashOfGmailAddress() {
        assertEquals("32f51260859af1c84039dca8b2b13f7052d899c7bfa3714d1d9cbedf998e5f9e", hexOf("anna.lind@gmail.com"));
    }

    @Test
    void hashOfPlusTaggedAddress() {
        assertEquals(
                "499c95c954cc7f9d6454c34e9d8c1630459df016612822e2a85f4b80520a860b", hexOf("anna.lind+books@gmail.com"));
    }

    @Test
    void hashOfNonAsciiAddressUsesUtf8Bytes() {
        // 'å' is c3 a5 in UTF-8; hashing its ISO-8859-1 byte e5 would give d595ec25...
        assertEquals("d77b88b5e7064955fd70fb8e8042b30c1df2a78f2b3b9cb72cfcc8a026d64fef", hexOf("åsa@exempel.se"));
    }

    @Test
    void hashOfEmptyString() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hexOf(""));
    }

    @Test
    void hashOfGoogleNormalizedRawCell() {
        // The whole identity path: raw cell -> google profile -> SHA-256 of "annalind@gmail.com".
        String normalized = Normalization.GOOGLE.apply("  Anna.Lind+Books@GMAIL.com\u00A0");
        assertEquals("a2317c5e41b8bcda40246bd829968d85b7d1c1fee71f16b697ff562bd93d194f", hexOf(normalized));
    }

    @Test
    void digestHas32Bytes() {
        assertEquals(Sha256.LENGTH, sha.digest("a@b.c").length);
        assertEquals(32, Sha256.LENGTH);
    }

    @Test
    void reusedInstanceCarriesNoStateBetweenDigests() {
        // One MessageDigest is reused; a missing reset would make the second hash of "a@b.c" differ.
        hexOf("anna.lind@gmail.com");
        assertEquals("d648b243a3e817eaa3309e00e183483f2867baadf522099f0c2121770536b25a", hexOf("a@b.c"));
        assertEquals("d648b243a3e817eaa3309e00e183483f2867baadf522099f0c2121770536b25a", hexOf("a@b.c"));
    }

    @Test
    void hexIsLowercaseAndZeroPadded() {
        assertEquals("000f7f80abff", Sha256.hex(new byte[] {0x00, 0x0f, 0x7f, (byte) 0x80, (byte) 0xab, (byte) 0xff}));
    }
}
