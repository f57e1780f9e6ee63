package se.nestit.audience.destination.meta;

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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Hex;

/**
 * A loopback Graph API that speaks the Custom Audience protocol: it lists, reads and creates
 * custom audiences, keeps each one's members through {@code /users} and {@code /usersreplace}
 * sessions, and answers with Meta's fields and errors. It checks every request it receives
 * (version segment, bearer token, {@code appsecret_proof}, no credentials in the address, JSON
 * body shapes, sessions) and records what it finds wrong, and it injects the faults a test asks for.
 *
 * <p>Each check names the page of Meta's it follows. Those pages, under
 * developers.facebook.com/docs/marketing-api/:
 * <ul>
 *   <li>GUIDE: audiences/guides/custom-audiences ("Customer File Custom Audiences": create, add and
 *       remove users, the {@code session} object, hashing, at most 10,000 records a request)
 *   <li>USERS: reference/custom-audience/users (the {@code /users} edge and its answer fields)
 *   <li>REPLACE: reference/custom-audience/usersreplace (sessions, the 2650 subcodes)
 *   <li>AUDIENCE: reference/custom-audience (the fields id, name, description)
 *   <li>ACCOUNT: reference/ad-account/customaudiences (listing with fields, limit, cursors; creating)
 *   <li>SECURING: graph-api/securing-requests ({@code appsecret_proof}, under /docs/, not /marketing-api/)
 *   <li>ERRORS: marketing-api/error-reference (codes 100/33, 2650, 190)
 * </ul>
 */
final class FakeGraphApi implements AutoCloseable {

    static final String TOKEN = "EAAtest-system-user-token-4f8a2c";
    static final String APP_SECRET = "test-app-secret-91b7";
    static final String TOKEN_VARIABLE = "META_TEST_ACCESS_TOKEN";
    static final String SECRET_VARIABLE = "META_TEST_APP_SECRET";
    static final String ACCOUNT = "1234567890";
    static final String VERSION = "v24.0";
    static final String PROOF = hmacSha256Hex(APP_SECRET, TOKEN);

    enum Route {
        LIST_AUDIENCES,
        CREATE_AUDIENCE,
        READ_AUDIENCE,
        ADD_USERS,
        REMOVE_USERS,
        REPLACE_USERS,
        READ_ACCOUNT
    }

    /** One request as received. */
    record Request(Route route, String method, String audienceId, Map<String, String> query, JsonNode body) {
        List<String> data() {
            List<String> hashes = new ArrayList<>();
            body.path("payload").path("data").forEach(h -> hashes.add(h.asText()));
            return hashes;
        }

        JsonNode session() {
            return body.path("session");
        }
    }

    /**
     * An error to answer with instead of (or, {@code afterApplying}, after) doing the request.
     *
     * @param batchSeq only for this usersreplace batch; null for any request of the route
     * @param times how many matching requests get it
     */
    record Fault(
            Route route,
            Integer batchSeq,
            int times,
            boolean afterApplying,
            int status,
            int code,
            int subcode,
            String message,
            String userMessage,
            Map<String, String> headers) {

        static Fault graph(Route route, int status, int code, int subcode, String message) {
            return new Fault(route, null, 1, false, status, code, subcode, message, "", Map.of());
        }

        static Fault http(Route route, int status) {
            return new Fault(route, null, 1, false, status, 0, 0, null, "", Map.of());
        }

        Fault times(int n) {
            return new Fault(route, batchSeq, n, afterApplying, status, code, subcode, message, userMessage, headers);
        }

        Fault onBatch(int seq) {
            return new Fault(route, seq, times, afterApplying, status, code, subcode, message, userMessage, headers);
        }

        /** Does the request, then answers with the error: an answer lost on its way back. */
        Fault appliedButLost() {
            return new Fault(route, batchSeq, times, true, status, code, subcode, message, userMessage, headers);
        }

        Fault userMessage(String text) {
            return new Fault(route, batchSeq, times, afterApplying, status, code, subcode, message, text, headers);
        }

        Fault header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Fault(route, batchSeq, times, afterApplying, status, code, subcode, message, userMessage, h);
        }
    }

    private static final class Audience {
        final String id;
        final String name;
        final String description;
        final Set<String> members = new TreeSet<>();
        Session session;

        Audience(String id, String name, String description) {
            this.id = id;
            this.name = name;
            this.description = description;
        }
    }

    private record Session(long id, int nextSeq, long estimatedTotal, Set<String> staged) {}

    /** A {@code /users} session: the batch it expects next and the total its first batch announced. */
    private record UsersSession(int nextSeq, long estimatedTotal) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Meta's id of each answer, as in its x-fb-trace-id header. */
    private static final AtomicLong TRACES = new AtomicLong();

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> AUDIENCE_FIELDS = Set.of("id", "name", "description");
    private static final Pattern PATH =
            Pattern.compile("/" + Pattern.quote(VERSION) + "/(act_[0-9]+|[0-9]+)(?:/([a-z]+))?");

    private final HttpServer server;
    private final Map<String, Audience> audiences = new LinkedHashMap<>();
    private final Set<Long> finishedSessions = new HashSet<>();
    private final Map<Long, UsersSession> usersSessions = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Set<String> invalid = new HashSet<>();
    private int samplesNamed = Integer.MAX_VALUE;
    private long nextId = 23850000000000001L;
    private long uploadDelayMillis;
    private int accountStatus = 1;
    private int uploadsUntilHook;
    private Runnable uploadHook;
    private Runnable faultHook;

    FakeGraphApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * A {@code destinations:} entry (indented for the config's destinations map) of type meta
     * against this server, with quick retries so that tests do not wait on backoff.
     */
    String destinationYaml(String id, String audiencePrefix) {
        return """
                  %s:
                    type: meta
                    ad_account_id: act_%s
                    access_token: ${%s}
                    app_secret: ${%s}
                    audience_prefix: "%s"
                    endpoint: %s
                    retry: { max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms }
                    rate_limit: { per_second: 1000 }
                    timeout: 10s
                """.formatted(id, ACCOUNT, TOKEN_VARIABLE, SECRET_VARIABLE, audiencePrefix, endpoint());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- what tests set up and read back ----

    synchronized void inject(Fault fault) {
        faults.add(fault);
    }

    /** Hashes Meta will call invalid: not applied, counted in num_invalid_entries. */
    synchronized void treatAsInvalid(Set<String> hashes, int named) {
        invalid.addAll(hashes);
        samplesNamed = named;
    }

    /** An audience someone made by hand in Ads Manager, with no description. */
    synchronized String seedAudience(String name, Set<String> members) {
        return seedAudience(name, "", members);
    }

    synchronized String seedAudience(String name, String description, Set<String> members) {
        Audience a = new Audience(String.valueOf(nextId++), name, description);
        a.members.addAll(members);
        audiences.put(a.id, a);
        return a.id;
    }

    /**
     * Answers every {@code /users} and {@code /usersreplace} request this much later, after doing
     * it: a slow network, so that a test can kill a sync in the middle.
     */
    synchronized void answerUploadsAfter(long millis) {
        this.uploadDelayMillis = millis;
    }

    /** Runs {@code hook} once, right after answering the next fault that does not do its request. */
    synchronized void afterFault(Runnable hook) {
        this.faultHook = hook;
    }

    /**
     * Runs {@code hook} once, after doing the {@code n}-th {@code /users} or {@code /usersreplace}
     * request from now on and before answering it (a test kills its client there).
     */
    synchronized void afterUpload(int n, Runnable hook) {
        this.uploadsUntilHook = n;
        this.uploadHook = hook;
    }

    /**
     * Ends every replace session still open, as Meta does when a session's batches stop coming:
     * what was staged is dropped and the members stay as they were.
     */
    synchronized void endOpenSessions() {
        audiences.values().forEach(a -> a.session = null);
    }

    /** The ad account's {@code account_status} from now on (1 is ACTIVE, 2 DISABLED, 101 CLOSED). */
    synchronized void accountStatus(int status) {
        this.accountStatus = status;
    }

    synchronized void deleteAudience(String id) {
        audiences.remove(id);
    }

    synchronized Set<String> members(String id) {
        return Set.copyOf(audiences.get(id).members);
    }

    /** The ids of the audiences with this name. */
    synchronized List<String> audiencesNamed(String name) {
        return audiences.values().stream()
                .filter(a -> a.name.equals(name))
                .map(a -> a.id)
                .toList();
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Request> requests(Route route) {
        return requests.stream().filter(r -> r.route() == route).toList();
    }

    synchronized void forgetRequests() {
        requests.clear();
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    // ---- the protocol ----

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            Map<String, String> query = query(uri.getRawQuery());
            String problem = checkCredentials(exchange, uri, query);
            Matcher path = PATH.matcher(uri.getPath());
            // every Graph API address starts with its version (GUIDE's examples: /v25.0/act_<ID>/customaudiences)
            if (problem == null && !path.matches()) {
                problem = "unexpected path " + uri.getPath() + " (the version segment must be " + VERSION + ")";
            }
            JsonNode body = JSON.createObjectNode();
            // The Graph API takes parameters as a JSON body; that all of them come so, and no
            // credential among them, is this job's rule (see GraphApi), not Meta's.
            if (problem == null && raw.length > 0) {
                if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                    problem = "a body must be application/json";
                } else {
                    body = JSON.readTree(raw);
                    if (body.has("access_token") || body.has("app_secret")) {
                        problem = "credentials in the body";
                    }
                }
            }
            Route route = problem == null ? route(method, path.group(1), path.group(2)) : null;
            if (problem == null && route == null) {
                problem = "no such operation: " + method + " " + uri.getPath();
            }
            if (problem != null) {
                violations.add(problem);
                send(exchange, 400, error(100, 0, "fake Graph API: " + problem, ""), Map.of());
                return;
            }
            Request request = new Request(
                    route,
                    method,
                    path.group(1).startsWith("act_") && route != Route.READ_ACCOUNT ? null : path.group(1),
                    query,
                    body);
            requests.add(request);
            Fault fault = takeFault(request);
            if (fault != null && fault.subcode() == 1870158 && audiences.containsKey(request.audienceId())) {
                audiences.get(request.audienceId()).session = null; // Meta has ended the timed-out session
            }
            if (fault != null && !fault.afterApplying()) {
                sendFault(exchange, fault);
                if (faultHook != null) {
                    Runnable hook = faultHook;
                    faultHook = null;
                    hook.run();
                }
                return;
            }
            Answer answer = answer(request);
            if (EnumSet.of(Route.ADD_USERS, Route.REMOVE_USERS, Route.REPLACE_USERS)
                    .contains(route)) {
                uploaded();
            }
            if (fault != null && answer.status() / 100 == 2) {
                sendFault(exchange, fault);
                return;
            }
            send(exchange, answer.status(), answer.body(), Map.of());
        }
    }

    private void uploaded() {
        if (uploadHook != null && --uploadsUntilHook == 0) {
            Runnable hook = uploadHook;
            uploadHook = null;
            hook.run();
        }
        if (uploadDelayMillis > 0) {
            try {
                Thread.sleep(uploadDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Answer(int status, ObjectNode body) {
        static Answer ok(ObjectNode body) {
            return new Answer(200, body);
        }
    }

    private String checkCredentials(HttpExchange exchange, URI uri, Map<String, String> query) {
        // Not Meta's rule but this job's: Meta accepts a token in the address, proxies log it.
        String raw = uri.toString();
        if (raw.contains(TOKEN) || raw.contains(APP_SECRET) || query.containsKey("access_token")) {
            return "a credential in the address";
        }
        // The Graph API takes the token as a bearer header as well as access_token (open-source syncs
        // such as Segment's send the header); this job's rule is the header only.
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return "no bearer token in the Authorization header";
        }
        // SECURING: appsecret_proof is the hex HMAC-SHA256 of the access token keyed with the app secret
        if (!PROOF.equals(query.get("appsecret_proof"))) {
            return "appsecret_proof missing or not HMAC-SHA256(token, app secret)";
        }
        return null;
    }

    /** ACCOUNT: GET and POST customaudiences; AUDIENCE: GET; USERS: POST and DELETE users; REPLACE: POST usersreplace. */
    private static Route route(String method, String node, String edge) {
        boolean account = node.startsWith("act_");
        if (account && "customaudiences".equals(edge)) {
            return switch (method) {
                case "GET" -> Route.LIST_AUDIENCES;
                case "POST" -> Route.CREATE_AUDIENCE;
                default -> null;
            };
        }
        if (account) {
            return edge == null && "GET".equals(method) ? Route.READ_ACCOUNT : null;
        }
        if (edge == null) {
            return "GET".equals(method) ? Route.READ_AUDIENCE : null;
        }
        return switch (method + " " + edge) {
            case "POST users" -> Route.ADD_USERS;
            case "DELETE users" -> Route.REMOVE_USERS;
            case "POST usersreplace" -> Route.REPLACE_USERS;
            default -> null;
        };
    }

    private Fault takeFault(Request request) {
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            boolean batch = f.batchSeq() == null
                    || f.batchSeq() == request.session().path("batch_seq").asInt();
            if (f.route() == request.route() && batch) {
                if (f.times() <= 1) {
                    faults.remove(i);
                } else {
                    faults.set(i, f.times(f.times() - 1));
                }
                return f;
            }
        }
        return null;
    }

    private Answer answer(Request r) {
        return switch (r.route()) {
            case LIST_AUDIENCES -> list(r);
            case CREATE_AUDIENCE -> create(r);
            case READ_AUDIENCE -> read(r);
            case ADD_USERS, REMOVE_USERS -> users(r);
            case REPLACE_USERS -> replace(r);
            case READ_ACCOUNT -> readAccount(r);
        };
    }

    private Answer list(Request r) {
        // ACCOUNT: without fields only the id comes back; this job asks for id, name and description (AUDIENCE)
        List<String> fields = List.of(r.query().getOrDefault("fields", "").split(","));
        if (!fields.containsAll(List.of("id", "name")) || !AUDIENCE_FIELDS.containsAll(fields)) {
            return violation("list without fields=id,name[,description]");
        }
        // cursor paging as on docs/graph-api/results: limit, after, paging.cursors, paging.next on all but the last
        // page
        int limit = Integer.parseInt(r.query().getOrDefault("limit", "25"));
        int from = Integer.parseInt(r.query().getOrDefault("after", "0"));
        List<Audience> all = new ArrayList<>(audiences.values());
        ObjectNode page = JSON.createObjectNode();
        var data = page.putArray("data");
        for (Audience a : all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()))) {
            ObjectNode listed = data.addObject().put("id", a.id).put("name", a.name);
            if (fields.contains("description") && !a.description.isEmpty()) {
                listed.put("description", a.description); // Graph leaves out fields that have no value
            }
        }
        ObjectNode paging = page.putObject("paging");
        paging.putObject("cursors").put("before", String.valueOf(from)).put("after", String.valueOf(from + limit));
        if (from + limit < all.size()) {
            // Meta's next link points at its own host; a client must not follow it to leave the endpoint
            paging.put(
                    "next",
                    "https://graph.facebook.com/" + VERSION + "/act_" + ACCOUNT + "/customaudiences?limit=" + limit
                            + "&after=" + (from + limit));
        }
        return Answer.ok(page);
    }

    /**
     * {@code GET /act_{id}?fields=id,name,account_status}, as the Marketing API's Ad Account reference
     * (developers.facebook.com/docs/marketing-api/reference/ad-account) gives the node and its fields;
     * another account is answered as Meta answers an object the token cannot see: code 100, subcode 33.
     */
    private Answer readAccount(Request r) {
        if (!"id,name,account_status".equals(r.query().get("fields"))) {
            return violation("ad account read without fields=id,name,account_status");
        }
        if (!r.audienceId().equals("act_" + ACCOUNT)) {
            return noSuchObject(r.audienceId());
        }
        return Answer.ok(JSON.createObjectNode()
                .put("id", "act_" + ACCOUNT)
                .put("name", "Nestit test")
                .put("account_status", accountStatus));
    }

    private Answer create(Request r) {
        // GUIDE, "Create a Custom Audience": name, description, subtype CUSTOM, customer_file_source
        JsonNode b = r.body();
        if (!"CUSTOM".equals(b.path("subtype").asText())
                || !"USER_PROVIDED_ONLY".equals(b.path("customer_file_source").asText())
                || b.path("name").asText().isEmpty()
                || b.path("description").asText().isEmpty()) {
            return violation(
                    "create without name, description, subtype=CUSTOM, customer_file_source=USER_PROVIDED_ONLY");
        }
        String id = seedAudience(b.path("name").asText(), b.path("description").asText(), Set.of());
        return Answer.ok(JSON.createObjectNode().put("id", id));
    }

    private Answer read(Request r) {
        // AUDIENCE: reading a custom audience; this job asks only for what it uses
        if (!"id,name".equals(r.query().get("fields"))) {
            return violation("read without fields=id,name");
        }
        Audience a = audiences.get(r.audienceId());
        if (a == null) {
            return noSuchObject(r.audienceId());
        }
        return Answer.ok(JSON.createObjectNode().put("id", a.id).put("name", a.name));
    }

    private Answer users(Request r) {
        Audience a = audiences.get(r.audienceId());
        if (a == null) {
            return noSuchObject(r.audienceId());
        }
        String bad = checkPayload(r.body());
        if (bad == null) {
            bad = checkUsersSession(r.session());
        }
        if (bad != null) {
            return violation(bad);
        }
        // REPLACE: no /users calls while a replace session of the audience is open
        if (a.session != null) {
            return new Answer(
                    400,
                    error(
                            2650,
                            1870145,
                            "(#2650) Failed to update the custom audience",
                            "A replace of this audience is in progress"));
        }
        List<String> data = r.data();
        List<String> refused = data.stream().filter(invalid::contains).toList();
        for (String h : data) {
            if (!invalid.contains(h)) {
                if (r.route() == Route.ADD_USERS) {
                    a.members.add(h);
                } else {
                    a.members.remove(h);
                }
            }
        }
        return Answer.ok(received(a.id, r.session().get("session_id").asLong(), data.size(), refused));
    }

    private Answer replace(Request r) {
        Audience a = audiences.get(r.audienceId());
        if (a == null) {
            return noSuchObject(r.audienceId());
        }
        String bad = checkPayload(r.body());
        JsonNode s = r.session();
        // REPLACE: every batch carries session {session_id, batch_seq, last_batch_flag, estimated_num_total}
        if (bad == null && !wellFormed(s)) {
            bad = "usersreplace without session {session_id, batch_seq, last_batch_flag, estimated_num_total}";
        }
        // REPLACE and GUIDE say nothing of a batch without members (an audience emptied): refused
        // here, so that no client comes to rely on what Meta may not do
        if (bad == null && r.data().isEmpty()) {
            bad = "usersreplace batch without members, which Meta does not document";
        }
        if (bad != null) {
            return violation(bad);
        }
        long id = s.get("session_id").asLong();
        int seq = s.get("batch_seq").asInt();
        // REPLACE: the 2650 subcodes 1870159 (session finished), 1870147 (first batch_seq not 1),
        // 1870145 (another update in progress)
        if (finishedSessions.contains(id)) {
            return new Answer(
                    400,
                    error(
                            2650,
                            1870159,
                            "(#2650) Failed to update the custom audience",
                            "The session has already finished"));
        }
        if (a.session == null && seq != 1) {
            return new Answer(
                    400,
                    error(
                            2650,
                            1870147,
                            "(#2650) Failed to update the custom audience",
                            "The first batch_seq was not 1"));
        }
        if (a.session != null && a.session.id() != id) {
            return new Answer(
                    400,
                    error(
                            2650,
                            1870145,
                            "(#2650) Failed to update the custom audience",
                            "Another replace session is in progress for this audience"));
        }
        if (a.session != null
                && (seq != a.session.nextSeq()
                        || s.get("estimated_num_total").asLong() != a.session.estimatedTotal())) {
            return violation("usersreplace batch out of order or with another estimated_num_total");
        }
        Session session = a.session != null
                ? a.session
                : new Session(id, 1, s.get("estimated_num_total").asLong(), new TreeSet<>());
        List<String> data = r.data();
        List<String> refused = data.stream().filter(invalid::contains).toList();
        data.stream().filter(h -> !invalid.contains(h)).forEach(session.staged()::add);
        if (s.get("last_batch_flag").asBoolean()) {
            a.members.clear();
            a.members.addAll(session.staged());
            a.session = null;
            finishedSessions.add(id);
        } else {
            a.session = new Session(id, seq + 1, session.estimatedTotal(), session.staged());
        }
        return Answer.ok(received(a.id, id, data.size(), refused));
    }

    /**
     * GUIDE, "Add users" and "Remove users": the same session object as usersreplace on every
     * {@code /users} call, batches numbered from 1 in order, one estimated_num_total per session.
     * A batch sent again (a retry) keeps its number.
     */
    private String checkUsersSession(JsonNode s) {
        if (!wellFormed(s)) {
            return "/users without session {session_id, batch_seq, last_batch_flag, estimated_num_total}";
        }
        long id = s.get("session_id").asLong();
        int seq = s.get("batch_seq").asInt();
        long total = s.get("estimated_num_total").asLong();
        UsersSession known = usersSessions.get(id);
        if (known == null
                ? seq != 1
                : seq > known.nextSeq() || seq < known.nextSeq() - 1 || total != known.estimatedTotal()) {
            return "/users session " + id + ": batch_seq " + seq + " out of order, or another estimated_num_total";
        }
        usersSessions.put(id, new UsersSession(Math.max(seq + 1, known == null ? 2 : known.nextSeq()), total));
        return null;
    }

    /** GUIDE: session_id a positive number, batch_seq from 1, last_batch_flag a boolean, estimated_num_total a count. */
    private static boolean wellFormed(JsonNode s) {
        return s.path("session_id").isIntegralNumber()
                && s.path("session_id").asLong() > 0
                && s.path("batch_seq").isIntegralNumber()
                && s.path("batch_seq").asInt() >= 1
                && s.path("last_batch_flag").isBoolean()
                && s.path("estimated_num_total").isIntegralNumber()
                && s.path("estimated_num_total").asLong() >= 0;
    }

    /** GUIDE, "Hashing and normalizing data" and the 10,000-record limit; USERS: payload {schema, data}. */
    private static String checkPayload(JsonNode body) {
        JsonNode payload = body.path("payload");
        if (!"EMAIL_SHA256".equals(payload.path("schema").asText())) {
            return "payload.schema is not EMAIL_SHA256";
        }
        JsonNode data = payload.path("data");
        if (!data.isArray() || data.size() > 10_000) {
            return "payload.data is not an array of at most 10000";
        }
        for (JsonNode h : data) {
            if (!h.isTextual() || !HASH.matcher(h.asText()).matches()) {
                return "payload.data holds something that is not a lowercase SHA-256 hex";
            }
        }
        return null;
    }

    /** USERS: the answer's audience_id, session_id, num_received, num_invalid_entries, invalid_entry_samples. */
    private ObjectNode received(String audienceId, long sessionId, int count, List<String> refused) {
        ObjectNode answer = JSON.createObjectNode()
                .put("audience_id", audienceId)
                .put("session_id", String.valueOf(sessionId))
                .put("num_received", count)
                .put("num_invalid_entries", refused.size());
        ObjectNode samples = answer.putObject("invalid_entry_samples");
        refused.stream().limit(samplesNamed).forEach(h -> samples.put(h, "Invalid entry"));
        return answer;
    }

    /** ERRORS: code 100, subcode 33, for an object that is gone or not visible. */
    private Answer noSuchObject(String id) {
        return new Answer(
                400,
                error(
                        100,
                        33,
                        "Unsupported get request. Object with ID '" + id + "' does not exist, cannot be "
                                + "loaded due to missing permissions, or does not support this operation.",
                        ""));
    }

    private Answer violation(String problem) {
        violations.add(problem);
        return new Answer(400, error(100, 0, "fake Graph API: " + problem, ""));
    }

    private static ObjectNode error(int code, int subcode, String message, String userMessage) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putObject("error")
                .put("message", message)
                .put("type", code == 190 ? "OAuthException" : "FacebookApiException")
                .put("code", code)
                .put("fbtrace_id", "AbCdEfFakeTrace");
        if (subcode != 0) {
            e.put("error_subcode", subcode);
        }
        if (!userMessage.isEmpty()) {
            e.put("error_user_title", "Custom audience error").put("error_user_msg", userMessage);
        }
        return root;
    }

    private void sendFault(HttpExchange exchange, Fault f) throws IOException {
        if (f.code() == 0) {
            send(exchange, f.status(), null, f.headers());
        } else {
            send(exchange, f.status(), error(f.code(), f.subcode(), f.message(), f.userMessage()), f.headers());
        }
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body == null
                ? "<html><body>Bad gateway</body></html>".getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", body == null ? "text/html" : "application/json");
        exchange.getResponseHeaders().set("x-fb-trace-id", "FakeTrace" + TRACES.incrementAndGet());
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    /** Computed here with javax.crypto, independently of the code under test. */
    static String hmacSha256Hex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Hex.encodeHexString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
