package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTPS to the Data Manager API with the JDK's client: an OAuth access token on every
 * call, a timeout on connecting and on every request, and Google's errors turned into
 * {@link DataManagerApiException}. Retrying is the caller's business (through Resilience).
 */
final class DataManagerHttp {

    /** A successful answer and Google's clock when it gave it (the {@code Date} header). */
    record Answer(JsonNode body, Optional<Instant> date) {}

    private static final Logger log = LoggerFactory.getLogger(DataManagerHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECONDS = Pattern.compile("([0-9]+)(?:\\.([0-9]{1,9}))?s");
    private static final Pattern MEMBER_FIELD =
            Pattern.compile("(?:audience_members|audienceMembers)\\[([0-9]{1,6})\\]");
    private static final int MAX_MESSAGE = 500;

    private final URI endpoint;
    private final Duration timeout;
    private final Supplier<String> accessToken;
    private final HttpClient client;

    /**
     * @param endpoint {@code https://datamanager.googleapis.com}, or a test server
     * @param accessToken a current OAuth 2 access token for the datamanager scope
     */
    DataManagerHttp(URI endpoint, Duration timeout, Supplier<String> accessToken) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.accessToken = accessToken;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Answer post(String path, JsonNode body, Map<String, String> headers) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
        return send(
                "POST",
                path,
                bytes.length,
                request(path, headers)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    Answer get(String pathAndQuery, Map<String, String> headers) {
        return send("GET", pathAndQuery, 0, request(pathAndQuery, headers).GET());
    }

    /** Obtains an access token now, so that trouble getting one can be told apart from Google's answers. */
    @SuppressWarnings("ReturnValueIgnored") // fetched for the side effect: failing here, not on the first call
    void obtainToken() {
        accessToken.get();
    }

    private HttpRequest.Builder request(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", "Bearer " + accessToken.get())
                .header("Accept", "application/json");
        headers.forEach(b::header);
        return b;
    }

    /** @param path for the debug log: ids and request ids only, the token travels in a header */
    private Answer send(String method, String path, int bytes, HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            long started = System.nanoTime();
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (log.isDebugEnabled()) {
                log.debug(
                        "google data manager: {} {}: HTTP {}, {} bytes sent, {} bytes received, {} ms, request id {}",
                        method,
                        path,
                        response.statusCode(),
                        bytes,
                        response.body() == null ? 0 : response.body().getBytes(StandardCharsets.UTF_8).length,
                        (System.nanoTime() - started) / 1_000_000,
                        requestId(response.body()));
            }
        } catch (HttpTimeoutException e) {
            throw new DataManagerApiException(
                    0, "DEADLINE_EXCEEDED", "", "no answer within " + timeout.toMillis() + " ms", Optional.empty(), e);
        } catch (IOException e) {
            throw new DataManagerApiException(
                    0, "UNAVAILABLE", "", "cannot reach " + endpoint + " (" + e + ")", Optional.empty(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Google", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body(), response.headers());
        }
        try {
            String text = response.body();
            JsonNode body = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            return new Answer(body, date(response.headers()));
        } catch (JsonProcessingException e) {
            throw new DataManagerApiException(
                    response.statusCode(), "UNKNOWN", "", "the answer is not JSON", Optional.empty(), e);
        }
    }

    /** The {@code requestId} Google answers an ingest or remove with, or {@code -}. */
    private static String requestId(String body) {
        try {
            JsonNode id =
                    body == null || body.isBlank() ? null : JSON.readTree(body).get("requestId");
            return id == null || !id.isTextual() ? "-" : id.asText();
        } catch (JsonProcessingException e) {
            return "-";
        }
    }

    /** Reads a google.rpc.Status error body; anything else (a proxy's HTML page) is named by its HTTP status. */
    static DataManagerApiException error(int httpStatus, String body, HttpHeaders headers) {
        JsonNode error = null;
        try {
            error = body == null || body.isBlank() ? null : JSON.readTree(body).get("error");
        } catch (JsonProcessingException e) {
            // not a Google error body; described by the HTTP status below
        }
        String status = httpStatusName(httpStatus);
        String message = "";
        String reason = "";
        Optional<Duration> retryAfter = retryAfter(headers);
        List<DataManagerApiException.MemberViolation> violations = new ArrayList<>();
        if (error != null && error.isObject()) {
            status = error.path("status").asText(status);
            message = error.path("message").asText("");
            for (JsonNode detail : error.path("details")) {
                String type = detail.path("@type").asText("");
                if (type.endsWith("google.rpc.ErrorInfo") && reason.isEmpty()) {
                    reason = detail.path("reason").asText("");
                } else if (type.endsWith("google.rpc.RetryInfo") && retryAfter.isEmpty()) {
                    retryAfter = protobufDuration(detail.path("retryDelay").asText(""));
                } else if (type.endsWith("google.rpc.BadRequest")) {
                    for (JsonNode v : detail.path("fieldViolations")) {
                        violations.add(new DataManagerApiException.MemberViolation(
                                memberIndex(v.path("field").asText("")),
                                v.path("reason").asText("")));
                    }
                }
            }
        } else if (body != null) {
            message = body.strip();
        }
        message = message.replaceAll("\\s+", " ");
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        return new DataManagerApiException(httpStatus, status, reason, violations, message, retryAfter, null);
    }

    /** The member a field path is about: {@code audience_members[12].user_data...} (or camelCase), else -1. */
    static int memberIndex(String field) {
        Matcher m = MEMBER_FIELD.matcher(field);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** {@code Retry-After} as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").map(String::strip).flatMap(v -> {
            if (v.matches("[0-9]{1,9}")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            }
            return httpDate(v).map(at -> Duration.between(Instant.now(), at)).filter(d -> !d.isNegative());
        });
    }

    /** A protobuf Duration in its JSON form, {@code "30s"} or {@code "1.5s"}. */
    static Optional<Duration> protobufDuration(String text) {
        Matcher m = SECONDS.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long nanos = m.group(2) == null ? 0 : Long.parseLong((m.group(2) + "00000000").substring(0, 9));
        return Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1)), nanos));
    }

    private static Optional<Instant> date(HttpHeaders headers) {
        return headers.firstValue("Date").flatMap(DataManagerHttp::httpDate);
    }

    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String httpStatusName(int code) {
        return switch (code) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> code >= 500 ? "INTERNAL" : "UNKNOWN";
        };
    }
}
