package se.nestit.audience.destination.googleads;

import com.google.ads.googleads.lib.GoogleAdsClient;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.HttpEndpoints;
import se.nestit.audience.destination.NetworkDestination;
import se.nestit.audience.destination.Resilience;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.sync.StateStore;

/**
 * The {@code google-ads} destination: Customer Match through the Google Ads API (v23) and its
 * official Java client. Credentials come the way Google Ads users keep them: an
 * {@code ads.properties} file ({@code properties:}) or the client library's {@code GOOGLE_ADS_*}
 * environment variables.
 */
public final class GoogleAdsDestination {

    public static final String TYPE = "google-ads";

    private GoogleAdsDestination() {}

    public static NetworkDestination create(DestinationSettings settings, DestinationContext context) {
        GoogleAdsSettings s = GoogleAdsSettings.from(settings, context);
        return create(settings.id(), s, services(settings.node(), s), context.state(), context.fullRefresh());
    }

    /** A destination over given service clients (tests build them over an in-process channel). */
    static NetworkDestination create(
            String id, GoogleAdsSettings s, AdsServices services, StateStore state, boolean fullRefresh) {
        Resilience resilience = new Resilience(id, s.resilience(), AdsErrors::retryable, AdsErrors::retryAfter);
        AdsCalls calls = new AdsCalls(s.customerId(), services, resilience);
        var client = new GoogleAdsAudienceClient(
                new UserLists(id, calls, s.listPrefix(), s.membershipDays(), state),
                new CustomerMatchJobs(id, calls, s.identifiersPerRequest(), s.jobWait(), s.pollInterval()),
                services);
        return new NetworkDestination(id, TYPE, Normalization.GOOGLE, state, client, fullRefresh);
    }

    private static AdsServices services(YamlNode node, GoogleAdsSettings s) {
        GoogleAdsClient.Builder builder = credentials(node, s);
        s.loginCustomerId().ifPresent(id -> builder.setLoginCustomerId(Long.parseLong(id)));
        if (builder.getDeveloperToken() == null) {
            throw node.error("no developer token: set api.googleads.developerToken in "
                    + s.properties().map(Path::toString).orElse("ads.properties (setting 'properties')")
                    + " or the environment variable GOOGLE_ADS_DEVELOPER_TOKEN");
        }
        if (s.endpoint().isPresent() && isLoopback(s.endpoint().get())) {
            // A server on this machine (a test's fake, a local emulator): plaintext, and no OAuth
            // token, which must never travel unencrypted.
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("developer-token", builder.getDeveloperToken());
            if (builder.getLoginCustomerId() != null) {
                headers.put("login-customer-id", builder.getLoginCustomerId().toString());
            }
            return AdsServices.overChannel(
                    ManagedChannelBuilder.forTarget(s.endpoint().get()).usePlaintext(), headers);
        }
        s.endpoint().ifPresent(builder::setEndpoint);
        try {
            return AdsServices.from(builder.build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw node.error("cannot set up the Google Ads client: " + e.getMessage());
        }
    }

    private static GoogleAdsClient.Builder credentials(YamlNode node, GoogleAdsSettings s) {
        try {
            if (s.properties().isEmpty()) {
                return GoogleAdsClient.newBuilder().fromEnvironment();
            }
            Path file = s.properties().get();
            if (!Files.isRegularFile(file)) {
                throw node.get("properties").error(file + ": file not found");
            }
            return GoogleAdsClient.newBuilder().fromPropertiesFile(file.toFile());
        } catch (IOException | IllegalArgumentException e) {
            // the client library's messages name property keys, never their values
            throw node.get(s.properties().isPresent() ? "properties" : "type")
                    .error("cannot read the Google Ads credentials: " + e.getMessage());
        }
    }

    private static boolean isLoopback(String endpoint) {
        return HttpEndpoints.isLoopback(endpoint.substring(0, endpoint.lastIndexOf(':')));
    }
}
