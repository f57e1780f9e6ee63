package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.AudienceClient;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.destination.Resilience;
import se.nestit.audience.destination.datamanager.DataManagerApiException.MemberViolation;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.PendingOperation;
import se.nestit.audience.sync.PendingOperation.Kind;

/**
 * Customer Match through Google's Data Manager API: members go into a Google Ads user list with
 * {@code audienceMembers:ingest} and leave it with {@code :remove}, at most
 * {@code members_per_request} a request (see {@link Requests} for the exact bodies). Google answers
 * each accepted request with a request id and processes it afterwards: accepted is not done. The
 * client asks {@code requestStatus:retrieve} how each request ended for up to {@code request_wait};
 * only members of a request that succeeded are confirmed, those of a failed one go again next run,
 * and a request still processing is left pending in the sync state for the next run to settle.
 *
 * <p>Which failure ends where: a 400 about members (BadRequest field violations naming them by
 * index, or a reason about member data) refuses only the members it names, and the rest of that
 * request goes again (when it names none, that one request's members are refused); any other
 * refusal (the list, the account's terms, the credentials, a 400 without a reason) would refuse
 * every request alike, so it fails the audience with Google's reasons and message. Errors Google
 * calls transient (429, 500, 502, 503, 504, no answer in time, a token endpoint out of reach) are
 * retried, honouring {@code Retry-After}; when the attempts run out the audience fails, and the
 * requests Google had accepted before are left pending for the next run to settle.
 */
public final class DataManagerClient implements AudienceClient {

    /** The key under which the state remembers the user list. */
    static final String USER_LIST_ID = "user_list_id";

    /** A Date header that cannot be had (a proxy that drops it): our own clock, this much earlier. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(DataManagerClient.class);

    private static final String TERMS_NOT_ACCEPTED = "TERMS_AND_CONDITIONS_NOT_SIGNED";
    private static final String INGEST = "/v1/audienceMembers:ingest";
    private static final String REMOVE = "/v1/audienceMembers:remove";

    /**
     * How long a request may stay unfinished: twice the 24 hours Google's diagnostics guide
     * (developers.google.com/data-manager/api/devguides/diagnostics) says processing can take.
     */
    static final Duration GIVE_UP_AFTER = Duration.ofDays(2);

    /** How often one request goes again without the members Google named as bad. */
    private static final int MAX_RESENDS = 10;

    private static final Set<String> MEMBER_DATA_REASONS = Set.of(
            "INVALID_HEX_ENCODING",
            "INVALID_SHA256_FORMAT",
            "INVALID_FORMAT",
            "INVALID_AUDIENCE_MEMBER",
            "TOO_MANY_USER_IDENTIFIERS",
            "TOO_MANY_AUDIENCE_MEMBERS",
            "FIELD_VALUE_TOO_LONG");

    private final String destination;
    private final DataManagerSettings settings;
    private final DataManagerHttp http;
    private final Resilience resilience;
    /** The upload match rate Google last reported this run, per user list id. */
    private final Map<String, String> matchRates = new ConcurrentHashMap<>();

    private DataManagerClient(
            String destination, DataManagerSettings settings, DataManagerHttp http, Resilience resilience) {
        this.destination = destination;
        this.settings = settings;
        this.http = http;
        this.resilience = resilience;
    }

    /** @param accessTokens OAuth 2 access tokens with the datamanager scope */
    public static DataManagerClient create(
            String destination, DataManagerSettings settings, Supplier<String> accessTokens) {
        Resilience resilience = new Resilience(
                destination,
                settings.resilience(),
                e -> e instanceof DataManagerApiException d && d.retryable(),
                e -> e instanceof DataManagerApiException d ? d.retryAfter() : Optional.empty());
        return new DataManagerClient(
                destination,
                settings,
                new DataManagerHttp(settings.endpoint(), settings.resilience().timeout(), accessTokens),
                resilience);
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
                throw new DestinationException("audience '" + audience.id() + "' is mapped to user list "
                        + mapped + " but was synced to user list " + known + ", whose members this job still tracks. "
                        + "Empty or delete list " + known + " in Google Ads if it should go, then delete " + destination
                        + "/"
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
            log.warn(
                    "{}: {}: found user list {} ('{}') that this job created earlier but has no state for; "
                            + "its members will be replaced",
                    destination,
                    audience.id(),
                    existing.get(),
                    name);
            return remote(existing.get(), false);
        }
        String created = createUserList(name, audience.description());
        log.info(
                "{}: {}: created Customer Match user list {} ('{}') in Google Ads account {}",
                destination,
                audience.id(),
                created,
                name,
                settings.operatingAccountId());
        return remote(created, true);
    }

    @Override
    public Submission add(RemoteAudience audience, SortedHashes hashes) {
        return outcome(
                audience, "add", Kind.ADD, inBatches("add", INGEST, Kind.ADD, audience, hashes, Requests::ingest));
    }

    @Override
    public Submission remove(RemoteAudience audience, SortedHashes hashes) {
        return outcome(
                audience,
                "remove",
                Kind.REMOVE,
                inBatches("remove", REMOVE, Kind.REMOVE, audience, hashes, Requests::remove));
    }

    /**
     * Google's way to replace a list's members (guide "Remove all members from an audience"):
     * note the time T, ingest every member, then {@code audienceMembers:removeAll} with
     * {@code removeAsOfTime} T, which removes only members last added before T, so everyone just
     * ingested stays. T is Google's own clock (the Date of its answer to a {@code userLists.get}
     * sent just before the ingests), so that a skewed local clock can neither spare old members
     * nor remove new ones. As the guide advises, removeAll waits until Google says every ingest
     * succeeded: while one is processing the replacement stays pending (a {@link Replacement}) and
     * a later run goes on with it; when one failed nothing is removed and the replacement fails.
     */
    @Override
    public Submission replace(RemoteAudience audience, SortedHashes hashes) {
        String listId = audience.ids().get(USER_LIST_ID);
        String account = Requests.account(settings.operatingAccountId());
        DataManagerHttp.Answer list = call(
                "read user list " + listId, () -> http.get("/v1/" + account + "/userLists/" + listId, loginHeader()));
        Instant cutoff = list.date().orElseGet(() -> {
            log.warn(
                    "{}: Google's answer has no Date header; taking the local clock less {} as the time of the replacement",
                    destination,
                    CLOCK_MARGIN);
            return Instant.now().minus(CLOCK_MARGIN);
        });
        Sent sent = inBatches("add", INGEST, Kind.ADD, audience, hashes, Requests::ingest);
        SortedHashes refused = SortedHashes.empty();
        for (Batch b : sent.batches()) {
            refused = refused.plus(b.refused());
        }
        // A request refused whole (no bad member named, or still refused after the resends) is an
        // ingest that did not succeed: its members are not replaced, so removeAll would drop them.
        List<String> unsent = sent.batches().stream()
                .filter(b -> b.requestId().isEmpty())
                .map(b -> b.refused().size() + " members")
                .toList();
        if (!unsent.isEmpty()) {
            throw new DestinationException("full refresh: Google refused requests of " + String.join(", ", unsent)
                    + " without naming each bad member (" + String.join("; ", sent.notes())
                    + "), so nobody was removed; "
                    + "the next run replaces the members again");
        }
        SortedHashes members = hashes.minus(refused);
        Replacement replacement = new Replacement(cutoff, sent.requestIds());
        List<String> notes = new ArrayList<>(sent.notes());
        Settlement s = advance(audience, replacement, notes);
        return switch (s.state()) {
            case SUCCEEDED -> new Submission(members, refused, List.of(), notes);
            case RUNNING -> {
                notes.add("full refresh: " + s.message() + "; settled next run");
                yield new Submission(
                        SortedHashes.empty(),
                        refused,
                        List.of(new PendingOperation(replacement.id(), Kind.REPLACE, members, Instant.now())),
                        notes);
            }
            case FAILED ->
                throw new DestinationException(
                        "full refresh: " + s.message() + "; the next run replaces the members again");
        };
    }

    /**
     * How a request a previous run left processing ended, or how far a replacement got. One still
     * not finished {@link #GIVE_UP_AFTER} after it was sent counts as failed, so that its members
     * go again and the audience's other changes (removes among them) no longer wait for it.
     */
    @Override
    public Settlement settle(RemoteAudience audience, PendingOperation operation) {
        Settlement s = settlement(audience, operation);
        if (s.state() == Settlement.State.RUNNING
                && operation.submittedAt().isBefore(Instant.now().minus(GIVE_UP_AFTER))) {
            return new Settlement(
                    Settlement.State.FAILED,
                    s.message() + ": still processing at Google " + GIVE_UP_AFTER.toHours()
                            + " hours after it was sent (Google's diagnostics guide gives it up to 24), so it is sent again");
        }
        return s;
    }

    private Settlement settlement(RemoteAudience audience, PendingOperation operation) {
        if (operation.kind() == Kind.REPLACE) {
            return Replacement.parse(operation.id())
                    .map(r -> advance(audience, r, new ArrayList<>()))
                    .orElseGet(() ->
                            new Settlement(Settlement.State.FAILED, "not a replacement this build can go on with"));
        }
        RequestVerdict v = retrieve(operation.id());
        return switch (v.state()) {
            case SUCCEEDED ->
                new Settlement(
                        Settlement.State.SUCCEEDED,
                        "SUCCESS"
                                + v.matchRate()
                                        .map(r -> ", " + matchRate(audience, r))
                                        .orElse(""));
            case FAILED -> new Settlement(Settlement.State.FAILED, v.failure() + advice(v));
            case PROCESSING -> new Settlement(Settlement.State.RUNNING, "PROCESSING");
        };
    }

    /**
     * Takes a replacement as far as Google lets it: once every ingest succeeded, removeAll, and
     * then whether that succeeded. Sending removeAll again with the same time (when an earlier one
     * was still processing) removes nothing more, as nobody was added in between.
     */
    private Settlement advance(RemoteAudience audience, Replacement replacement, List<String> notes) {
        Map<String, RequestVerdict> ingests = await(replacement.ingests());
        List<String> failed = new ArrayList<>();
        int processing = 0;
        for (String id : replacement.ingests()) {
            RequestVerdict v = ingests.getOrDefault(id, RequestVerdict.UNKNOWN);
            v.matchRate().ifPresent(r -> notes.add(matchRate(audience, r)));
            switch (v.state()) {
                case FAILED ->
                    failed.add("ingest request " + id + " failed at Google (" + v.failure() + ")" + advice(v));
                case PROCESSING -> processing++;
                case SUCCEEDED -> {}
            }
        }
        if (!failed.isEmpty()) {
            return new Settlement(Settlement.State.FAILED, String.join("; ", failed) + ", so nobody was removed");
        }
        if (processing > 0) {
            return new Settlement(
                    Settlement.State.RUNNING,
                    processing + " of " + replacement.ingests().size()
                            + " ingest requests still processing at Google, so nobody was removed yet");
        }
        String listId = audience.ids().get(USER_LIST_ID);
        String what = "remove the members added before " + replacement.removeAsOf() + " from user list " + listId;
        String requestId = requestId(call(
                what,
                () -> http.post(
                        "/v1/audienceMembers:removeAll",
                        Requests.removeAll(target(audience), replacement.removeAsOf()),
                        Map.of())));
        log.info("{}: {}: request id {}", destination, what, requestId);
        notes.add("removeAll of members added before " + replacement.removeAsOf() + ": request id " + requestId);
        RequestVerdict removed = await(List.of(requestId)).getOrDefault(requestId, RequestVerdict.UNKNOWN);
        return switch (removed.state()) {
            case SUCCEEDED -> new Settlement(Settlement.State.SUCCEEDED, "replaced all members");
            case FAILED ->
                new Settlement(
                        Settlement.State.FAILED,
                        "removeAll request " + requestId + " failed at Google (" + removed.failure() + ")"
                                + advice(removed));
            case PROCESSING ->
                new Settlement(Settlement.State.RUNNING, "removeAll request " + requestId + " still processing");
        };
    }

    /** One request's worth of members: those Google refused outright, and the request it accepted for the rest. */
    private record Batch(SortedHashes refused, Optional<String> requestId, SortedHashes sent) {}

    /** The batches of one call, in the order of the (sorted) hashes, and what the user should know of them. */
    private record Sent(List<Batch> batches, List<String> notes) {
        List<String> requestIds() {
            return batches.stream().flatMap(b -> b.requestId().stream()).toList();
        }
    }

    /**
     * Sends the hashes, at most {@code members_per_request} a request. A refusal that is about
     * members (Google's fast-fail model refuses the whole request for one bad member) fails only
     * the members it names, and the rest of the request goes again; when it names none, that one
     * request's members fail and the other requests go on. Any other refusal fails the call; the
     * requests Google had accepted before it are left pending, to be settled next run.
     */
    private Sent inBatches(
            String verb,
            String path,
            Kind kind,
            RemoteAudience audience,
            SortedHashes hashes,
            BiFunction<Requests.Target, SortedHashes, JsonNode> body) {
        Requests.Target target = target(audience);
        List<Batch> batches = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int size = hashes.size();
        for (int from = 0; from < size; from += settings.membersPerRequest()) {
            int to = Math.min(size, from + settings.membersPerRequest());
            String what = verb + " members " + (from + 1) + "-" + to + " of " + size + " (user list "
                    + target.userListId() + ")";
            try {
                batches.add(send(what, path, target, hashes.slice(from, to), body, notes));
            } catch (DataManagerApiException e) {
                if (batches.isEmpty()) {
                    throw failure(what, e);
                }
                List<PendingOperation> pending = batches.stream()
                        .filter(b -> b.requestId().isPresent())
                        .map(b -> new PendingOperation(b.requestId().get(), kind, b.sent(), Instant.now()))
                        .toList();
                SortedHashes refused = SortedHashes.empty();
                for (Batch b : batches) {
                    refused = refused.plus(b.refused());
                }
                throw new PartlyDone(new Submission(SortedHashes.empty(), refused, pending, notes), failure(what, e));
            }
        }
        List<String> ids = new Sent(batches, notes).requestIds();
        if (!ids.isEmpty()) {
            notes.add(0, verb + " request ids: " + String.join(", ", ids));
        }
        return new Sent(batches, notes);
    }

    /** One request, sent again without the members Google named as bad, a bounded number of times. */
    private Batch send(
            String what,
            String path,
            Requests.Target target,
            SortedHashes batch,
            BiFunction<Requests.Target, SortedHashes, JsonNode> body,
            List<String> notes) {
        SortedHashes members = batch;
        SortedHashes refused = SortedHashes.empty();
        for (int resend = 0; ; resend++) {
            SortedHashes sending = members;
            try {
                String requestId =
                        requestId(resilience.call(what, () -> http.post(path, body.apply(target, sending), Map.of())));
                log.info("{}: {}: request id {}", destination, what, requestId);
                return new Batch(refused, Optional.of(requestId), sending);
            } catch (DataManagerApiException e) {
                if (!(e.httpStatus() == 400 && aboutMembers(e))) {
                    throw e;
                }
                SortedHashes named = named(sending, e);
                String reasons = String.join(
                        ", ",
                        e.violations().stream()
                                .map(MemberViolation::reason)
                                .distinct()
                                .toList());
                if (named.isEmpty() || named.size() == sending.size() || resend >= MAX_RESENDS) {
                    log.warn(
                            "{}: {}: Google refused this request ({}); its {} hashes go again next run",
                            destination,
                            what,
                            e.getMessage(),
                            sending.size());
                    notes.add(what + " refused: " + e.getMessage());
                    return new Batch(refused.plus(sending), Optional.empty(), SortedHashes.empty());
                }
                log.warn(
                        "{}: {}: Google refused {} members ({}); sending the other {} again",
                        destination,
                        what,
                        named.size(),
                        reasons,
                        sending.size() - named.size());
                notes.add(what + ": " + named.size() + " members refused (" + reasons + ")");
                refused = refused.plus(named);
                members = sending.minus(named);
            }
        }
    }

    /** Whether a 400 is about the members of the request rather than the list, the account or the request's shape. */
    private static boolean aboutMembers(DataManagerApiException e) {
        return MEMBER_DATA_REASONS.contains(e.reason())
                || e.violations().stream().anyMatch(v -> v.member() >= 0 || MEMBER_DATA_REASONS.contains(v.reason()));
    }

    /** The members a refusal names by their index in the request ({@code audience_members[i]}). */
    private static SortedHashes named(SortedHashes sent, DataManagerApiException e) {
        List<byte[]> named = new ArrayList<>();
        e.violations().stream()
                .mapToInt(MemberViolation::member)
                .filter(i -> i >= 0 && i < sent.size())
                .distinct()
                .forEach(i -> named.add(sent.get(i)));
        return SortedHashes.of(named);
    }

    /**
     * What Google made of the accepted requests, asked for up to {@code request_wait}: a request
     * that succeeded is confirmed; one that failed (or partly failed: Google never says which
     * members) fails all its members, which go again next run; one still processing is left
     * pending, and a later run asks again.
     */
    private Submission outcome(RemoteAudience audience, String verb, Kind kind, Sent sent) {
        Map<String, RequestVerdict> verdicts = await(sent.requestIds());
        List<String> notes = new ArrayList<>(sent.notes());
        ByteArrayOutputStream confirmed = new ByteArrayOutputStream();
        ByteArrayOutputStream failed = new ByteArrayOutputStream();
        List<PendingOperation> pending = new ArrayList<>();
        for (Batch b : sent.batches()) {
            SortedHashes failedHere = b.refused();
            if (b.requestId().isPresent()) {
                String id = b.requestId().get();
                RequestVerdict v = verdicts.getOrDefault(id, RequestVerdict.UNKNOWN);
                v.matchRate().ifPresent(r -> notes.add(matchRate(audience, r)));
                switch (v.state()) {
                    case SUCCEEDED -> confirmed.writeBytes(b.sent().toByteArray());
                    case FAILED -> {
                        log.warn(
                                "{}: {} request {} failed at Google ({}); its {} hashes go again next run",
                                destination,
                                verb,
                                id,
                                v.failure(),
                                b.sent().size());
                        notes.add(verb + " request " + id + " failed at Google: " + v.failure() + advice(v));
                        failedHere = failedHere.plus(b.sent());
                    }
                    case PROCESSING -> pending.add(new PendingOperation(id, kind, b.sent(), Instant.now()));
                }
            }
            failed.writeBytes(failedHere.toByteArray());
        }
        if (!pending.isEmpty()) {
            notes.add(pending.size() + " " + verb + " requests still processing at Google after "
                    + settings.requestWait().toSeconds() + " s; settled next run");
        }
        // The batches are consecutive slices of a sorted set, so their concatenation is sorted too.
        return new Submission(
                SortedHashes.fromSorted(confirmed.toByteArray()),
                SortedHashes.fromSorted(failed.toByteArray()),
                pending,
                notes.stream().distinct().toList());
    }

    /** Asks how each request ended until none is processing or {@code request_wait} is over. */
    private Map<String, RequestVerdict> await(List<String> requestIds) {
        Map<String, RequestVerdict> verdicts = new HashMap<>();
        List<String> open = new ArrayList<>(requestIds);
        long deadline = System.nanoTime() + settings.requestWait().toNanos();
        while (!open.isEmpty()) {
            for (Iterator<String> i = open.iterator(); i.hasNext(); ) {
                String id = i.next();
                try {
                    verdicts.put(id, retrieve(id));
                } catch (DestinationException e) {
                    // Accepted all the same: what was not learnt now is asked again next run.
                    log.warn(
                            "{}: cannot ask Google how request {} ended ({}); asking again next run",
                            destination,
                            id,
                            e.getMessage());
                    return verdicts;
                }
                if (verdicts.get(id).state() != RequestVerdict.State.PROCESSING) {
                    i.remove();
                }
            }
            long left = deadline - System.nanoTime();
            if (open.isEmpty() || left <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(settings.pollInterval().toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return verdicts;
    }

    /** {@code requestStatus:retrieve}; a request id Google no longer knows counts as failed, so its members go again. */
    private RequestVerdict retrieve(String requestId) {
        String what = "ask how request " + requestId + " ended";
        try {
            return RequestVerdict.from(resilience
                    .call(
                            what,
                            () -> http.get(
                                    "/v1/requestStatus:retrieve?requestId="
                                            + URLEncoder.encode(requestId, StandardCharsets.UTF_8),
                                    Map.of()))
                    .body());
        } catch (DataManagerApiException e) {
            if (e.httpStatus() == 404) {
                return new RequestVerdict(
                        RequestVerdict.State.FAILED,
                        List.of(new RequestVerdict.ErrorCount("Google does not know the request", 0)),
                        Optional.empty());
            }
            throw failure(what, e);
        }
    }

    @Override
    public Optional<String> matchRate(RemoteAudience audience) {
        return Optional.ofNullable(matchRates.get(audience.ids().get(USER_LIST_ID)));
    }

    /** Remembers the match rate for the report, and says it. */
    private String matchRate(RemoteAudience audience, String range) {
        String readable = RequestVerdict.readable(range);
        matchRates.put(audience.ids().get(USER_LIST_ID), readable);
        return "upload match rate " + readable;
    }

    private Optional<String> findUserList(String displayName) {
        String account = Requests.account(settings.operatingAccountId());
        String filter = URLEncoder.encode("display_name = \"" + displayName + "\"", StandardCharsets.UTF_8)
                .replace("+", "%20");
        JsonNode lists = call(
                        "look for user list '" + displayName + "'",
                        () -> http.get("/v1/" + account + "/userLists?filter=" + filter, loginHeader()))
                .body()
                .path("userLists");
        List<String> ids = new ArrayList<>();
        lists.forEach(l -> ids.add(userListId(l)));
        if (ids.size() > 1) {
            throw new DestinationException("Google Ads account " + settings.operatingAccountId()
                    + " has several user lists named '" + displayName + "' (" + String.join(", ", ids)
                    + "); map the audience to one of them under 'audiences:'");
        }
        return ids.stream().findFirst();
    }

    private String createUserList(String displayName, String description) {
        String account = Requests.account(settings.operatingAccountId());
        JsonNode list = call(
                        "create user list '" + displayName + "'",
                        () -> http.post(
                                "/v1/" + account + "/userLists",
                                Requests.newUserList(displayName, description),
                                loginHeader()))
                .body();
        String id = userListId(list);
        if (id.isEmpty()) {
            throw new DestinationException("Google created user list '" + displayName
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
            return new DestinationException(
                    "Google refused the credentials while trying to " + what + " ("
                            + e.getMessage() + "). Check that they are valid and carry the scope "
                            + GoogleAccessTokens.SCOPE
                            + ", that the Data Manager API is enabled in their Google Cloud project, and that they have access to "
                            + "Google Ads account " + settings.operatingAccountId()
                            + settings.loginAccountId()
                                    .map(l -> " through manager account " + l)
                                    .orElse(" (or set login_account_id to the manager account they use)"),
                    e,
                    true);
        }
        if (e.retryable()) {
            return new DestinationException(
                    "Google did not complete the request to " + what + " in "
                            + settings.resilience().maxAttempts() + " attempts (" + e.getMessage()
                            + "); what Google confirmed "
                            + "is kept, the rest is sent again next run",
                    e);
        }
        // unsigned terms refuse every later request too
        return new DestinationException(
                "Google refused the request to " + what + " (" + e.getMessage() + ")" + advice(e),
                e,
                e.hasReason(TERMS_NOT_ACCEPTED));
    }

    /** What to do about the first reason, ErrorInfo's or a field violation's, that has advice. */
    private String advice(DataManagerApiException e) {
        List<String> reasons = new ArrayList<>(List.of(e.reason()));
        e.violations().forEach(v -> reasons.add(v.reason()));
        return firstAdvice(reasons);
    }

    /** What to do about the first of the reasons Google failed an accepted request for that has advice. */
    private String advice(RequestVerdict v) {
        return firstAdvice(
                v.errors().stream().map(RequestVerdict.ErrorCount::reason).toList());
    }

    private String firstAdvice(List<String> reasons) {
        return reasons.stream()
                .map(this::advice)
                .filter(a -> !a.isEmpty())
                .findFirst()
                .orElse("");
    }

    private String advice(String reason) {
        String account = settings.operatingAccountId();
        return switch (reason) {
            case TERMS_NOT_ACCEPTED ->
                "; accept the Customer Match terms of service in Google Ads account " + account
                        + " (Tools, Shared library, Audience manager)";
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
        return new Requests.Target(
                settings.operatingAccountId(),
                settings.loginAccountId(),
                audience.ids().get(USER_LIST_ID));
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
            findings.add(Finding.ok(
                    subject,
                    "the credentials may read its " + lists.size() + " user lists"
                            + settings.loginAccountId()
                                    .map(l -> " through manager account " + l)
                                    .orElse("")));
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
            JsonNode answer = resilience
                    .call(
                            "read the user lists of Google Ads account " + settings.operatingAccountId(),
                            () -> http.get(path + query, loginHeader()))
                    .body();
            answer.path("userLists")
                    .forEach(l -> lists.put(userListId(l), l.path("displayName").asText("")));
            page = answer.path("nextPageToken").asText("");
        } while (!page.isEmpty());
        return lists;
    }

    private Finding checkList(AudienceDefinition audience, String known, Map<String, String> lists) {
        String subject = "audience " + audience.id();
        String account = settings.operatingAccountId();
        String mapped = settings.userLists().get(audience.id());
        if (mapped != null && known != null && !known.equals(mapped)) {
            return Finding.wrong(
                    subject,
                    "mapped to user list " + mapped + " but synced to user list " + known,
                    "a sync refuses this audience; see its error message for how to move it to list " + mapped);
        }
        String id = mapped != null ? mapped : known;
        if (id != null) {
            return lists.containsKey(id)
                    ? Finding.ok(subject, "user list " + id + " ('" + lists.get(id) + "')")
                    : Finding.wrong(
                            subject,
                            "user list " + id
                                    + (mapped != null
                                            ? ", mapped under 'audiences:',"
                                            : ", which the " + "sync state remembers,")
                                    + " is not a user list of Google Ads account " + account,
                            mapped != null
                                    ? "check the list id under 'audiences:' and operating_account_id"
                                    : "check operating_account_id; if the list was deleted, delete " + destination + "/"
                                            + audience.id() + ".state in the state directory to start a new list");
        }
        String name = displayName(audience);
        List<String> named = lists.entrySet().stream()
                .filter(l -> l.getValue().equals(name))
                .map(Map.Entry::getKey)
                .toList();
        if (named.size() > 1) {
            return Finding.wrong(
                    subject,
                    "several user lists are named '" + name + "' (" + String.join(", ", named) + ")",
                    "map the audience to one of them under 'audiences:'");
        }
        return Finding.ok(
                subject,
                named.isEmpty()
                        ? "the first sync creates user list '" + name + "'"
                        : "the first sync replaces the members of user list " + named.get(0) + " ('" + name + "')");
    }

    /** No token: either Google's token endpoint could not be reached, or it refused the credentials. */
    private static Finding tokenTrouble(RuntimeException e) {
        // the same test the sync's token supplier applies, so that check and sync agree on what a network error is
        Optional<Throwable> noAnswer = GoogleAccessTokens.noAnswer(e);
        if (noAnswer.isPresent()) {
            return Finding.wrong(
                    "credentials",
                    "cannot reach Google's token endpoint (" + noAnswer.get() + ")",
                    "check the network, proxy and firewall between this machine and the token endpoint (the key file's "
                            + "token_uri, normally https://oauth2.googleapis.com/token); the key itself was not tried");
        }
        return Finding.wrong(
                "credentials",
                e.getMessage(),
                "use a current key of a service account that is not disabled "
                        + "(Google Cloud console, IAM, Service accounts, Keys), or renew the application default credentials");
    }

    private Finding accountTrouble(String subject, DataManagerApiException e) {
        String account = settings.operatingAccountId();
        if (e.credentialsRefused()) {
            return Finding.wrong(
                    subject,
                    "Google gave a token but refuses access to Google Ads account " + account + " (" + e.getMessage()
                            + ")",
                    "check operating_account_id, the customer id of the Google Ads account whose "
                            + "lists get the members; that the service account is a user of it, or login_account_id names the manager "
                            + "account it uses; and that the Data Manager API is enabled in the key's Google Cloud project");
        }
        if (e.retryable()) {
            return Finding.wrong(
                    subject,
                    "Google did not answer in " + settings.resilience().maxAttempts() + " attempts (" + e.getMessage()
                            + ")",
                    "check the network and the endpoint " + settings.endpoint() + ", then run check again");
        }
        String advice = advice(e.reason());
        return Finding.wrong(
                subject,
                "Google refused to list its user lists (" + e.getMessage() + ")",
                advice.isEmpty() ? "see Google's message" : advice.substring(2));
    }

    /** The userLists methods take the login account as a header rather than in the body. */
    private Map<String, String> loginHeader() {
        return settings.loginAccountId()
                .map(id -> Map.of("login-account", Requests.account(id)))
                .orElse(Map.of());
    }
}
