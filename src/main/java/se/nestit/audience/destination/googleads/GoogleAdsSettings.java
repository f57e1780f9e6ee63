package se.nestit.audience.destination.googleads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.Secrets;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.Resilience;

/**
 * A {@code google-ads} destination's settings, read strictly.
 *
 * @param customerId the Google Ads account that holds the user lists, digits only
 * @param loginCustomerId the manager account to log in through, digits only; overrides ads.properties
 * @param properties an {@code ads.properties} file; empty: the client library's {@code GOOGLE_ADS_*} environment variables
 * @param endpoint {@code host:port} instead of Google's; a loopback host is spoken to in plaintext (tests, local fakes)
 * @param listPrefix put before the audience id to name the user list
 * @param membershipDays how long a member stays on the list without being uploaded again (at most 540)
 * @param identifiersPerRequest operations in one AddOfflineUserDataJobOperations call
 * @param jobWait how long a sync waits for a job before leaving it pending for the next run (zero: never waits)
 * @param pollInterval how often a waiting sync asks for the job's status
 */
public record GoogleAdsSettings(
        String customerId,
        Optional<String> loginCustomerId,
        Optional<Path> properties,
        Optional<String> endpoint,
        String listPrefix,
        int membershipDays,
        int identifiersPerRequest,
        Duration jobWait,
        Duration pollInterval,
        Resilience.Settings resilience) {

    /** Google's limit on a CRM-based list's membership life span. */
    public static final int MAX_MEMBERSHIP_DAYS = 540;
    /** Google's limit on user identifiers in one request. */
    public static final int MAX_IDENTIFIERS_PER_REQUEST = 100_000;

    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of(
                "type",
                "customer_id",
                "login_customer_id",
                "properties",
                "endpoint",
                "list_prefix",
                "membership_days",
                "identifiers_per_request",
                "job_wait",
                "poll_interval"));
        keys.addAll(Resilience.Settings.KEYS);
        KEYS = List.copyOf(keys);
    }

    private static final Pattern CUSTOMER_ID = Pattern.compile("[0-9]{10}");
    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9.\\-]+:[0-9]{1,5}|\\[[0-9A-Fa-f:]+]:[0-9]{1,5}");

    public static GoogleAdsSettings from(DestinationSettings settings, DestinationContext context) {
        YamlNode node = settings.node();
        Map<String, YamlNode> fields = node.fields(KEYS);
        YamlNode customer = node.get("customer_id");
        if (customer.isNullOrMissing()) {
            throw customer.error(
                    "required: the Google Ads account (customer id, such as 123-456-7890) that holds the lists");
        }
        Optional<Path> properties = node.get("properties").isNullOrMissing()
                ? Optional.empty()
                : Optional.of(Path.of(context.secret(node.get("properties"))));
        properties
                .filter(Files::isRegularFile)
                .ifPresent(p ->
                        Secrets.warnIfReadableByOthers(p, "ads.properties file (developer " + "token, OAuth secrets)"));
        Optional<String> endpoint = node.get("endpoint").optionalString();
        if (endpoint.isPresent() && !ENDPOINT.matcher(endpoint.get()).matches()) {
            throw node.get("endpoint").error("expected host:port, such as googleads.googleapis.com:443");
        }
        return new GoogleAdsSettings(
                customerId(customer),
                node.get("login_customer_id").isNullOrMissing()
                        ? Optional.empty()
                        : Optional.of(customerId(node.get("login_customer_id"))),
                properties,
                endpoint,
                node.get("list_prefix").optionalString().orElse(""),
                node.get("membership_days").isNullOrMissing()
                        ? MAX_MEMBERSHIP_DAYS
                        : node.get("membership_days").integer(1, MAX_MEMBERSHIP_DAYS),
                node.get("identifiers_per_request").isNullOrMissing()
                        ? 10_000
                        : node.get("identifiers_per_request").integer(1, MAX_IDENTIFIERS_PER_REQUEST),
                node.get("job_wait").isNullOrMissing()
                        ? Duration.ofMinutes(10)
                        : node.get("job_wait").duration(),
                positive(node.get("poll_interval"), Duration.ofSeconds(30)),
                Resilience.Settings.from(fields, Resilience.Settings.DEFAULTS));
    }

    /** A customer id as people write it ({@code 123-456-7890}, or the bare number), as digits. */
    private static String customerId(YamlNode node) {
        String digits = node.scalarText().strip().replace("-", "");
        if (!CUSTOMER_ID.matcher(digits).matches()) {
            throw node.error("expected a 10-digit Google Ads customer id such as 123-456-7890");
        }
        return digits;
    }

    private static Duration positive(YamlNode node, Duration fallback) {
        if (node.isNullOrMissing()) {
            return fallback;
        }
        Duration d = node.duration();
        if (d.isZero()) {
            throw node.error("must be longer than zero");
        }
        return d;
    }
}
