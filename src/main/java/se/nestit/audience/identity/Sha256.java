package se.nestit.audience.identity;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.MessageDigestAlgorithms;

/**
 * SHA-256 of a normalized email's UTF-8 bytes. One instance reuses one {@code MessageDigest},
 * so it is not thread-safe: give each thread its own.
 */
public final class Sha256 {

    public static final int LENGTH = 32;

    private final DigestUtils digest = new DigestUtils(MessageDigestAlgorithms.SHA_256);

    public byte[] digest(String normalized) {
        return digest.digest(normalized.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the digest into {@code into[0..32)}: no array per digest for whoever copies it on. */
    public void digest(String normalized, byte[] into) {
        byte[] utf8 = normalized.getBytes(StandardCharsets.UTF_8);
        digest(utf8, 0, utf8.length, into);
    }

    /** The digest of {@code utf8[from..to)} into {@code into[0..32)}: for a normalized email already in bytes. */
    public void digest(byte[] utf8, int from, int to, byte[] into) {
        MessageDigest md = digest.getMessageDigest();
        md.update(utf8, from, to - from);
        try {
            md.digest(into, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalArgumentException("no room for a digest in " + into.length + " bytes", e);
        }
    }

    /** Lowercase hex, the form every destination takes. */
    public static String hex(byte[] digest) {
        return Hex.encodeHexString(digest);
    }
}
