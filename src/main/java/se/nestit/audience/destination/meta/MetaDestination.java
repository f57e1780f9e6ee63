package se.nestit.audience.destination.meta;

import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.NetworkDestination;
import se.nestit.audience.identity.Normalization;

/** The {@code meta} destination type: Meta Custom Audiences through the sync engine. */
public final class MetaDestination {

    public static final String TYPE = "meta";

    private MetaDestination() {}

    /** Reads the settings strictly and builds the destination; secrets come from the environment. */
    public static NetworkDestination create(DestinationSettings settings, DestinationContext context) {
        MetaSettings meta = MetaSettings.read(settings, context);
        return new NetworkDestination(
                settings.id(),
                TYPE,
                Normalization.META,
                context.state(),
                new MetaAudienceClient(settings.id(), meta),
                context.fullRefresh());
    }
}
