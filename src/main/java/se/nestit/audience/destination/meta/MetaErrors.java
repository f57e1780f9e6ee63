package se.nestit.audience.destination.meta;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import se.nestit.audience.destination.DestinationException;

/**
 * What Meta's errors mean for this job: which are worth another attempt, which make the whole
 * destination unusable, and what the user should do about each. Codes from Meta's Marketing API
 * error reference, the Custom Audience reference pages and the mappings of open-source syncs
 * (RudderStack's fb_custom_audience, Segment's facebook-custom-audiences).
 */
final class MetaErrors {

    /** Application, user, page, custom and custom-audience (business use case) rate limits. */
    static final Set<Integer> RATE_LIMITS = Set.of(4, 17, 32, 613, 80003);
    /** "An unknown error occurred", "Service temporarily unavailable". */
    static final Set<Integer> TRANSIENT = Set.of(1, 2);

    static final int INVALID_TOKEN = 190;
    /** Permission errors: no permission, permissions error, ads_management missing. */
    static final Set<Integer> PERMISSION = Set.of(10, 200, 294);

    static final int INVALID_PARAMETER = 100;
    /** With code 100: the object does not exist, cannot be loaded due to missing permissions, or does not support this. */
    static final int NO_SUCH_OBJECT = 33;

    static final int TERMS_NOT_ACCEPTED = 2655;
    /** "You are calling a deprecated version of the Ads API." */
    static final int DEPRECATED_VERSION = 2635;

    static final int AUDIENCE_NOT_SHARED = 1487301;
    static final int AUDIENCE_DELETED = 1487366;
    static final int AUDIENCE_UPDATE_FAILED = 2650;
    static final int UPDATE_IN_PROGRESS = 1870145;
    static final int SESSION_TIMED_OUT = 1870158;
    static final int FIRST_BATCH_NOT_ONE = 1870147;
    static final int SESSION_ALREADY_FINISHED = 1870159;
    static final int PARTIAL_UPDATE = 1870148;
    static final int TOO_LARGE = 1870144;

    private final MetaSettings settings;

    MetaErrors(MetaSettings settings) {
        this.settings = settings;
    }

    /** Worth another attempt: rate limits, Meta's transient errors, HTTP 5xx and 429, no answer at all. */
    static boolean retryable(Throwable t) {
        return t instanceof UncheckedIOException || (t instanceof GraphException g && retryable(g.error()));
    }

    static boolean retryable(GraphError e) {
        if (e.code() == INVALID_TOKEN
                || PERMISSION.contains(e.code())
                || e.is(TERMS_NOT_ACCEPTED)
                || e.code() == DEPRECATED_VERSION
                || e.is(AUDIENCE_NOT_SHARED)
                || e.is(AUDIENCE_DELETED)) {
            return false;
        }
        if (e.code() == AUDIENCE_UPDATE_FAILED) {
            // another update of the audience may finish any moment; the other 2650s will not change
            return e.subcode() == UPDATE_IN_PROGRESS;
        }
        return RATE_LIMITS.contains(e.code())
                || TRANSIENT.contains(e.code())
                || e.httpStatus() == 429
                || e.httpStatus() >= 500;
    }

    /** How long Meta asked to wait before the next attempt, if it said. */
    static Optional<Duration> retryAfter(Throwable t) {
        return t instanceof GraphException g ? g.error().retryAfter() : Optional.empty();
    }

    /** Errors after which no call of this destination can succeed this run. */
    static boolean stopsDestination(Throwable t) {
        return t instanceof GraphException g
                && (g.error().code() == INVALID_TOKEN
                        || PERMISSION.contains(g.error().code())
                        || g.error().is(TERMS_NOT_ACCEPTED)
                        || g.error().code() == DEPRECATED_VERSION);
    }

    /**
     * The message a user reads: what was being done, Meta's own words with its codes, and what to do.
     *
     * @param what what the call did, e.g. {@code add 10000 members to custom audience 123}
     * @param audience the definition's id and Meta's audience id, for advice about the audience;
     *     null for calls about the ad account
     * @param failure a {@link GraphException}, or an {@link UncheckedIOException} when no answer came
     */
    DestinationException explain(String what, Audience audience, RuntimeException failure) {
        String attempts = retryable(failure) && settings.resilience().maxAttempts() > 1
                ? " (gave up after " + settings.resilience().maxAttempts() + " attempts)"
                : "";
        if (failure instanceof GraphException g) {
            GraphError e = g.error();
            String advice = advice(e, audience);
            return new DestinationException(
                    "cannot " + what + attempts + ": Meta says: " + e.metaSays() + " (" + e.reference() + ")."
                            + (advice.isEmpty() ? "" : " " + advice),
                    failure);
        }
        return new DestinationException(
                "cannot " + what + attempts + ": Meta did not answer (" + failure.getMessage()
                        + "). Check the network and the endpoint " + settings.endpoint()
                        + "; the next run sends what is left.",
                failure);
    }

    private String advice(GraphError e, Audience audience) {
        String account = "act_" + settings.adAccountId();
        String stopped = " Nothing more is sent to this destination in this run.";
        if (e.code() == INVALID_TOKEN) {
            return "The access token has expired or is no longer valid. Renew the system user's token: Business Settings → "
                    + "Users → System users → (the system user) → Generate new token, for your app, with the ads_management "
                    + "permission; put it in the environment variable " + settings.tokenVariable()
                    + " and run sync again."
                    + stopped;
        }
        if (e.is(TERMS_NOT_ACCEPTED)) {
            return "An admin of ad account " + account
                    + " must accept Meta's Custom Audience terms (Ads Manager → Audiences → "
                    + "Create audience → Custom audience → Customer list shows them), then run sync again." + stopped;
        }
        if (PERMISSION.contains(e.code())) {
            return "The system user may not manage this ad account's audiences: in Business Settings assign ad account "
                    + account + " to the system user with full control, generate its token with the ads_management "
                    + "permission, and run sync again." + stopped;
        }
        if (e.code() == DEPRECATED_VERSION) {
            return "Meta no longer serves Graph API " + settings.apiVersion()
                    + ": set api_version to a current version "
                    + "(Meta's Marketing API changelog lists them) and run sync again." + stopped;
        }
        if (e.is(AUDIENCE_NOT_SHARED)) {
            return "The custom audience belongs to another ad account and is not shared with " + account
                    + ": share it with " + account
                    + " in the business that owns it, or set ad_account_id to the account that owns it.";
        }
        if (audience != null
                && (e.is(AUDIENCE_DELETED) || (e.code() == INVALID_PARAMETER && e.subcode() == NO_SUCH_OBJECT))) {
            return "Custom audience " + audience.metaId() + " ('" + audience.name()
                    + "'), which this job remembers in its "
                    + "state, was deleted at Meta or this system user lost access to it. It is not replaced on its own: a new "
                    + "audience would be missing from every ad set that targets the old one. If access was lost, assign ad "
                    + "account " + account
                    + " to the system user again. If the audience was deleted, delete the state file "
                    + "<state>/<destination>/" + audience.id() + ".state and run sync: a new custom audience named '"
                    + audience.name() + "' is created and filled; then select it in your ad sets.";
        }
        if (e.code() == AUDIENCE_UPDATE_FAILED) {
            return switch (e.subcode()) {
                case UPDATE_IN_PROGRESS ->
                    "Meta is still applying another change to this audience, such as the replace "
                            + "session of an interrupted run, which Meta ends after at most 90 minutes. Run sync again later.";
                case SESSION_TIMED_OUT ->
                    "The replace session outlasted Meta's 90-minute limit and was ended. The sync "
                            + "state was not changed; run sync --full-refresh again to start a new session (raise "
                            + "rate_limit.per_second if the batches went out too slowly).";
                case PARTIAL_UPDATE ->
                    "Meta applied the replacement only in part. The sync state was not changed; run "
                            + "sync --full-refresh again.";
                case TOO_LARGE ->
                    "Meta refused to replace an audience this large. Split the audience, or sync it without "
                            + "--full-refresh.";
                case FIRST_BATCH_NOT_ONE, SESSION_ALREADY_FINISHED ->
                    "Meta did not accept the order of the replace "
                            + "session's batches. The sync state was not changed; run sync --full-refresh again, and report "
                            + "this if it happens again.";
                default -> "";
            };
        }
        if (RATE_LIMITS.contains(e.code()) || e.httpStatus() == 429) {
            return "Meta kept throttling this ad account; the next run sends what is left (a lower rate_limit.per_second "
                    + "spreads the calls).";
        }
        if (retryable(e)) {
            return "Meta kept failing; the next run sends what is left.";
        }
        return "";
    }

    /** One audience as messages name it: the definition's id, Meta's name for it and Meta's id. */
    record Audience(String id, String name, String metaId) {}
}
