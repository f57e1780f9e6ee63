package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayDeque;
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
 * <p>Like Google, it only accepts a request at first: {@code requestStatus:retrieve} says how it
 * ended, and the members change when it ends in SUCCESS (or PARTIAL_SUCCESS, less the members it
 * failed). By default a request ends in SUCCESS at once; {@link #nextRequestEnds} scripts the
 * statuses the next accepted request goes through.
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
    private static final Pattern USER_LISTS =
            Pattern.compile("/v1/accountTypes/([A-Z_]+)/accounts/([0-9]+)/userLists(?:/([0-9]+))?");

    /** One request as received. */
    record Received(String method, String path, String query, Map<String, String> headers, JsonNode body) {
        int members() {
            return body == null ? 0 : body.path("audienceMembers").size();
        }
    }

    private record Fault(
            String pathPart,
            int status,
            String errorStatus,
            String reason,
            String message,
            Map<String, String> headers,
            boolean hang,
            ArrayNode violations) {}

    /** An accepted request: the statuses retrieve answers in turn (the last one stays), and what it does when it ends. */
    private static final class Accepted {
        final String kind;
        final ArrayDeque<String> script;
        final Runnable onSuccess;
        final Runnable onPartialSuccess;
        final int members;
        boolean applied;

        Accepted(String kind, List<String> script, int members, Runnable onSuccess, Runnable onPartialSuccess) {
            this.kind = kind;
            this.script = new ArrayDeque<>(script);
            this.members = members;
            this.onSuccess = onSuccess;
            this.onPartialSuccess = onPartialSuccess;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final String operatingAccount;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, Map<String, Instant>> lists = new TreeMap<>();
    private final Map<String, String> listNames = new HashMap<>();
    private final Map<String, Accepted> requests = new HashMap<>();
    private final Map<String, ArrayDeque<List<String>>> scripts = new HashMap<>();
    private final Map<String, String> refusedMembers = new HashMap<>();
    private final Map<String, String> consents = new HashMap<>();
    /** Per hash ever ingested, its member's own consent as adUserData/adPersonalization ("" when it had none). */
    private final Map<String, String> ownConsent = new TreeMap<>();

    private String matchRate = "";
    private String failureReason = "INTERNAL_ERROR";
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
        return new TreeMap<>(ownConsent);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** The violations so far, forgotten: for a test that breaks the protocol on purpose. */
    List<String> takeViolations() {
        List<String> taken = List.copyOf(violations);
        violations.removeAll(taken);
        return taken;
    }

    /**
     * The next accepted request of a kind ({@code ingest}, {@code remove}, {@code removeAll})
     * answers these statuses ({@code PROCESSING}, {@code SUCCESS}, {@code FAILED},
     * {@code PARTIAL_SUCCESS}) to successive {@code requestStatus:retrieve} calls, the last one
     * from then on.
     */
    synchronized void nextRequestEnds(String kind, String... statuses) {
        scripts.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(List.of(statuses));
    }

    /** Requests that end in FAILED or PARTIAL_SUCCESS count their failed records under this reason. */
    synchronized void failureReason(String reason) {
        this.failureReason = reason;
    }

    /** Ingests that reach SUCCESS answer this {@code uploadMatchRateRange}. */
    synchronized void matchRate(String range) {
        this.matchRate = range;
    }

    /** An ingest or remove carrying this member is refused with a BadRequest field violation naming it. */
    synchronized void refuseMember(String hex, String reason) {
        refusedMembers.put(hex, reason);
    }

    /** The consent a member's last ingest carried for it ({@code adUserData/adPersonalization}), its own or the request's. */
    synchronized String consentOf(String hex) {
        return consents.get(hex);
    }

    /** The next {@code times} requests whose path contains {@code pathPart} get this error. */
    synchronized void fail(
            String pathPart,
            int times,
            int status,
            String errorStatus,
            String reason,
            String message,
            Map<String, String> headers) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(pathPart, status, errorStatus, reason, message, headers, false, null));
        }
    }

    /** The next request whose path contains {@code pathPart} is refused with one BadRequest field violation. */
    synchronized void failWithViolation(String pathPart, String field, String reason) {
        ArrayNode violations = JSON.createArrayNode();
        violations.addObject().put("field", field).put("reason", reason).put("description", "Refused.");
        faults.add(new Fault(pathPart, 400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "", Map.of(), false, violations));
    }

    /** The next {@code times} requests whose path contains {@code pathPart} get no answer until the server closes. */
    synchronized void hang(String pathPart, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(pathPart, 0, "", "", "", Map.of(), true, null));
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
            if (fault != null && fault.violations() != null) {
                badRequest(exchange, fault.violations());
                return;
            }
            if (fault != null) {
                error(exchange, fault.status(), fault.errorStatus(), fault.reason(), fault.message(), fault.headers());
                return;
            }
            String auth = headers.getOrDefault("Authorization", "");
            if (!auth.startsWith("Bearer ") || !knownToken(auth.substring(7))) {
                error(
                        exchange,
                        401,
                        "UNAUTHENTICATED",
                        "",
                        "Request had invalid authentication credentials.",
                        Map.of());
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
        for (Iterator<Fault> i = faults.iterator(); i.hasNext(); ) {
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

    private void route(
            HttpExchange ex, String method, String path, String query, Map<String, String> headers, JsonNode body)
            throws IOException {
        switch (path) {
            case "/v1/audienceMembers:ingest" -> members(ex, method, headers, body, true);
            case "/v1/audienceMembers:remove" -> members(ex, method, headers, body, false);
            case "/v1/audienceMembers:removeAll" -> ok(ex, removeAll(method, headers, body));
            case "/v1/requestStatus:retrieve" -> retrieve(ex, method, query);
            default -> {
                Matcher m = USER_LISTS.matcher(path);
                if (!m.matches()) {
                    throw new ProtocolViolation("no such method: " + method + " " + path);
                }
                if (m.group(1).equals("GOOGLE_ADS") && !m.group(2).equals(operatingAccount)) {
                    // An account the credentials may not use: PERMISSION_DENIED, the google.rpc.Code the
                    // Data Manager API's error reference
                    // (developers.google.com/data-manager/api/reference/rest/v1/Code)
                    // gives for a caller without permission to act on the resource.
                    error(ex, 403, "PERMISSION_DENIED", "", "The caller does not have permission", Map.of());
                    return;
                }
                check(m.group(1).equals("GOOGLE_ADS") && m.group(2).equals(operatingAccount), "account in " + path);
                checkLoginHeader(headers);
                userLists(ex, method, m.group(3), query, body);
            }
        }
    }

    // developers.google.com/data-manager/api/reference/rest/v1/audienceMembers/ingest and .../remove
    private synchronized void members(
            HttpExchange ex, String method, Map<String, String> headers, JsonNode body, boolean ingest)
            throws IOException {
        check(method.equals("POST"), "method " + method);
        checkJson(headers, body);
        Set<String> keys = ingest
                ? Set.of("destinations", "audienceMembers", "consent", "encoding", "termsOfService")
                : Set.of("destinations", "audienceMembers", "encoding");
        checkKeys(body, Set.of("destinations", "audienceMembers", "encoding"), keys, "request");
        String list = destination(body.get("destinations"));
        // reference: Encoding, HEX or BASE64; this client sends HEX
        check(body.get("encoding").asText().equals("HEX"), "encoding");
        String requestConsent = "";
        if (ingest) {
            // reference: Consent, request level; an AudienceMember's own consent overrides it
            requestConsent = consent(body.get("consent"), "consent");
            JsonNode terms = body.get("termsOfService");
            // reference: TermsOfService, customerMatchTermsOfServiceStatus ACCEPTED or REJECTED
            checkKeys(
                    terms,
                    Set.of("customerMatchTermsOfServiceStatus"),
                    Set.of("customerMatchTermsOfServiceStatus"),
                    "termsOfService");
            check(
                    terms.get("customerMatchTermsOfServiceStatus").asText().equals("ACCEPTED"),
                    "terms of service status");
        }
        JsonNode members = body.get("audienceMembers");
        // reference: audienceMembers, required, at most 10000 a request
        check(members.isArray() && members.size() >= 1, "audienceMembers must not be empty");
        check(members.size() <= 10_000, "TOO_MANY_AUDIENCE_MEMBERS: " + members.size());
        List<String> hex = new ArrayList<>();
        Map<String, String> memberConsent = new HashMap<>();
        ArrayNode violations = JSON.createArrayNode();
        for (JsonNode member : members) {
            // reference: AudienceMember, userData plus an optional consent of its own (ingest only)
            checkKeys(
                    member,
                    Set.of("userData"),
                    ingest ? Set.of("userData", "consent") : Set.of("userData"),
                    "audienceMembers[]");
            checkKeys(member.get("userData"), Set.of("userIdentifiers"), Set.of("userIdentifiers"), "userData");
            JsonNode ids = member.get("userData").get("userIdentifiers");
            check(ids.isArray() && ids.size() == 1, "one user identifier per member");
            checkKeys(ids.get(0), Set.of("emailAddress"), Set.of("emailAddress"), "userIdentifiers[]");
            String h = ids.get(0).get("emailAddress").asText();
            // formatting guide: SHA-256, hex encoded in lowercase
            check(HEX64.matcher(h).matches(), "INVALID_SHA256_FORMAT: '" + h + "'");
            if (refusedMembers.containsKey(h)) {
                // understand-errors guide: fast fail, INVALID_ARGUMENT with a BadRequest field violation per member
                violations
                        .addObject()
                        .put("field", "audience_members[" + hex.size() + "].user_data.user_identifiers[0]")
                        .put("reason", refusedMembers.get(h))
                        .put("description", "The value is not valid.");
            }
            memberConsent.put(
                    h,
                    member.has("consent")
                            ? consent(member.get("consent"), "audienceMembers[].consent")
                            : requestConsent);
            hex.add(h);
            if (ingest) {
                JsonNode own = member.get("consent");
                ownConsent.put(
                        h,
                        own == null
                                ? ""
                                : own.path("adUserData").asText() + "/"
                                        + own.path("adPersonalization").asText());
            }
        }
        if (!violations.isEmpty()) {
            badRequest(ex, violations);
            return;
        }
        Map<String, Instant> held = lists.get(list);
        Runnable apply = () -> {
            Instant now = changeTime();
            hex.forEach(h -> {
                if (ingest) {
                    held.put(h, now);
                    consents.put(h, memberConsent.get(h));
                } else {
                    held.remove(h);
                }
            });
        };
        // PARTIAL_SUCCESS: the first member fails, the others are done
        Runnable partly = () -> {
            Instant now = changeTime();
            hex.subList(1, hex.size()).forEach(h -> {
                if (ingest) {
                    held.put(h, now);
                } else {
                    held.remove(h);
                }
            });
        };
        ok(ex, accept(ingest ? "ingest" : "remove", hex.size(), apply, partly));
    }

    /** A Consent object's value as {@code adUserData/adPersonalization}, each as sent or {@code -} when left out. */
    private static String consent(JsonNode consent, String what) {
        if (consent == null) {
            return "-/-";
        }
        // reference: Consent {adUserData, adPersonalization}, ConsentStatus CONSENT_GRANTED, CONSENT_DENIED or
        // unspecified
        checkKeys(consent, Set.of(), Set.of("adUserData", "adPersonalization"), what);
        List<String> values = new ArrayList<>();
        for (String field : List.of("adUserData", "adPersonalization")) {
            String v = consent.path(field).asText("-");
            check(
                    Set.of("-", "CONSENT_GRANTED", "CONSENT_DENIED", "CONSENT_STATUS_UNSPECIFIED")
                            .contains(v),
                    "Invalid value at '" + what + "." + field + "': \"" + v + "\"");
            values.add(v);
        }
        return String.join("/", values);
    }

    /** Accepts a request: its id, and a script of how it ends (SUCCESS at once unless the test said otherwise). */
    private ObjectNode accept(String kind, int members, Runnable onSuccess, Runnable onPartialSuccess) {
        ObjectNode answer = requestId();
        ArrayDeque<List<String>> queued = scripts.getOrDefault(kind, new ArrayDeque<>());
        List<String> script = queued.isEmpty() ? List.of("SUCCESS") : queued.poll();
        Accepted a = new Accepted(kind, script, members, onSuccess, onPartialSuccess);
        requests.put(answer.get("requestId").asText(), a);
        if (script.equals(List.of("SUCCESS"))) {
            end(a, "SUCCESS");
        }
        return answer;
    }

    private static void end(Accepted a, String status) {
        if (a.applied) {
            return;
        }
        a.applied = true;
        if (status.equals("SUCCESS")) {
            a.onSuccess.run();
        } else if (status.equals("PARTIAL_SUCCESS")) {
            a.onPartialSuccess.run();
        }
    }

    // developers.google.com/data-manager/api/reference/rest/v1/requestStatus/retrieve
    private synchronized void retrieve(HttpExchange ex, String method, String query) throws IOException {
        check(method.equals("GET"), "method " + method);
        check(query != null && query.startsWith("requestId="), "query " + query);
        Accepted a = requests.get(URLDecoder.decode(query.substring("requestId=".length()), StandardCharsets.UTF_8));
        if (a == null) {
            error(ex, 404, "NOT_FOUND", "", "Request not found.", Map.of());
            return;
        }
        String status = a.script.size() > 1 ? a.script.poll() : a.script.peek();
        if (!status.equals("PROCESSING")) {
            end(a, status);
        }
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode d = answer.putArray("requestStatusPerDestination").addObject();
        d.put("requestStatus", status);
        if (status.equals("FAILED") || status.equals("PARTIAL_SUCCESS")) {
            // RequestStatusPerDestination.errorInfo: only on FAILED or PARTIAL_SUCCESS, reasons with record counts
            d.putObject("errorInfo")
                    .putArray("errorCounts")
                    .addObject()
                    .put("reason", failureReason)
                    .put("recordCount", Long.toString(status.equals("FAILED") ? a.members : 1));
        }
        if (a.kind.equals("ingest")) {
            ObjectNode userData = d.putObject("audienceMembersIngestionStatus").putObject("userDataIngestionStatus");
            // int64 counts are strings in JSON
            userData.put("recordCount", Long.toString(a.members)).put("userIdentifierCount", Long.toString(a.members));
            if (status.equals("SUCCESS") && !matchRate.isEmpty()) {
                userData.put("uploadMatchRateRange", matchRate);
            }
        } else if (a.kind.equals("remove")) {
            d.putObject("audienceMembersRemovalStatus")
                    .putObject("userDataRemovalStatus")
                    .put("recordCount", Long.toString(a.members))
                    .put("userIdentifierCount", Long.toString(a.members));
        }
        ok(ex, answer);
    }

    // developers.google.com/data-manager/api/reference/rest/v1/audienceMembers/removeAll: removeAsOfTime, RFC 3339
    private synchronized ObjectNode removeAll(String method, Map<String, String> headers, JsonNode body) {
        check(method.equals("POST"), "method " + method);
        checkJson(headers, body);
        checkKeys(body, Set.of("destinations"), Set.of("destinations", "removeAsOfTime", "validateOnly"), "request");
        String list = destination(body.get("destinations"));
        Instant asOf = body.has("removeAsOfTime")
                ? Instant.parse(body.get("removeAsOfTime").asText())
                : Instant.now();
        Runnable apply = () -> {
            changeTime();
            lists.get(list).values().removeIf(addedAt -> addedAt.isBefore(asOf));
        };
        return accept("removeAll", 0, apply, apply);
    }

    // developers.google.com/data-manager/api/reference/rest/v1/accountTypes.accounts.userLists (get, list, create)
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
        } else if (method.equals("GET") && (query == null || !query.contains("filter="))) {
            ok(ex, listPage(query));
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
            checkKeys(
                    body,
                    Set.of("displayName", "membershipStatus", "ingestedUserListInfo"),
                    Set.of("displayName", "description", "membershipStatus", "ingestedUserListInfo"),
                    "UserList");
            check(body.get("membershipStatus").asText().equals("OPEN"), "membershipStatus");
            JsonNode info = body.get("ingestedUserListInfo");
            check(
                    info.toString()
                            .equals("{\"uploadKeyTypes\":[\"CONTACT_ID\"],\"contactIdInfo\":{\"dataSourceType\":"
                                    + "\"DATA_SOURCE_TYPE_FIRST_PARTY\"}}"),
                    "ingestedUserListInfo " + info);
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

    /**
     * userLists.list without a filter, as the REST reference gives it
     * (developers.google.com/data-manager/api/reference/rest/v1/accountTypes.accounts.userLists/list):
     * query parameters {@code pageSize} (default 50, at most 1000) and {@code pageToken}; the answer
     * is {@code {"userLists": [...], "nextPageToken": "..."}}, the token absent on the last page.
     */
    private ObjectNode listPage(String query) {
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                check(eq > 0, "query " + query);
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        check(Set.of("pageSize", "pageToken").containsAll(params.keySet()), "query parameters " + params.keySet());
        int size = Math.min(1000, Integer.parseInt(params.getOrDefault("pageSize", "50")));
        check(size > 0, "pageSize " + size);
        int from = Integer.parseInt(params.getOrDefault("pageToken", "0"));
        List<String> ids = new ArrayList<>(lists.keySet());
        ObjectNode answer = JSON.createObjectNode();
        var page = answer.putArray("userLists");
        ids.subList(Math.min(from, ids.size()), Math.min(from + size, ids.size()))
                .forEach(id -> page.add(userList(id)));
        if (from + size < ids.size()) {
            answer.put("nextPageToken", Integer.toString(from + size));
        }
        return answer;
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
    // reference: Destination {operatingAccount, loginAccount, productDestinationId}, ProductAccount {accountType,
    // accountId}
    private String destination(JsonNode destinations) {
        check(destinations.isArray() && destinations.size() == 1, "exactly one destination");
        JsonNode d = destinations.get(0);
        Set<String> required = loginAccount == null
                ? Set.of("operatingAccount", "productDestinationId")
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
        check(
                account.get("accountId").isTextual()
                        && account.get("accountId").asText().equals(id),
                what + ".accountId");
    }

    private void checkLoginHeader(Map<String, String> headers) {
        String expected = loginAccount == null ? null : "accountTypes/GOOGLE_ADS/accounts/" + loginAccount;
        check(
                Objects.equals(headers.get("login-account"), expected),
                "login-account header " + headers.get("login-account"));
    }

    private static void checkJson(Map<String, String> headers, JsonNode body) {
        check(headers.getOrDefault("Content-Type", "").startsWith("application/json"), "Content-Type");
        check(body != null && body.isObject(), "a JSON object body");
    }

    /** Like Google: an unknown field is refused ("Invalid JSON payload received. Unknown name"). */
    private static void checkKeys(JsonNode node, Set<String> required, Set<String> allowed, String what) {
        check(node != null && node.isObject(), what + " must be an object");
        node.fieldNames()
                .forEachRemaining(k -> check(
                        allowed.contains(k),
                        "Invalid JSON payload received. Unknown name \"" + k + "\" at '" + what + "'"));
        required.forEach(k -> check(node.has(k), what + "." + k + " is required"));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new ProtocolViolation(what);
        }
    }

    // developers.google.com/identity/protocols/oauth2/service-account: a JWT bearer grant signed with the key
    private synchronized void token(HttpExchange ex, String form) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        String[] jwt = fields.getOrDefault("assertion", "").split("\\.");
        boolean ok = "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))
                && jwt.length == 3
                && signer != null;
        if (ok) {
            try {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initVerify(signer);
                rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
                JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
                ok = rsa.verify(Base64.getUrlDecoder()
                        .decode(jwt[2])); // an unknown key is the caller's problem, not a violation
                if (ok
                        && !(GoogleAccessTokens.SCOPE.equals(
                                        claims.path("scope").asText())
                                && "https://oauth2.googleapis.com/token"
                                        .equals(claims.path("aud").asText()))) {
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
        send(
                ex,
                200,
                JSON.createObjectNode()
                        .put("access_token", token)
                        .put("expires_in", 3600)
                        .put("token_type", "Bearer"),
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

    private void error(
            HttpExchange ex, int status, String errorStatus, String reason, String message, Map<String, String> headers)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status).put("message", message).put("status", errorStatus);
        if (!reason.isEmpty()) {
            error.putArray("details")
                    .addObject()
                    .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                    .put("reason", reason)
                    .put("domain", "datamanager.googleapis.com");
        }
        send(ex, status, body, headers);
    }

    /** Google's answer to bad member data: generic INVALID_ARGUMENT in ErrorInfo, the specific reasons in BadRequest. */
    private void badRequest(HttpExchange ex, ArrayNode violations) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", 400)
                .put("message", "Request contains an invalid argument.")
                .put("status", "INVALID_ARGUMENT");
        ArrayNode details = error.putArray("details");
        details.addObject()
                .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                .put("reason", "INVALID_ARGUMENT")
                .put("domain", "datamanager.googleapis.com");
        details.addObject()
                .put("@type", "type.googleapis.com/google.rpc.BadRequest")
                .set("fieldViolations", violations);
        send(ex, 400, body, Map.of());
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
