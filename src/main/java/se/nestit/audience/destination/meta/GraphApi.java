package se.nestit.audience.destination.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.DestinationException;

/**
 * The Graph API over the JDK's HTTP client: JSON in, JSON out, errors as {@link GraphException}.
 *
 * <p>The token travels in the {@code Authorization: Bearer} header, never in the address: proxies
 * and load balancers log addresses, and a token there is a token leaked. Open-source syncs in
 * production use (Segment's Facebook Custom Audiences destination) authenticate the same way.
 * {@code appsecret_proof} goes in the query string of every call, where Meta's SDKs put it: it is
 * an HMAC of the token, so it reveals neither the token nor the secret and is useless without the
 * token. Request parameters go in a JSON body (RudderStack found that a payload in the query
 * string fails above about 64 KB; a body holds 10,000 hashes).
 */
final class GraphApi {

    private static final Logger log = LoggerFactory.getLogger(GraphApi.class);
    /** Meta's id of a request, which its support asks for. */
    static final String TRACE_HEADER = "x-fb-trace-id";

    static final String USAGE_HEADER = "X-Business-Use-Case-Usage";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDACTED = "[redacted]";

    private final HttpClient http;
    private final String base;
    private final String token;
    private final String appSecret;
    private final String proof;
    private final Duration timeout;

    GraphApi(MetaSettings settings) {
        this.timeout = settings.resilience().timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.base = settings.endpoint() + "/" + settings.apiVersion() + "/";
        this.token = settings.accessToken();
        this.appSecret = settings.appSecret();
        this.proof = appSecretProof(token, appSecret);
    }

    /** Lowercase hex HMAC-SHA256 of the access token, keyed with the app secret. */
    static String appSecretProof(String accessToken, String appSecret) {
        return new HmacUtils(HmacAlgorithms.HMAC_SHA_256, appSecret).hmacHex(accessToken);
    }

    JsonNode get(String path, Map<String, String> query) {
        return exchange("GET", path, query, null);
    }

    JsonNode post(String path, ObjectNode body) {
        return exchange("POST", path, Map.of(), body);
    }

    JsonNode delete(String path, ObjectNode body) {
        return exchange("DELETE", path, Map.of(), body);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private JsonNode exchange(String method, String path, Map<String, String> query, ObjectNode body) {
        Map<String, String> parameters = new LinkedHashMap<>(query);
        parameters.put("appsecret_proof", proof);
        String queryString = parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path + "?" + queryString))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        try {
            byte[] sent = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(sent));
            }
            long started = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            // the path names ids only, and the query (with the appsecret_proof) is left out
            log.debug(
                    "meta: {} {}: HTTP {}, {} bytes sent, {} bytes received, {} ms, x-fb-trace-id {}",
                    method,
                    path,
                    response.statusCode(),
                    sent.length,
                    response.body().length,
                    (System.nanoTime() - started) / 1_000_000,
                    response.headers().firstValue(TRACE_HEADER).orElse("-"));
            if (response.statusCode() / 100 != 2) {
                throw new GraphException(error(response));
            }
            return response.body().length == 0 ? object() : JSON.readTree(response.body());
        } catch (IOException e) {
            // the JDK's messages name no credentials, but a garbled answer could echo one
            String what = redact(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            throw new UncheckedIOException(what, new IOException(what));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DestinationException("interrupted while waiting for Meta", e);
        }
    }

    private GraphError error(HttpResponse<byte[]> response) {
        JsonNode e = object();
        try {
            JsonNode root = JSON.readTree(response.body());
            if (root != null && root.path("error").isObject()) {
                e = root.get("error");
            }
        } catch (IOException notJson) {
            // a proxy's HTML page, say: the HTTP status is all there is to go on
        }
        return new GraphError(
                response.statusCode(),
                e.path("code").asInt(0),
                e.path("error_subcode").asInt(0),
                e.path("type").asText(""),
                redact(e.path("message").asText("")),
                redact(e.path("error_user_title").asText("")),
                redact(e.path("error_user_msg").asText("")),
                e.path("fbtrace_id").asText(""),
                retryAfter(response.headers()));
    }

    /**
     * How long Meta asked to wait: the largest {@code estimated_time_to_regain_access} (minutes)
     * in {@code X-Business-Use-Case-Usage}, else {@code Retry-After} (seconds).
     */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> usage = headers.firstValue(USAGE_HEADER);
        if (usage.isPresent()) {
            try {
                long minutes = 0;
                for (JsonNode useCases : JSON.readTree(usage.get())) {
                    for (JsonNode useCase : useCases) {
                        minutes = Math.max(
                                minutes,
                                useCase.path("estimated_time_to_regain_access").asLong(0));
                    }
                }
                if (minutes > 0) {
                    return Optional.of(Duration.ofMinutes(minutes));
                }
            } catch (IOException unreadable) {
                // fall back to Retry-After or the exponential backoff
            }
        }
        return headers.firstValue("Retry-After")
                .filter(s -> s.strip().matches("[0-9]{1,9}"))
                .map(s -> Duration.ofSeconds(Long.parseLong(s.strip())));
    }

    private String redact(String text) {
        String s = text;
        for (String secret : new String[] {token, appSecret, proof}) {
            if (!secret.isEmpty()) {
                s = s.replace(secret, REDACTED);
            }
        }
        return s;
    }
}
