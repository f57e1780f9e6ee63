package se.nestit.audience.destination.datamanager;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
record DataManagerSettings(String operatingAccountId, Optional<String> loginAccountId, Optional<Path> credentials, URI endpoint,
        Map<String, String> userLists, int membersPerRequest, Resilience.Settings resilience) {

    static final URI DEFAULT_ENDPOINT = URI.create("https://datamanager.googleapis.com");
    static final int MAX_MEMBERS_PER_REQUEST = 10_000;
    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of("type", "operating_account_id", "login_account_id", "credentials", "endpoint",
                "audiences", "members_per_request"));
        keys.addAll(Resilience.Settings.KEYS);
        KEYS = List.copyOf(keys);
    }

    DataManagerSettings {
        userLists = Map.copyOf(userLists);
        if (membersPerRequest < 1 || membersPerRequest > MAX_MEMBERS_PER_REQUEST) {
            throw new IllegalArgumentException("members_per_request must be between 1 and 10000 but was " + membersPerRequest);
        }
    }

    static DataManagerSettings from(YamlNode node, DestinationContext context) {
        Map<String, YamlNode> fields = node.fields(KEYS);
        YamlNode operating = node.get("operating_account_id");
        if (operating.isNullOrMissing()) {
            throw operating.error("required: the Google Ads customer id (such as 123-456-7890) whose user lists get the members");
        }
        Optional<String> login = node.get("login_account_id").isNullOrMissing() ? Optional.empty()
                : Optional.of(accountId(node.get("login_account_id")));
        Optional<Path> credentials = Optional.empty();
        YamlNode c = node.get("credentials");
        if (!c.isNullOrMissing()) {
            Path file = Path.of(context.secret(c));
            if (!Files.isRegularFile(file)) {
                throw c.error("no such file: " + file + " (a service account key in JSON; leave 'credentials' out to use "
                        + "application default credentials)");
            }
            Secrets.warnIfReadableByOthers(file, "service account key");
            credentials = Optional.of(file);
        }
        int perRequest = node.get("members_per_request").isNullOrMissing() ? MAX_MEMBERS_PER_REQUEST
                : node.get("members_per_request").integer(1, MAX_MEMBERS_PER_REQUEST);
        return new DataManagerSettings(accountId(operating), login, credentials, HttpEndpoints.parse(node.get("endpoint"), DEFAULT_ENDPOINT),
                userLists(node.get("audiences")), perRequest, Resilience.Settings.from(fields, Resilience.Settings.DEFAULTS));
    }

    /** A Google Ads customer id; the dashes of {@code 123-456-7890} are dropped, as the API wants digits. */
    private static String accountId(YamlNode node) {
        String id = node.scalarText().strip().replace("-", "");
        if (!id.matches("[0-9]{1,20}")) {
            throw node.error("expected a Google Ads customer id such as 123-456-7890");
        }
        return id;
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
