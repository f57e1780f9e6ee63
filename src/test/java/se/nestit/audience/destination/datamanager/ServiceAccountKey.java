package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;

/**
 * A made-up Google service account key: the file a user downloads from the Cloud console, with a
 * {@code token_uri} the test chooses, so that google-auth-library signs its JWT with the private
 * key and the loopback server checks it with {@link #publicKey()}.
 */
final class ServiceAccountKey {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair key;

    ServiceAccountKey() throws NoSuchAlgorithmException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        key = rsa.generateKeyPair();
    }

    PublicKey publicKey() {
        return key.getPublic();
    }

    /** Writes the key file and returns it. */
    Path write(Path file, URI tokenUri) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(
                file,
                JSON.writeValueAsString(Map.of(
                        "type",
                        "service_account",
                        "project_id",
                        "test",
                        "private_key_id",
                        "key-1",
                        "private_key",
                        pem,
                        "client_email",
                        "exporter@test.iam.gserviceaccount.com",
                        "client_id",
                        "1",
                        "token_uri",
                        tokenUri.toString())));
        return file;
    }
}
