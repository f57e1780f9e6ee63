package se.nestit.audience.destination.meta;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.HttpEndpoints;
import se.nestit.audience.destination.Resilience;

/**
 * A {@code meta} destination's settings, read strictly.
 *
 * @param adAccountId the ad account's digits, without {@code act_}
 * @param tokenVariable the environment variable the token comes from, for messages (never the token)
 */
record MetaSettings(
        String adAccountId,
        String accessToken,
        String tokenVariable,
        String appSecret,
        String apiVersion,
        URI endpoint,
        String audiencePrefix,
        int recordsPerRequest,
        Resilience.Settings resilience) {

    static final int MAX_RECORDS_PER_REQUEST = 10_000;
    static final String DEFAULT_API_VERSION = "v24.0";
    static final URI DEFAULT_ENDPOINT = URI.create("https://graph.facebook.com");
    /** Part of the mark on the audiences this job creates, with the description marker. */
    static final String DEFAULT_AUDIENCE_PREFIX = "audience-exporter: ";

    /**
     * Meta's standard access tier allows a business about 5,000 custom audience calls an hour;
     * one a second stays below that. Advanced access allows far more: raise {@code rate_limit}.
     */
    static final Resilience.Settings DEFAULT_RESILIENCE =
            new Resilience.Settings(5, Duration.ofSeconds(2), Duration.ofMinutes(2), 1, Duration.ofMinutes(2));

    private static final List<String> OWN_KEYS = List.of(
            "type",
            "ad_account_id",
            "access_token",
            "app_secret",
            "api_version",
            "endpoint",
            "audience_prefix",
            "records_per_request");
    private static final Pattern AD_ACCOUNT = Pattern.compile("(?:act_)?([0-9]+)");
    private static final Pattern API_VERSION = Pattern.compile("v[0-9]+\\.[0-9]+");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    MetaSettings {
        Objects.requireNonNull(adAccountId, "adAccountId");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(appSecret, "appSecret");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(audiencePrefix, "audiencePrefix");
        Objects.requireNonNull(resilience, "resilience");
    }

    static MetaSettings read(DestinationSettings settings, DestinationContext context) {
        YamlNode node = settings.node();
        List<String> keys = new ArrayList<>(OWN_KEYS);
        keys.addAll(Resilience.Settings.KEYS);
        Map<String, YamlNode> fields = node.fields(keys);

        YamlNode account = node.get("ad_account_id");
        if (account.isNullOrMissing()) {
            throw account.error(
                    "missing: the ad account's id, e.g. act_1234567890 (Business Settings → Accounts → Ad accounts)");
        }
        Matcher digits = AD_ACCOUNT.matcher(account.scalarText().strip());
        if (!digits.matches()) {
            throw account.error("expected the ad account's digits, with or without act_ (e.g. act_1234567890)");
        }

        YamlNode token = node.get("access_token");
        YamlNode secret = node.get("app_secret");
        String tokenVariable = secretReference(token, "a system user's access token");
        secretReference(secret, "the app secret of the Meta app the token belongs to");

        YamlNode version = node.get("api_version");
        String apiVersion = version.optionalString().orElse(DEFAULT_API_VERSION);
        if (!API_VERSION.matcher(apiVersion).matches()) {
            throw version.error("expected a Graph API version such as " + DEFAULT_API_VERSION);
        }

        YamlNode records = node.get("records_per_request");
        int perRequest =
                records.isNullOrMissing() ? MAX_RECORDS_PER_REQUEST : records.integer(1, MAX_RECORDS_PER_REQUEST);

        Resilience.Settings resilience = Resilience.Settings.from(fields, DEFAULT_RESILIENCE);
        return new MetaSettings(
                digits.group(1),
                nonBlank(token, context.secret(token)),
                tokenVariable,
                nonBlank(secret, context.secret(secret)),
                apiVersion,
                HttpEndpoints.parse(node.get("endpoint"), DEFAULT_ENDPOINT),
                node.get("audience_prefix").optionalString().orElse(DEFAULT_AUDIENCE_PREFIX),
                perRequest,
                resilience);
    }

    /** The name the custom audience has at Meta. */
    String audienceName(String audienceId) {
        return audiencePrefix + audienceId;
    }

    /**
     * Secrets must come from the environment: written into the config file they would end up in
     * backups and version control.
     *
     * @return the variable's name
     */
    private static String secretReference(YamlNode node, String what) {
        if (node.isNullOrMissing()) {
            throw node.error("missing: " + what + ", written as ${ENV_VAR}");
        }
        Matcher m = ENV_REFERENCE.matcher(node.string().strip());
        if (!m.matches()) {
            throw node.error("write it as ${ENV_VAR} and put " + what + " in that environment variable; "
                    + "secrets do not belong in the config file");
        }
        return m.group(1);
    }

    private static String nonBlank(YamlNode node, String value) {
        if (value.isBlank()) {
            throw node.error("the environment variable is empty");
        }
        return value.strip();
    }

    @Override
    public String toString() {
        // a record would print the token and the secret
        return "MetaSettings[act_" + adAccountId + ", " + apiVersion + ", " + endpoint + "]";
    }
}
