package se.nestit.audience.destination.datamanager;

import java.util.function.Supplier;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.NetworkDestination;
import se.nestit.audience.identity.Normalization;

/**
 * The {@code google-data-manager} destination: Google Ads Customer Match through Google's Data
 * Manager API, the way for advertisers whose Google Ads developer token never uploaded Customer
 * Match before 2026-04-01 (the Google Ads API refuses them since). Emails are normalized the way
 * Google asks (Gmail dots and {@code +tags} removed) and sent as hex SHA-256.
 */
public final class DataManagerDestination {

    public static final String TYPE = "google-data-manager";

    private DataManagerDestination() {}

    /** Reads the settings strictly; a wrong key file stops the run before any data is read. */
    public static Destination create(DestinationSettings destination, DestinationContext context) {
        DataManagerSettings settings = DataManagerSettings.from(destination.node(), context);
        Supplier<String> tokens = settings.credentials()
                .map(file -> GoogleAccessTokens.fromKeyFile(destination.id(), file))
                .orElseGet(() -> GoogleAccessTokens.applicationDefault());
        return new NetworkDestination(
                destination.id(),
                TYPE,
                Normalization.GOOGLE,
                context.state(),
                DataManagerClient.create(destination.id(), settings, tokens),
                context.fullRefresh());
    }
}
