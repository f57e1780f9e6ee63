package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.AudienceClient;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.destination.Resilience;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * Customer Match through Google's Data Manager API: members go into a Google Ads user list with
 * {@code audienceMembers:ingest} and leave it with {@code :remove}, at most
 * {@code members_per_request} a request (see {@link Requests} for the exact bodies). Google answers
 * each accepted request with a request id and processes it afterwards; the ids are logged and
 * reported, so that Google's diagnostics ({@code requestStatus:retrieve}) can be asked about them.
 *
 * <p>Which failure ends where: a 400 whose ErrorInfo reason is about the members of that request
 * (bad hex, bad SHA-256, an invalid member) refuses only that request's hashes, which stay out of
 * the state and go again next run, while the other requests go on; any other refusal (the list,
 * the account's terms, the credentials, a 400 without a reason) would refuse every request alike,
 * so it fails the audience with Google's reason and message. Errors Google calls transient (429,
 * 500, 502, 503, 504, no answer in time) are retried, honouring {@code Retry-After}; when the
 * attempts run out the audience fails, and the members of this call that Google had already
 * confirmed are simply sent again next run (ingest and remove are idempotent).
 */
public final class DataManagerClient implements AudienceClient {

    /** The key under which the state remembers the user list. */
    static final String USER_LIST_ID = "user_list_id";

    /** A Date header that cannot be had (a proxy that drops it): our own clock, this much earlier. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(DataManagerClient.class);

    private static final Set<String> MEMBER_DATA_REASONS = Set.of("INVALID_HEX_ENCODING", "INVALID_SHA256_FORMAT",
            "INVALID_FORMAT", "INVALID_AUDIENCE_MEMBER", "TOO_MANY_USER_IDENTIFIERS", "TOO_MANY_AUDIENCE_MEMBERS",
            "FIELD_VALUE_TOO_LONG");

    private final String destination;
    private final DataManagerSettings settings;
    private final DataManagerHttp http;
    private final Resilience resilience;

    private DataManagerClient(String destination, DataManagerSettings settings, DataManagerHttp http, Resilience resilience) {
        this.destination = destination;
        this.settings = settings;
        this.http = http;
        this.resilience = resilience;
    }

    /** @param accessTokens OAuth 2 access tokens with the datamanager scope */
    public static DataManagerClient create(String destination, DataManagerSettings settings, Supplier<String> accessTokens) {
        Resilience resilience = new Resilience(destination, settings.resilience(),
                e -> e instanceof DataManagerApiException d && d.retryable(),
                e -> e instanceof DataManagerApiException d ? d.retryAfter() : Optional.empty());
        return new DataManagerClient(destination, settings,
                new DataManagerHttp(settings.endpoint(), settings.resilience().timeout(), accessTokens), resilience);
    }

    /**
     * The user list the audience is mapped to under {@code audiences:}, else the one this job
     * created for it earlier (remembered in the state, or found again by its display name), else a
     * new Customer Match list (userLists.create, Data Manager API v1.5). A mapped list the state
     * knows nothing of counts as not created by this run, so the engine makes its members exactly
     * the segment ({@link #replace}): the job cannot know what an existing list holds.
     */
    @Override
    public RemoteAudience ensure(AudienceDefinition audience, Map<String, String> remembered) {
        String mapped = settings.userLists().get(audience.id());
        String known = remembered.get(USER_LIST_ID);
        if (mapped != null) {
            if (known != null && !known.equals(mapped)) {
                throw new DestinationException(destination + ": audience '" + audience.id() + "' is mapped to user list "
                        + mapped + " but was synced to user list " + known + ", whose members this job still tracks. "
                        + "Empty or delete list " + known + " in Google Ads if it should go, then delete " + destination + "/"
                        + audience.id() + ".state in the state directory; the next run fills list " + mapped + ".");
            }
            return remote(mapped, false);
        }
        if (known != null) {
            return remote(known, false);
        }
        String name = displayName(audience);
        Optional<String> existing = findUserList(name);
        if (existing.isPresent()) {
            log.warn("{}: {}: found user list {} ('{}') that this job created earlier but has no state for; "
                    + "its members will be replaced", destination, audience.id(), existing.get(), name);
            return remote(existing.get(), false);
        }
        String created = createUserList(name, audience.description());
        log.info("{}: {}: created Customer Match user list {} ('{}') in Google Ads account {}", destination, audience.id(), created,
                name, settings.operatingAccountId());
        return remote(created, true);
    }

    @Override
    public Submission add(RemoteAudience audience, SortedHashes hashes) {
        return inBatches("add", "/v1/audienceMembers:ingest", audience, hashes, Requests::ingest);
    }

    @Override
    public Submission remove(RemoteAudience audience, SortedHashes hashes) {
        return inBatches("remove", "/v1/audienceMembers:remove", audience, hashes, Requests::remove);
    }

    /**
     * Google's way to replace a list's members (guide "Remove all members from an audience"):
     * note the time T, ingest every member, then {@code audienceMembers:removeAll} with
     * {@code removeAsOfTime} T, which removes only members last added before T, so everyone just
     * ingested stays. T is Google's own clock (the Date of its answer to a {@code userLists.get}
     * sent just before the ingests), so that a skewed local clock can neither spare old members
     * nor remove new ones. The guide suggests waiting until Google has processed the ingests
     * before removeAll, to spare the list a moment of emptiness; this job does not wait, so a list
     * can be briefly smaller than it should be while Google works.
     */
    @Override
    public Submission replace(RemoteAudience audience, SortedHashes hashes) {
        String listId = audience.ids().get(USER_LIST_ID);
        Requests.Target target = target(audience);
        String account = Requests.account(settings.operatingAccountId());
        DataManagerHttp.Answer list = call("read user list " + listId, () -> http.get("/v1/" + account + "/userLists/" + listId,
                loginHeader()));
        Instant cutoff = list.date().orElseGet(() -> {
            log.warn("{}: Google's answer has no Date header; taking the local clock less {} as the time of the replacement",
                    destination, CLOCK_MARGIN);
            return Instant.now().minus(CLOCK_MARGIN);
        });
        Submission ingested = hashes.isEmpty() ? Submission.confirmed(hashes, List.of())
                : inBatches("add", "/v1/audienceMembers:ingest", audience, hashes, Requests::ingest);
        String what = "remove the members added before " + cutoff + " from user list " + listId;
        String requestId = requestId(call(what, () -> http.post("/v1/audienceMembers:removeAll", Requests.removeAll(target, cutoff),
                Map.of())));
        log.info("{}: {}: request id {}", destination, what, requestId);
        List<String> notes = new ArrayList<>(ingested.notes());
        notes.add("removeAll of members added before " + cutoff + ": request id " + requestId);
        return new Submission(ingested.confirmed(), ingested.failed(), List.of(), notes);
    }

    private Submission inBatches(String verb, String path, RemoteAudience audience, SortedHashes hashes,
            BiFunction<Requests.Target, SortedHashes, JsonNode> body) {
        Requests.Target target = target(audience);
        ByteArrayOutputStream confirmed = new ByteArrayOutputStream();
        ByteArrayOutputStream failed = new ByteArrayOutputStream();
        List<String> requestIds = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        int size = hashes.size();
        for (int from = 0; from < size; from += settings.membersPerRequest()) {
            int to = Math.min(size, from + settings.membersPerRequest());
            SortedHashes batch = hashes.slice(from, to);
            String what = verb + " members " + (from + 1) + "-" + to + " of " + size + " (user list " + target.userListId() + ")";
            try {
                String requestId = requestId(resilience.call(what, () -> http.post(path, body.apply(target, batch), Map.of())));
                log.info("{}: {}: request id {}", destination, what, requestId);
                requestIds.add(requestId);
                confirmed.writeBytes(batch.toByteArray());
            } catch (DataManagerApiException e) {
                if (!(e.httpStatus() == 400 && MEMBER_DATA_REASONS.contains(e.reason()))) {
                    if (from == 0) {
                        throw failure(what, e);
                    }
                    // the requests before this one are done: the engine keeps them
                    throw new PartlyDone(new Submission(SortedHashes.fromSorted(confirmed.toByteArray()),
                            SortedHashes.fromSorted(failed.toByteArray()), List.of(), List.of()), failure(what, e));
                }
                log.warn("{}: {}: Google refused this request ({}); its {} hashes go again next run", destination, what,
                        e.getMessage(), batch.size());
                refusals.add(e.getMessage());
                failed.writeBytes(batch.toByteArray());
            }
        }
        List<String> notes = new ArrayList<>();
        if (!requestIds.isEmpty()) {
            notes.add(verb + " request ids: " + String.join(", ", requestIds));
        }
        refusals.stream().distinct().forEach(r -> notes.add(verb + " refused: " + r));
        // The batches are consecutive slices of a sorted set, so their concatenation is sorted too.
        return new Submission(SortedHashes.fromSorted(confirmed.toByteArray()), SortedHashes.fromSorted(failed.toByteArray()),
                List.of(), notes);
    }

    private Optional<String> findUserList(String displayName) {
        String account = Requests.account(settings.operatingAccountId());
        String filter = URLEncoder.encode("display_name = \"" + displayName + "\"", StandardCharsets.UTF_8).replace("+", "%20");
        JsonNode lists = call("look for user list '" + displayName + "'",
                () -> http.get("/v1/" + account + "/userLists?filter=" + filter, loginHeader())).body().path("userLists");
        List<String> ids = new ArrayList<>();
        lists.forEach(l -> ids.add(userListId(l)));
        if (ids.size() > 1) {
            throw new DestinationException(destination + ": Google Ads account " + settings.operatingAccountId()
                    + " has several user lists named '" + displayName + "' (" + String.join(", ", ids)
                    + "); map the audience to one of them under 'audiences:'");
        }
        return ids.stream().findFirst();
    }

    private String createUserList(String displayName, String description) {
        String account = Requests.account(settings.operatingAccountId());
        JsonNode list = call("create user list '" + displayName + "'",
                () -> http.post("/v1/" + account + "/userLists", Requests.newUserList(displayName, description), loginHeader()))
                .body();
        String id = userListId(list);
        if (id.isEmpty()) {
            throw new DestinationException(destination + ": Google created user list '" + displayName
                    + "' but did not say its id; map the audience to it under 'audiences:'");
        }
        return id;
    }

    /** The name of a list this job creates: the audience id, marked as the job's own. */
    static String displayName(AudienceDefinition audience) {
        return audience.id() + " (audience-exporter)";
    }

    private static String userListId(JsonNode list) {
        String id = list.path("id").asText("");
        if (id.isEmpty()) {
            String name = list.path("name").asText("");
            id = name.substring(name.lastIndexOf('/') + 1);
        }
        return id;
    }

    private static String requestId(DataManagerHttp.Answer answer) {
        return answer.body().path("requestId").asText("(none given)");
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return resilience.call(what, call);
        } catch (DataManagerApiException e) {
            throw failure(what, e);
        }
    }

    private DestinationException failure(String what, DataManagerApiException e) {
        if (e.credentialsRefused()) {
            return new DestinationException(destination + ": Google refused the credentials while trying to " + what + " ("
                    + e.getMessage() + "). Check that they are valid and carry the scope " + GoogleAccessTokens.SCOPE
                    + ", that the Data Manager API is enabled in their Google Cloud project, and that they have access to "
                    + "Google Ads account " + settings.operatingAccountId()
                    + settings.loginAccountId().map(l -> " through manager account " + l)
                            .orElse(" (or set login_account_id to the manager account they use)"), e, true);
        }
        if (e.retryable()) {
            return new DestinationException(destination + ": Google did not complete the request to " + what + " in "
                    + settings.resilience().maxAttempts() + " attempts (" + e.getMessage() + "); what Google confirmed "
                    + "is kept, the rest is sent again next run", e);
        }
        // unsigned terms refuse every later request too
        return new DestinationException(destination + ": Google refused the request to " + what + " (" + e.getMessage() + ")"
                + advice(e.reason()), e, "TERMS_AND_CONDITIONS_NOT_SIGNED".equals(e.reason()));
    }

    private String advice(String reason) {
        String account = settings.operatingAccountId();
        return switch (reason) {
            case "TERMS_AND_CONDITIONS_NOT_SIGNED" -> "; accept the Customer Match terms of service in Google Ads account "
                    + account + " (Tools, Shared library, Audience manager)";
            case "INVALID_USER_LIST_ID", "INVALID_USER_LIST_TYPE", "INVALID_DESTINATION", "NOT_FOUND" ->
                    "; check that the user list is a Customer Match list of Google Ads account " + account
                            + " (the ids under 'audiences:' in the config)";
            case "EU_POLITICAL_ADVERTISING_DECLARATION_REQUIRED" ->
                    "; make the EU political advertising declaration in Google Ads account " + account;
            default -> "";
        };
    }

    private RemoteAudience remote(String listId, boolean created) {
        return new RemoteAudience("user list " + listId, Map.of(USER_LIST_ID, listId), created);
    }

    private Requests.Target target(RemoteAudience audience) {
        return new Requests.Target(settings.operatingAccountId(), settings.loginAccountId(), audience.ids().get(USER_LIST_ID));
    }

    /**
     * Obtains a token, then reads the operating account's user lists (userLists.list, REST
     * reference developers.google.com/data-manager/api/reference/rest/v1/accountTypes.accounts.userLists/list)
     * and finds each audience's list among them the way {@link #ensure} would. Each step runs only
     * when the one before worked, so the first finding that is wrong is the one to fix.
     */
    @Override
    public List<Finding> check(Map<AudienceDefinition, Map<String, String>> remembered) {
        List<Finding> findings = new ArrayList<>();
        try {
            http.obtainToken();
            findings.add(Finding.ok("credentials", "Google gave an access token for " + GoogleAccessTokens.SCOPE));
        } catch (RuntimeException e) {
            findings.add(tokenTrouble(e));
            return findings;
        }
        String subject = "account " + settings.operatingAccountId();
        Map<String, String> lists;
        try {
            lists = userLists();
            findings.add(Finding.ok(subject, "the credentials may read its " + lists.size() + " user lists"
                    + settings.loginAccountId().map(l -> " through manager account " + l).orElse("")));
        } catch (DataManagerApiException e) {
            findings.add(accountTrouble(subject, e));
            return findings;
        }
        remembered.forEach((audience, ids) -> findings.add(checkList(audience, ids.get(USER_LIST_ID), lists)));
        return findings;
    }

    /** Every user list of the operating account, id to display name, page after page. */
    private Map<String, String> userLists() {
        String path = "/v1/" + Requests.account(settings.operatingAccountId()) + "/userLists?pageSize=1000";
        Map<String, String> lists = new LinkedHashMap<>();
        String page = "";
        do {
            String query = page.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(page, StandardCharsets.UTF_8);
            JsonNode answer = resilience.call("read the user lists of Google Ads account " + settings.operatingAccountId(),
                    () -> http.get(path + query, loginHeader())).body();
            answer.path("userLists").forEach(l -> lists.put(userListId(l), l.path("displayName").asText("")));
            page = answer.path("nextPageToken").asText("");
        } while (!page.isEmpty());
        return lists;
    }

    private Finding checkList(AudienceDefinition audience, String known, Map<String, String> lists) {
        String subject = "audience " + audience.id();
        String account = settings.operatingAccountId();
        String mapped = settings.userLists().get(audience.id());
        if (mapped != null && known != null && !known.equals(mapped)) {
            return Finding.wrong(subject, "mapped to user list " + mapped + " but synced to user list " + known,
                    "a sync refuses this audience; see its error message for how to move it to list " + mapped);
        }
        String id = mapped != null ? mapped : known;
        if (id != null) {
            return lists.containsKey(id) ? Finding.ok(subject, "user list " + id + " ('" + lists.get(id) + "')")
                    : Finding.wrong(subject, "user list " + id + (mapped != null ? ", mapped under 'audiences:'," : ", which the "
                            + "sync state remembers,") + " is not a user list of Google Ads account " + account,
                            mapped != null ? "check the list id under 'audiences:' and operating_account_id"
                                    : "check operating_account_id; if the list was deleted, delete " + destination + "/"
                                            + audience.id() + ".state in the state directory to start a new list");
        }
        String name = displayName(audience);
        List<String> named = lists.entrySet().stream().filter(l -> l.getValue().equals(name)).map(Map.Entry::getKey).toList();
        if (named.size() > 1) {
            return Finding.wrong(subject, "several user lists are named '" + name + "' (" + String.join(", ", named) + ")",
                    "map the audience to one of them under 'audiences:'");
        }
        return Finding.ok(subject, named.isEmpty() ? "the first sync creates user list '" + name + "'"
                : "the first sync replaces the members of user list " + named.get(0) + " ('" + name + "')");
    }

    /** No token: either Google's token endpoint could not be reached, or it refused the credentials. */
    private static Finding tokenTrouble(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return Finding.wrong("credentials", "cannot reach Google's token endpoint (" + t + ")",
                        "check the network, proxy and firewall between this machine and the token endpoint (the key file's "
                                + "token_uri, normally https://oauth2.googleapis.com/token); the key itself was not tried");
            }
        }
        return Finding.wrong("credentials", e.getMessage(), "use a current key of a service account that is not disabled "
                + "(Google Cloud console, IAM, Service accounts, Keys), or renew the application default credentials");
    }

    private Finding accountTrouble(String subject, DataManagerApiException e) {
        String account = settings.operatingAccountId();
        if (e.credentialsRefused()) {
            return Finding.wrong(subject, "Google gave a token but refuses access to Google Ads account " + account + " ("
                    + e.getMessage() + ")", "check operating_account_id, the customer id of the Google Ads account whose "
                    + "lists get the members; that the service account is a user of it, or login_account_id names the manager "
                    + "account it uses; and that the Data Manager API is enabled in the key's Google Cloud project");
        }
        if (e.retryable()) {
            return Finding.wrong(subject, "Google did not answer in " + settings.resilience().maxAttempts() + " attempts ("
                    + e.getMessage() + ")", "check the network and the endpoint " + settings.endpoint() + ", then run check again");
        }
        String advice = advice(e.reason());
        return Finding.wrong(subject, "Google refused to list its user lists (" + e.getMessage() + ")",
                advice.isEmpty() ? "see Google's message" : advice.substring(2));
    }

    /** The userLists methods take the login account as a header rather than in the body. */
    private Map<String, String> loginHeader() {
        return settings.loginAccountId().map(id -> Map.of("login-account", Requests.account(id))).orElse(Map.of());
    }
}
