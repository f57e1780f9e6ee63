package se.nestit.audience.destination.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.AudienceClient;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.destination.Ownership;
import se.nestit.audience.destination.Resilience;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * Meta Marketing API Custom Audiences: one customer-list custom audience per audience definition,
 * found by the id the sync state remembers, else by name in the ad account (and then only if this
 * job marked it as its own, or the definition adopts it), else created. Adds go
 * to {@code POST /{id}/users}, removes to {@code DELETE /{id}/users}, a full refresh to a
 * {@code /usersreplace} session, which swaps the members without resetting the learning of the ad
 * sets that use the audience. Every call goes through one {@link Resilience}.
 */
final class MetaAudienceClient implements AudienceClient {

    /** The key of Meta's audience id in the sync state. */
    static final String AUDIENCE_ID = "audience_id";

    static final String SCHEMA = "EMAIL_SHA256";
    static final int PAGE_SIZE = 200;
    /** The ad account's {@code account_status} values under which audiences can be changed: ACTIVE and IN_GRACE_PERIOD. */
    static final int ACCOUNT_ACTIVE = 1;

    static final int ACCOUNT_IN_GRACE_PERIOD = 9;

    private static final Logger log = LoggerFactory.getLogger(MetaAudienceClient.class);

    private final String destination;
    private final MetaSettings settings;
    private final GraphApi graph;
    private final Resilience resilience;
    private final MetaErrors errors;
    private final SecureRandom random = new SecureRandom();
    /** Set by an error no later call can get past (an invalid token, say): the rest of the run skips Meta. */
    MetaAudienceClient(String destination, MetaSettings settings) {
        this.destination = destination;
        this.settings = settings;
        this.graph = new GraphApi(settings);
        this.resilience =
                new Resilience(destination, settings.resilience(), MetaErrors::retryable, MetaErrors::retryAfter);
        this.errors = new MetaErrors(settings);
    }

    @Override
    public RemoteAudience ensure(AudienceDefinition audience, Map<String, String> remembered) {
        String name = settings.audienceName(audience.id());
        String id = remembered.get(AUDIENCE_ID);
        if (id != null) {
            // A remembered audience that is gone is an error, never a reason to create another: ad
            // sets target audiences by id, and a new one would be in none of them.
            MetaErrors.Audience known = new MetaErrors.Audience(audience.id(), name, id);
            call("read custom audience " + id, known, () -> graph.get(id, Map.of("fields", "id,name")));
            return new RemoteAudience(name, Map.of(AUDIENCE_ID, id), false);
        }
        List<Listed> found = call(
                "look for custom audience '" + name + "' in ad account act_" + settings.adAccountId(),
                null,
                () -> audiencesNamed(name));
        if (found.size() > 1) {
            throw new DestinationException(
                    "ad account act_" + settings.adAccountId() + " has " + found.size()
                            + " custom audiences named '" + name + "' (ids "
                            + String.join(", ", found.stream().map(Listed::id).toList())
                            + "); this job cannot tell which one it fills. Delete or rename all but one at Meta, then run sync again.");
        }
        if (found.size() == 1) {
            return found(audience, name, found.get(0));
        }
        ObjectNode body = GraphApi.object()
                .put("name", name)
                .put(
                        "description",
                        (audience.description().isBlank()
                                        ? "Synced by the audience exporter from audience '" + audience.id() + "'"
                                        : audience.description())
                                + " " + Ownership.marker(audience))
                .put("subtype", "CUSTOM")
                .put("customer_file_source", "USER_PROVIDED_ONLY");
        AtomicInteger attempt = new AtomicInteger();
        RemoteAudience created =
                call("create custom audience '" + name + "' in ad account act_" + settings.adAccountId(), null, () -> {
                    if (attempt.incrementAndGet() > 1) {
                        // an earlier attempt may have created it and lost only the answer: never make a second one,
                        // and never take as new one that someone else made meanwhile
                        List<Listed> earlier = audiencesNamed(name);
                        if (!earlier.isEmpty()) {
                            Listed listed = earlier.get(0);
                            return Ownership.created(audience, listed.description())
                                    ? new RemoteAudience(name, Map.of(AUDIENCE_ID, listed.id()), true)
                                    : found(audience, name, listed);
                        }
                    }
                    return new RemoteAudience(
                            name,
                            Map.of(
                                    AUDIENCE_ID,
                                    graph.post(account() + "/customaudiences", body)
                                            .path("id")
                                            .asText("")),
                            true);
                });
        if (id(created).isEmpty()) {
            throw new DestinationException("Meta created custom audience '" + name + "' but did not say its id");
        }
        if (created.created()) {
            log.info("{}: {}: created custom audience {} named '{}'", destination, audience.id(), id(created), name);
        }
        return created;
    }

    /**
     * An audience of the right name that the state does not know: if this job created it, the state
     * was lost, and the engine replaces the members ({@link Ownership}).
     */
    private RemoteAudience found(AudienceDefinition audience, String name, Listed listed) {
        if (Ownership.created(audience, listed.description())) {
            log.info(
                    "{}: {}: found custom audience {} named '{}' in ad account act_{}, created by this job",
                    destination,
                    audience.id(),
                    listed.id(),
                    name,
                    settings.adAccountId());
        } else if (audience.adopt()) {
            log.warn(
                    "{}: {}: adopting custom audience {} named '{}', which this job did not create (adopt: true); its "
                            + "members are replaced",
                    destination,
                    audience.id(),
                    listed.id(),
                    name);
        } else {
            throw Ownership.foreign(
                    audience,
                    "custom audience " + listed.id() + " named '" + name + "' in ad account act_"
                            + settings.adAccountId());
        }
        return new RemoteAudience(name, Map.of(AUDIENCE_ID, listed.id()), false);
    }

    /** A custom audience as the ad account lists it. */
    private record Listed(String id, String name, String description) {}

    private List<Listed> audiencesNamed(String name) {
        return named(customAudiences(), name);
    }

    private static List<Listed> named(List<Listed> audiences, String name) {
        return audiences.stream().filter(a -> a.name().equals(name)).toList();
    }

    /**
     * Every custom audience of the ad account. Pages with the {@code after} cursor as long as Meta
     * says there is a next page; the {@code paging.next} address itself is not followed, as it
     * points at Meta's host whatever the configured endpoint.
     */
    private List<Listed> customAudiences() {
        List<Listed> audiences = new ArrayList<>();
        String after = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("fields", "id,name,description");
            query.put("limit", String.valueOf(PAGE_SIZE));
            if (after != null) {
                query.put("after", after);
            }
            JsonNode page = graph.get(account() + "/customaudiences", query);
            for (JsonNode a : page.path("data")) {
                audiences.add(new Listed(
                        a.path("id").asText(),
                        a.path("name").asText(),
                        a.path("description").asText("")));
            }
            String next = page.path("paging").path("cursors").path("after").asText("");
            after = page.path("paging").hasNonNull("next") && !next.isEmpty() ? next : null;
        } while (after != null);
        return audiences;
    }

    /**
     * Reads the ad account ({@code GET /act_{id}?fields=id,name,account_status}, Marketing API
     * reference developers.facebook.com/docs/marketing-api/reference/ad-account) and its custom
     * audiences ({@code GET /act_{id}/customaudiences}, reference .../ad-account/customaudiences),
     * and finds each audience among them the way {@link #ensure} would. The token and the app
     * secret are tried by the first call; Meta's answer to it says which is wrong.
     */
    @Override
    public List<Finding> check(Map<AudienceDefinition, Map<String, String>> remembered) {
        List<Finding> findings = new ArrayList<>();
        String subject = "ad account " + account();
        List<Listed> audiences;
        try {
            JsonNode read = call(
                    "read ad account " + account(),
                    null,
                    () -> graph.get(account(), Map.of("fields", "id,name,account_status")));
            int status = read.path("account_status").asInt(0);
            String name = "'" + read.path("name").asText("") + "'";
            findings.add(
                    status == ACCOUNT_ACTIVE || status == ACCOUNT_IN_GRACE_PERIOD
                            ? Finding.ok(subject, name + ", account_status " + status)
                            : Finding.wrong(
                                    subject,
                                    name + " has account_status " + status + ", not active (1)",
                                    "Meta may refuse changes to its audiences: see the account's status in Ads Manager or Business Settings"));
            audiences = call("read the custom audiences of ad account " + account(), null, this::customAudiences);
        } catch (DestinationException e) {
            findings.add(
                    Finding.wrong(
                            subject,
                            e.getMessage(),
                            "check ad_account_id, the token in " + settings.tokenVariable()
                                    + " and that the system user is assigned to the ad account with the ads_management permission"));
            return findings;
        }
        remembered.forEach((audience, ids) -> {
            String subjectOf = "audience " + audience.id();
            String name = settings.audienceName(audience.id());
            String id = ids.get(AUDIENCE_ID);
            List<Listed> named = named(audiences, name);
            if (id != null) {
                Optional<Listed> held =
                        audiences.stream().filter(a -> a.id().equals(id)).findFirst();
                findings.add(
                        held.isPresent()
                                ? Finding.ok(
                                        subjectOf,
                                        "custom audience " + id + " ('"
                                                + held.get().name() + "')")
                                : Finding.wrong(
                                        subjectOf,
                                        "custom audience " + id + ", which the sync state remembers, is not in "
                                                + account(),
                                        "if it was deleted, delete " + destination + "/" + audience.id()
                                                + ".state in the state directory "
                                                + "to start a new one; if access was lost, assign the ad account to the system user again"));
            } else if (named.size() > 1) {
                findings.add(Finding.wrong(
                        subjectOf,
                        account() + " has " + named.size() + " custom audiences named '" + name + "' ("
                                + String.join(
                                        ", ", named.stream().map(Listed::id).toList()) + ")",
                        "delete or rename all but one at Meta"));
            } else if (named.isEmpty()) {
                findings.add(Finding.ok(subjectOf, "the first sync creates custom audience '" + name + "'"));
            } else if (Ownership.created(audience, named.get(0).description()) || audience.adopt()) {
                findings.add(Finding.ok(
                        subjectOf,
                        "the first sync replaces the members of custom audience "
                                + named.get(0).id() + " ('" + name + "')"));
            } else {
                findings.add(Finding.wrong(
                        subjectOf,
                        "custom audience " + named.get(0).id() + " ('" + name + "') was not created "
                                + "by this job, so a sync will not touch it",
                        "give the definition another id, or set 'adopt: true' in " + audience.file()
                                + " to take it over on purpose"));
            }
        });
        return findings;
    }

    @Override
    public Submission add(RemoteAudience audience, SortedHashes hashes) {
        return upload("add", audience, hashes, "add %d members to", body -> graph.post(id(audience) + "/users", body));
    }

    @Override
    public Submission remove(RemoteAudience audience, SortedHashes hashes) {
        return upload(
                "remove",
                audience,
                hashes,
                "remove %d members from",
                body -> graph.delete(id(audience) + "/users", body));
    }

    /**
     * Sends the hashes in batches of one session, as Meta's customer-file guide asks of every
     * {@code /users} call: the batches are numbered from 1 and the last one is flagged.
     */
    private Submission upload(
            String operation,
            RemoteAudience audience,
            SortedHashes hashes,
            String verb,
            Function<ObjectNode, JsonNode> send) {
        UploadTally tally = new UploadTally(operation);
        long sessionId = sessionId();
        int perRequest = settings.recordsPerRequest();
        for (int from = 0; from < hashes.size(); from += perRequest) {
            int to = Math.min(hashes.size(), from + perRequest);
            SortedHashes batch = hashes.slice(from, to);
            ObjectNode body = GraphApi.object();
            body.set("payload", payload(batch));
            session(body, sessionId, from / perRequest + 1, to == hashes.size(), hashes.size());
            JsonNode answer;
            try {
                answer = call(
                        String.format(verb, batch.size()) + " custom audience " + id(audience),
                        known(audience),
                        () -> send.apply(body));
            } catch (DestinationException e) {
                if (from == 0) {
                    throw e;
                }
                // the batches before this one are done: the engine keeps them
                SortedHashes sent = hashes.slice(0, from);
                throw new PartlyDone(
                        new Submission(sent.minus(tally.failed()), tally.failed(), List.of(), tally.notes()), e);
            }
            tally.add(UploadAnswer.read(answer, batch));
        }
        return new Submission(hashes.minus(tally.failed()), tally.failed(), List.of(), tally.notes());
    }

    /**
     * Replaces the members in one {@code usersreplace} session: a random session id (Meta wants
     * it unique in the ad account), batches numbered from 1, the last one flagged. Meta swaps the
     * members when the last batch arrives, so only then are the target hashes confirmed; any error
     * before leaves the sync state as it was. One session per audience at a time, at most 90
     * minutes, and no {@code /users} calls meanwhile: the engine sends nothing else to an audience
     * it replaces.
     */
    @Override
    public Submission replace(RemoteAudience audience, SortedHashes hashes) {
        long sessionId = sessionId();
        int perRequest = settings.recordsPerRequest();
        int batches = Math.max(1, (hashes.size() + perRequest - 1) / perRequest);
        UploadTally tally = new UploadTally("replace");
        boolean confirmedEarlier = false;
        for (int seq = 1; seq <= batches; seq++) {
            SortedHashes batch = hashes.slice((seq - 1) * perRequest, Math.min(hashes.size(), seq * perRequest));
            boolean last = seq == batches;
            ObjectNode body = GraphApi.object();
            body.set("payload", payload(batch));
            session(body, sessionId, seq, last, hashes.size());
            AtomicInteger attempt = new AtomicInteger();
            JsonNode answer = call(
                    "replace the members of custom audience " + id(audience) + " (session " + sessionId + ", batch "
                            + seq + " of " + batches + ")",
                    known(audience),
                    () -> {
                        try {
                            attempt.incrementAndGet();
                            return graph.post(id(audience) + "/usersreplace", body);
                        } catch (GraphException e) {
                            // The last batch was accepted by an attempt whose answer never came back:
                            // the session id is ours alone, so nobody else could have finished it.
                            if (last
                                    && attempt.get() > 1
                                    && e.error().subcode() == MetaErrors.SESSION_ALREADY_FINISHED) {
                                return MissingNode.getInstance();
                            }
                            throw e;
                        }
                    });
            if (answer.isMissingNode()) {
                confirmedEarlier = true;
            } else {
                tally.add(UploadAnswer.read(answer, batch));
            }
        }
        List<String> notes = new ArrayList<>(tally.notes());
        notes.add("meta replace: session " + sessionId + " finished after " + batches
                + (batches == 1 ? " batch" : " batches")
                + (confirmedEarlier
                        ? " (the last batch's answer was lost; Meta then reported the session finished)"
                        : ""));
        return new Submission(hashes.minus(tally.failed()), tally.failed(), List.of(), notes);
    }

    /**
     * No: Meta's guide does not say whether usersreplace takes a session without members, so an
     * audience that became empty loses its members through {@code DELETE /users}.
     */
    @Override
    public boolean replacesWithNobody() {
        return false;
    }

    /** A random session id: Meta wants it unique in the ad account. */
    private long sessionId() {
        return random.nextLong(1, Long.MAX_VALUE);
    }

    /** {@code {"session_id", "batch_seq" (from 1), "last_batch_flag", "estimated_num_total"}}. */
    private static void session(ObjectNode body, long sessionId, int batchSeq, boolean last, int total) {
        body.putObject("session")
                .put("session_id", sessionId)
                .put("batch_seq", batchSeq)
                .put("last_batch_flag", last)
                .put("estimated_num_total", total);
    }

    /** {@code {"schema": "EMAIL_SHA256", "data": ["<hash>", ...]}}, the hashes in Meta's normalization. */
    private static ObjectNode payload(SortedHashes batch) {
        ObjectNode payload = GraphApi.object().put("schema", SCHEMA);
        ArrayNode data = payload.putArray("data");
        try {
            batch.forEachHex(data::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // adding to a JSON array does no I/O
        }
        return payload;
    }

    /**
     * One call through the resilience; errors become messages for the user, and an error no
     * later call can get past stops the destination for the rest of the run.
     */
    private <T> T call(String what, MetaErrors.Audience audience, Supplier<T> call) {
        try {
            return resilience.call(what, call);
        } catch (GraphException | UncheckedIOException e) {
            DestinationException explained = errors.explain(what, audience, e);
            throw MetaErrors.stopsDestination(e)
                    ? new DestinationException(explained.getMessage(), explained.getCause(), true)
                    : explained;
        }
    }

    private String account() {
        return "act_" + settings.adAccountId();
    }

    private static String id(RemoteAudience audience) {
        return audience.ids().get(AUDIENCE_ID);
    }

    /** For messages; {@link #ensure} names every audience {@code audience_prefix + definition id}. */
    private MetaErrors.Audience known(RemoteAudience audience) {
        String name = audience.name();
        String definition = name.startsWith(settings.audiencePrefix())
                ? name.substring(settings.audiencePrefix().length())
                : name;
        return new MetaErrors.Audience(definition, name, id(audience));
    }
}
