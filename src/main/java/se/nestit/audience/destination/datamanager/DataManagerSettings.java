package se.nestit.audience.destination.datamanager;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import se.nestit.audience.config.Secrets;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.HttpEndpoints;
import se.nestit.audience.destination.Resilience;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * A {@code google-data-manager} destination's settings, read strictly.
 *
 * @param operatingAccountId the Google Ads account (customer id, digits only) whose user lists get the members
 * @param loginAccountId the manager account the credentials act through, when they are not a user of the operating account
 * @param credentials a service account key file; empty for application default credentials
 * @param userLists audience id to the Google Ads user list id it syncs to; unmapped audiences get a list of their own
 * @param membersPerRequest audience members in one ingest or remove request (Google allows at most 10,000)
 * @param requestWait how long a sync asks Google how its accepted requests ended before leaving them
 *     pending for the next run (zero: never waits)
 * @param pollInterval how often a waiting sync asks
 */
record DataManagerSettings(
        String operatingAccountId,
        Optional<String> loginAccountId,
        Optional<Path> credentials,
        URI endpoint,
        Map<String, String> userLists,
        int membersPerRequest,
        Duration requestWait,
        Duration pollInterval,
        Resilience.Settings resilience) {

    static final URI DEFAULT_ENDPOINT = URI.create("https://datamanager.googleapis.com");
    static final int MAX_MEMBERS_PER_REQUEST = 10_000;
    static final Duration DEFAULT_REQUEST_WAIT = Duration.ofMinutes(10);
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);
    /**
     * The ingestion quota, 300 requests a minute per project (developers.google.com/data-manager/api/limits),
     * as the rate limiter counts it.
     */
    static final Resilience.Settings DEFAULT_RESILIENCE = new Resilience.Settings(
            Resilience.Settings.DEFAULTS.maxAttempts(),
            Resilience.Settings.DEFAULTS.initialBackoff(),
            Resilience.Settings.DEFAULTS.maxBackoff(),
            300 / 60.0,
            Resilience.Settings.DEFAULTS.timeout());

    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of(
                "type",
                "operating_account_id",
                "login_account_id",
                "credentials",
                "endpoint",
                "audiences",
                "members_per_request",
                "request_wait",
                "poll_interval"));
        keys.addAll(Resilience.Settings.KEYS);
        KEYS = List.copyOf(keys);
    }

    DataManagerSettings {
        userLists = Map.copyOf(userLists);
        if (membersPerRequest < 1 || membersPerRequest > MAX_MEMBERS_PER_REQUEST) {
            throw new IllegalArgumentException(
                    "members_per_request must be between 1 and 10000 but was " + membersPerRequest);
        }
        if (requestWait.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("request_wait must not be negative and poll_interval must be positive");
        }
    }

    static DataManagerSettings from(YamlNode node, DestinationContext context) {
        Map<String, YamlNode> fields = node.fields(KEYS);
        YamlNode operating = node.get("operating_account_id");
        if (operating.isNullOrMissing()) {
            throw operating.error(
                    "required: the 10-digit Google Ads customer id (such as 1234567890) whose user lists get the members");
        }
        Optional<String> login = node.get("login_account_id").isNullOrMissing()
                ? Optional.empty()
                : Optional.of(accountId(node.get("login_account_id")));
        Optional<Path> credentials = Optional.empty();
        YamlNode c = node.get("credentials");
        if (!c.isNullOrMissing()) {
            Path file = Path.of(context.secret(c));
            if (!Files.isRegularFile(file)) {
                throw c.error(
                        "no such file: " + file + " (a service account key in JSON; leave 'credentials' out to use "
                                + "application default credentials)");
            }
            Secrets.warnIfReadableByOthers(file, "service account key");
            credentials = Optional.of(file);
        }
        int perRequest = node.get("members_per_request").isNullOrMissing()
                ? MAX_MEMBERS_PER_REQUEST
                : node.get("members_per_request").integer(1, MAX_MEMBERS_PER_REQUEST);
        Duration wait = node.get("request_wait").isNullOrMissing()
                ? DEFAULT_REQUEST_WAIT
                : node.get("request_wait").duration();
        if (wait.isNegative()) {
            throw node.get("request_wait").error("must not be negative");
        }
        Duration poll = node.get("poll_interval").isNullOrMissing()
                ? DEFAULT_POLL_INTERVAL
                : node.get("poll_interval").duration();
        if (poll.isNegative() || poll.isZero()) {
            throw node.get("poll_interval").error("must be positive");
        }
        return new DataManagerSettings(
                accountId(operating),
                login,
                credentials,
                HttpEndpoints.parse(node.get("endpoint"), DEFAULT_ENDPOINT),
                userLists(node.get("audiences")),
                perRequest,
                wait,
                poll,
                Resilience.Settings.from(fields, DEFAULT_RESILIENCE));
    }

    /**
     * A Google Ads customer id: ten digits, which is what the API takes; Google Ads shows it as
     * {@code 123-456-7890}, which is accepted and sent without its dashes.
     */
    private static String accountId(YamlNode node) {
        String id = node.scalarText().strip();
        if (!id.matches("[0-9]{10}|[0-9]{3}-[0-9]{3}-[0-9]{4}")) {
            throw node.error("expected a 10-digit Google Ads customer id such as 1234567890 (or 123-456-7890)");
        }
        return id.replace("-", "");
    }

    private static Map<String, String> userLists(YamlNode node) {
        Map<String, String> lists = new LinkedHashMap<>();
        if (node.isNullOrMissing()) {
            return lists;
        }
        for (Map.Entry<String, YamlNode> e : node.fields().entrySet()) {
            if (!AudienceDefinition.ID.matcher(e.getKey()).matches()) {
                throw e.getValue().error("not an audience id (expected " + AudienceDefinition.ID + ")");
            }
            String listId = e.getValue().scalarText().strip();
            if (!listId.matches("[0-9]{1,20}")) {
                throw e.getValue().error("expected the numeric id of a Google Ads Customer Match user list");
            }
            lists.put(e.getKey(), listId);
        }
        return lists;
    }
}
