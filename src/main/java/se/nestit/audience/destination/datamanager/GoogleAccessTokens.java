package se.nestit.audience.destination.datamanager;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.HttpEndpoints;

/**
 * OAuth 2 access tokens for the Data Manager API from google-auth-library: a service account key
 * file, or application default credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
 * application-default login, the metadata server). The library refreshes a token shortly before it
 * expires. Tokens never appear in messages.
 */
final class GoogleAccessTokens implements Supplier<String> {

    static final String SCOPE = "https://www.googleapis.com/auth/datamanager";

    private final Supplier<GoogleCredentials> load;
    private GoogleCredentials credentials;

    private GoogleAccessTokens(Supplier<GoogleCredentials> load) {
        this.load = load;
    }

    /** Reads the key file now, so that a wrong file stops the run before any data is read. */
    static GoogleAccessTokens fromKeyFile(String destination, Path file) {
        GoogleCredentials credentials;
        try (InputStream in = Files.newInputStream(file)) {
            credentials = GoogleCredentials.fromStream(in).createScoped(List.of(SCOPE));
        } catch (IOException | RuntimeException e) {
            // The library's message may quote the file, which holds a private key: name the file only.
            throw new DefinitionException("destination '" + destination + "': credentials " + file
                    + ": not a Google service account key (or authorized user file) in JSON");
        }
        URI tokenUri = credentials instanceof ServiceAccountCredentials sa ? sa.getTokenServerUri() : null;
        if (tokenUri != null && HttpEndpoints.inClear(tokenUri)) {
            throw new DefinitionException(
                    "destination '" + destination + "': credentials " + file + ": its token_uri is plain "
                            + "http:// to " + tokenUri.getHost()
                            + ", which would send the signed token request and the access token "
                            + "in clear; use https://");
        }
        return new GoogleAccessTokens(() -> credentials);
    }

    /** Looks the credentials up on first use, so that {@code plan} runs without them. */
    static GoogleAccessTokens applicationDefault() {
        return new GoogleAccessTokens(() -> {
            try {
                return GoogleCredentials.getApplicationDefault().createScoped(List.of(SCOPE));
            } catch (IOException e) {
                throw new DestinationException(
                        "no Google credentials: set 'credentials' to a service account "
                                + "key file, or provide application default credentials (GOOGLE_APPLICATION_CREDENTIALS, or "
                                + "gcloud auth application-default login --scopes=" + SCOPE + ")",
                        e,
                        true);
            }
        });
    }

    @Override
    public synchronized String get() {
        if (credentials == null) {
            credentials = load.get();
        }
        try {
            credentials.refreshIfExpired();
            AccessToken token = credentials.getAccessToken();
            if (token == null) {
                throw new IOException("no access token");
            }
            return token.getTokenValue();
        } catch (IOException e) {
            if (noAnswer(e).isPresent()) {
                // Like any call that got no answer: retried, and when the attempts run out a network
                // failure, not a verdict on the key.
                throw new DataManagerApiException(
                        0,
                        "UNAVAILABLE",
                        "",
                        "cannot reach Google's token endpoint ("
                                + rootCause(e).getClass().getSimpleName() + ")",
                        Optional.empty(),
                        e);
            }
            throw new DestinationException(
                    "Google gave no access token (" + oneLine(e.getMessage())
                            + "): check the service account key or application default credentials, and that they may use the scope "
                            + SCOPE,
                    e,
                    true);
        }
    }

    /** Why the token endpoint gave no answer (refused, unknown host, reset or timed out), if that is what happened. */
    static Optional<Throwable> noAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException
                    || t instanceof UnknownHostException
                    || t instanceof InterruptedIOException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String oneLine(String message) {
        return message == null ? "no reason given" : message.replaceAll("\\s+", " ");
    }
}
