package se.nestit.audience.destination;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.destination.datamanager.DataManagerDestination;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.destination.googleads.GoogleAdsDestination;
import se.nestit.audience.destination.meta.MetaDestination;
import se.nestit.audience.identity.Normalization;

/** Builds the destinations the config names, checking each one's settings before any data is read. */
public final class DestinationFactory {

    private static final Map<String, BiFunction<DestinationSettings, DestinationContext, Destination>> TYPES = Map.of(
            FileDestination.TYPE, (s, c) -> FileDestination.fromSettings(s, c.out()),
            DataManagerDestination.TYPE, DataManagerDestination::create,
            GoogleAdsDestination.TYPE, GoogleAdsDestination::create,
            MetaDestination.TYPE, MetaDestination::create);

    private final DestinationContext context;
    private final boolean offline;

    public DestinationFactory(DestinationContext context) {
        this(context, false);
    }

    private DestinationFactory(DestinationContext context, boolean offline) {
        this.context = context;
        this.offline = offline;
    }

    /**
     * Builds the destinations of a run that contacts no network ({@code plan}): files as
     * configured, and networks as what their sync state says they hold, without reading their
     * settings beyond the type, so that no credential or secret is needed (like {@code verify}).
     */
    public static DestinationFactory offline(DestinationContext context) {
        return new DestinationFactory(context, true);
    }

    public List<Destination> create(List<DestinationSettings> settings) {
        List<Destination> destinations = new ArrayList<>();
        try {
            for (DestinationSettings s : settings) {
                destinations.add(create(s));
            }
            return destinations;
        } catch (RuntimeException e) {
            destinations.forEach(Destination::close);
            throw e;
        }
    }

    /**
     * The normalization a destination's hashes use, read from its settings alone: for checking
     * what it holds without connecting to it (verify needs no credentials).
     */
    public static Normalization normalization(DestinationSettings settings) {
        return switch (settings.type()) {
            case FileDestination.TYPE -> FileDestination.normalization(settings);
            case MetaDestination.TYPE -> Normalization.META;
            case GoogleAdsDestination.TYPE, DataManagerDestination.TYPE -> Normalization.GOOGLE;
            default -> throw unknownType(settings);
        };
    }

    /**
     * Whether a destination type is Google's: only people who granted both of Google's consent
     * signals ({@link se.nestit.audience.consent.ConsentSignal}) are sent to it.
     */
    public static boolean needsConsentSignals(String type) {
        return type.equals(GoogleAdsDestination.TYPE) || type.equals(DataManagerDestination.TYPE);
    }

    public Destination create(DestinationSettings settings) {
        var type = TYPES.get(settings.type());
        if (type == null) {
            throw unknownType(settings);
        }
        if (offline && !settings.type().equals(FileDestination.TYPE)) {
            return NetworkDestination.offline(settings.id(), settings.type(), normalization(settings), context.state());
        }
        return type.apply(settings, context);
    }

    private static RuntimeException unknownType(DestinationSettings settings) {
        return settings.node()
                .get("type")
                .error("unknown destination type '" + settings.type() + "' (expected one of "
                        + String.join(", ", TYPES.keySet().stream().sorted().toList()) + ")");
    }
}
