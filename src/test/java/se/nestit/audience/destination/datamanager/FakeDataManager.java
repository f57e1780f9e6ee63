package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for Google's Data Manager API v1 and OAuth token endpoint that speaks the
 * REST protocol as Google documents it, checks every request strictly (method, path, bearer token,
 * every field name and enum value, at most 10,000 members, 64 lowercase hex digits per hash),
 * keeps each user list's members with the time they were last added, and injects faults.
 *
 * <p>Its clock is the wall clock, which is what the JDK's server puts in the {@code Date} header.
 * That header counts whole seconds, so before answering {@code userLists.get} (where the client
 * reads Google's time for {@code removeAsOfTime}) it waits for the second of the last change to
 * pass, as it always has at Google between runs hours apart. A request it refuses for its shape is
 * also recorded in {@link #violations()}: tests assert there are none.
 */
final class FakeDataManager implements AutoCloseable {

    static final String FIXED_TOKEN = "test-access-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern USER_LISTS = Pattern.compile("/v1/accountTypes/([A-Z_]+)/accounts/([0-9]+)/userLists(?:/([0-9]+))?");

    /** One request as received. */
    record Received(String method, String path, String query, Map<String, String> headers, JsonNode body) {
        int members() {
            return body == null ? 0 : body.path("audienceMembers").size();
        }
    }

    private record Fault(String pathPart, int status, String errorStatus, String reason, String message, Map<String, String> headers,
            boolean hang) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final String operatingAccount;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, Map<String, Instant>> lists = new TreeMap<>();
    private final Map<String, String> listNames = new HashMap<>();
    /** Per hash ever ingested, its member's own consent as adUserData/adPersonalization ("" when it had none). */
    private final Map<String, String> memberConsent = new TreeMap<>();
    private final Set<String> tokens = new LinkedHashSet<>(Set.of(FIXED_TOKEN));
    private String loginAccount;
    private PublicKey signer;
    private Instant lastChange = Instant.EPOCH;
    private long nextListId = 9_000_001;

    FakeDataManager(String operatingAccount) throws IOException {
        this.operatingAccount = operatingAccount;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Where a service account key points google-auth-library for tokens. */
    URI tokenUri() {
        return endpoint().resolve("/token");
    }

    /** Hands out tokens only for JWTs this key signed (a service account key the test wrote). */
    synchronized void trustServiceAccountKey(PublicKey key) {
        this.signer = key;
    }

    /** Every request must name this manager account as its login account. */
    synchronized void expectLoginAccount(String id) {
        this.loginAccount = id;
    }

    synchronized void addList(String id, String displayName) {
        lists.putIfAbsent(id, new TreeMap<>());
        listNames.put(id, displayName);
    }

    /** Puts members in a list as if someone added them now. */
    synchronized void seed(String listId, Set<String> hex) {
        Instant now = changeTime();
        hex.forEach(h -> lists.get(listId).put(h, now));
    }

    synchronized Set<String> members(String listId) {
        return new TreeSet<>(lists.getOrDefault(listId, Map.of()).keySet());
    }

    synchronized Set<String> listIds() {
        return new TreeSet<>(lists.keySet());
    }

    synchronized String displayName(String listId) {
        return listNames.get(listId);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests whose path ends with {@code suffix} ({@code ":ingest"}, {@code "/token"}). */
    List<Received> received(String suffix) {
        return received.stream().filter(r -> r.path().endsWith(suffix)).toList();
    }

    /** Per hash ever ingested, the last consent its member carried itself, as {@code adUserData/adPersonalization}. */
    synchronized Map<String, String> memberConsent() {
        return new TreeMap<>(memberConsent);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** The next {@code times} requests whose path contains {@code pathPart} get this error. */
    synchronized void fail(String pathPart, int times, int status, String errorStatus, String reason, String message,
            Map<String, String> headers) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(pathPart, status, errorStatus, reason, message, headers, false));
        }
    }

    /** The next {@code times} requests whose path contains {@code pathPart} get no answer until the server closes. */
    synchronized void hang(String pathPart, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(pathPart, 0, "", "", "", Map.of(), true));
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            serve(exchange);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            if (path.equals("/token")) {
                received.add(new Received(exchange.getRequestMethod(), path, query, headers, null));
                token(exchange, new String(raw, StandardCharsets.UTF_8));
                return;
            }
            JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
            received.add(new Received(exchange.getRequestMethod(), path, query, headers, body));
            Fault fault = takeFault(path);
            if (fault != null && fault.hang()) {
                released.await(30, TimeUnit.SECONDS);
                return;
            }
            if (fault != null) {
                error(exchange, fault.status(), fault.errorStatus(), fault.reason(), fault.message(), fault.headers());
                return;
            }
            String auth = headers.getOrDefault("Authorization", "");
            if (!auth.startsWith("Bearer ") || !knownToken(auth.substring(7))) {
                error(exchange, 401, "UNAUTHENTICATED", "", "Request had invalid authentication credentials.", Map.of());
                return;
            }
            route(exchange, exchange.getRequestMethod(), path, query, headers, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ProtocolViolation e) {
            violations.add(e.getMessage());
            error(exchange, 400, "INVALID_ARGUMENT", "", e.getMessage(), Map.of());
        }
    }

    private synchronized Fault takeFault(String path) {
        for (Iterator<Fault> i = faults.iterator(); i.hasNext();) {
            Fault f = i.next();
            if (path.contains(f.pathPart())) {
                i.remove();
                return f;
            }
        }
        return null;
    }

    private synchronized boolean knownToken(String token) {
        return tokens.contains(token);
    }

    private void route(HttpExchange ex, String method, String path, String query, Map<String, String> headers, JsonNode body)
            throws IOException {
        switch (path) {
            case "/v1/audienceMembers:ingest" -> ok(ex, members(method, headers, body, true));
            case "/v1/audienceMembers:remove" -> ok(ex, members(method, headers, body, false));
            case "/v1/audienceMembers:removeAll" -> ok(ex, removeAll(method, headers, body));
            default -> {
                Matcher m = USER_LISTS.matcher(path);
                if (!m.matches()) {
                    throw new ProtocolViolation("no such method: " + method + " " + path);
                }
                check(m.group(1).equals("GOOGLE_ADS") && m.group(2).equals(operatingAccount), "account in " + path);
                checkLoginHeader(headers);
                userLists(ex, method, m.group(3), query, body);
            }
        }
    }

    private synchronized ObjectNode members(String method, Map<String, String> headers, JsonNode body, boolean ingest) {
        check(method.equals("POST"), "method " + method);
        checkJson(headers, body);
        Set<String> keys = ingest ? Set.of("destinations", "audienceMembers", "consent", "encoding", "termsOfService")
                : Set.of("destinations", "audienceMembers", "encoding");
        checkKeys(body, keys, keys, "request");
        String list = destination(body.get("destinations"));
        check(body.get("encoding").asText().equals("HEX"), "encoding");
        if (ingest) {
            JsonNode consent = body.get("consent");
            checkKeys(consent, Set.of("adUserData", "adPersonalization"), Set.of("adUserData", "adPersonalization"), "consent");
            check(consent.get("adUserData").asText().equals("CONSENT_GRANTED"), "consent.adUserData");
            check(consent.get("adPersonalization").asText().equals("CONSENT_GRANTED"), "consent.adPersonalization");
            JsonNode terms = body.get("termsOfService");
            checkKeys(terms, Set.of("customerMatchTermsOfServiceStatus"), Set.of("customerMatchTermsOfServiceStatus"),
                    "termsOfService");
            check(terms.get("customerMatchTermsOfServiceStatus").asText().equals("ACCEPTED"), "terms of service status");
        }
        JsonNode members = body.get("audienceMembers");
        check(members.isArray() && members.size() >= 1, "audienceMembers must not be empty");
        check(members.size() <= 10_000, "TOO_MANY_AUDIENCE_MEMBERS: " + members.size());
        List<String> hex = new ArrayList<>();
        for (JsonNode member : members) {
            checkKeys(member, Set.of("userData"), ingest ? Set.of("userData", "consent") : Set.of("userData"), "audienceMembers[]");
            JsonNode own = member.get("consent");
            if (own != null) {
                // AudienceMember.consent overrides the request's: each Consent field is a ConsentStatus
                checkKeys(own, Set.of(), Set.of("adUserData", "adPersonalization"), "audienceMembers[].consent");
                own.forEach(v -> check(Set.of("CONSENT_GRANTED", "CONSENT_DENIED").contains(v.asText()), "ConsentStatus " + v));
            }
            checkKeys(member.get("userData"), Set.of("userIdentifiers"), Set.of("userIdentifiers"), "userData");
            JsonNode ids = member.get("userData").get("userIdentifiers");
            check(ids.isArray() && ids.size() == 1, "one user identifier per member");
            checkKeys(ids.get(0), Set.of("emailAddress"), Set.of("emailAddress"), "userIdentifiers[]");
            String h = ids.get(0).get("emailAddress").asText();
            check(HEX64.matcher(h).matches(), "INVALID_SHA256_FORMAT: '" + h + "'");
            hex.add(h);
            if (ingest) {
                memberConsent.put(h, own == null ? "" : own.path("adUserData").asText() + "/" + own.path("adPersonalization").asText());
            }
        }
        Instant now = changeTime();
        Map<String, Instant> held = lists.get(list);
        hex.forEach(h -> {
            if (ingest) {
                held.put(h, now);
            } else {
                held.remove(h);
            }
        });
        return requestId();
    }

    private synchronized ObjectNode removeAll(String method, Map<String, String> headers, JsonNode body) {
        check(method.equals("POST"), "method " + method);
        checkJson(headers, body);
        checkKeys(body, Set.of("destinations"), Set.of("destinations", "removeAsOfTime", "validateOnly"), "request");
        String list = destination(body.get("destinations"));
        Instant asOf = body.has("removeAsOfTime") ? Instant.parse(body.get("removeAsOfTime").asText()) : Instant.now();
        changeTime();
        lists.get(list).values().removeIf(addedAt -> addedAt.isBefore(asOf));
        return requestId();
    }

    private synchronized void userLists(HttpExchange ex, String method, String listId, String query, JsonNode body)
            throws IOException {
        if (method.equals("GET") && listId != null) {
            if (!lists.containsKey(listId)) {
                error(ex, 404, "NOT_FOUND", "NOT_FOUND", "User list not found.", Map.of());
                return;
            }
            while (Instant.now().getEpochSecond() <= lastChange.getEpochSecond()) {
                sleep();
            }
            ok(ex, userList(listId));
        } else if (method.equals("GET")) {
            ObjectNode answer = JSON.createObjectNode();
            Matcher m = Pattern.compile("display_name = \"([^\"]*)\"").matcher(decodedFilter(query));
            check(m.matches(), "filter " + query);
            var found = answer.putArray("userLists");
            listNames.forEach((id, name) -> {
                if (name.equals(m.group(1))) {
                    found.add(userList(id));
                }
            });
            ok(ex, answer);
        } else if (method.equals("POST") && listId == null) {
            checkKeys(body, Set.of("displayName", "membershipStatus", "ingestedUserListInfo"),
                    Set.of("displayName", "description", "membershipStatus", "ingestedUserListInfo"), "UserList");
            check(body.get("membershipStatus").asText().equals("OPEN"), "membershipStatus");
            JsonNode info = body.get("ingestedUserListInfo");
            check(info.toString().equals("{\"uploadKeyTypes\":[\"CONTACT_ID\"],\"contactIdInfo\":{\"dataSourceType\":"
                    + "\"DATA_SOURCE_TYPE_FIRST_PARTY\"}}"), "ingestedUserListInfo " + info);
            String name = body.get("displayName").asText();
            if (listNames.containsValue(name)) {
                error(ex, 409, "ALREADY_EXISTS", "", "A user list with this name exists.", Map.of());
                return;
            }
            String id = Long.toString(nextListId++);
            addList(id, name);
            ok(ex, userList(id));
        } else {
            throw new ProtocolViolation("no such method: " + method + " userLists/" + listId);
        }
    }

    private ObjectNode userList(String id) {
        ObjectNode list = JSON.createObjectNode();
        list.put("name", "accountTypes/GOOGLE_ADS/accounts/" + operatingAccount + "/userLists/" + id);
        list.put("id", id);
        list.put("displayName", listNames.get(id));
        list.put("membershipStatus", "OPEN");
        return list;
    }

    private static String decodedFilter(String query) {
        check(query != null && query.startsWith("filter="), "query " + query);
        return URLDecoder.decode(query.substring("filter=".length()), StandardCharsets.UTF_8);
    }

    /** The single destination of a request; returns its user list, which must exist. */
    private String destination(JsonNode destinations) {
        check(destinations.isArray() && destinations.size() == 1, "exactly one destination");
        JsonNode d = destinations.get(0);
        Set<String> required = loginAccount == null ? Set.of("operatingAccount", "productDestinationId")
                : Set.of("operatingAccount", "loginAccount", "productDestinationId");
        checkKeys(d, required, required, "destinations[]");
        checkAccount(d.get("operatingAccount"), operatingAccount, "operatingAccount");
        if (loginAccount != null) {
            checkAccount(d.get("loginAccount"), loginAccount, "loginAccount");
        }
        String list = d.get("productDestinationId").asText();
        check(lists.containsKey(list), "INVALID_USER_LIST_ID: no user list " + list);
        return list;
    }

    private static void checkAccount(JsonNode account, String id, String what) {
        checkKeys(account, Set.of("accountType", "accountId"), Set.of("accountType", "accountId"), what);
        check(account.get("accountType").asText().equals("GOOGLE_ADS"), what + ".accountType");
        check(account.get("accountId").isTextual() && account.get("accountId").asText().equals(id), what + ".accountId");
    }

    private void checkLoginHeader(Map<String, String> headers) {
        String expected = loginAccount == null ? null : "accountTypes/GOOGLE_ADS/accounts/" + loginAccount;
        check(Objects.equals(headers.get("login-account"), expected), "login-account header " + headers.get("login-account"));
    }

    private static void checkJson(Map<String, String> headers, JsonNode body) {
        check(headers.getOrDefault("Content-Type", "").startsWith("application/json"), "Content-Type");
        check(body != null && body.isObject(), "a JSON object body");
    }

    /** Like Google: an unknown field is refused ("Invalid JSON payload received. Unknown name"). */
    private static void checkKeys(JsonNode node, Set<String> required, Set<String> allowed, String what) {
        check(node != null && node.isObject(), what + " must be an object");
        node.fieldNames().forEachRemaining(k -> check(allowed.contains(k), "Invalid JSON payload received. Unknown name \"" + k
                + "\" at '" + what + "'"));
        required.forEach(k -> check(node.has(k), what + "." + k + " is required"));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new ProtocolViolation(what);
        }
    }

    private synchronized void token(HttpExchange ex, String form) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        String[] jwt = fields.getOrDefault("assertion", "").split("\\.");
        boolean ok = "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type")) && jwt.length == 3
                && signer != null;
        if (ok) {
            try {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initVerify(signer);
                rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
                JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
                ok = rsa.verify(Base64.getUrlDecoder().decode(jwt[2])); // an unknown key is the caller's problem, not a violation
                if (ok && !(GoogleAccessTokens.SCOPE.equals(claims.path("scope").asText())
                        && "https://oauth2.googleapis.com/token".equals(claims.path("aud").asText()))) {
                    violations.add("token request: wrong scope or audience: " + claims);
                    ok = false;
                }
            } catch (java.security.GeneralSecurityException e) {
                ok = false;
            }
        }
        if (!ok) {
            send(ex, 400, JSON.createObjectNode().put("error", "invalid_grant"), Map.of());
            return;
        }
        String token = "ya29.fake-" + tokens.size();
        tokens.add(token);
        send(ex, 200, JSON.createObjectNode().put("access_token", token).put("expires_in", 3600).put("token_type", "Bearer"),
                Map.of());
    }

    private synchronized Instant changeTime() {
        lastChange = Instant.now();
        return lastChange;
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode requestId() {
        return JSON.createObjectNode().put("requestId", "req-" + received.size());
    }

    private void ok(HttpExchange ex, ObjectNode body) throws IOException {
        send(ex, 200, body, Map.of());
    }

    private void error(HttpExchange ex, int status, String errorStatus, String reason, String message, Map<String, String> headers)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status).put("message", message).put("status", errorStatus);
        if (!reason.isEmpty()) {
            error.putArray("details").addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", reason)
                    .put("domain", "datamanager.googleapis.com");
        }
        send(ex, status, body, headers);
    }

    private void send(HttpExchange ex, int status, ObjectNode body, Map<String, String> headers) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class ProtocolViolation extends RuntimeException {
        ProtocolViolation(String message) {
            super(message);
        }
    }
}
