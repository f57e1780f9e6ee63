package se.nestit.audience.destination;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.destination.file.FileDestination;

/** Builds the destinations the config names, checking each one's settings before any data is read. */
public final class DestinationFactory {

    private static final List<String> TYPES = List.of(FileDestination.TYPE);

    private final Path out;

    /** @param out the output directory the file destinations write under */
    public DestinationFactory(Path out) {
        this.out = out;
    }

    public List<Destination> create(List<DestinationSettings> settings) {
        List<Destination> destinations = new ArrayList<>();
        for (DestinationSettings s : settings) {
            destinations.add(create(s));
        }
        return destinations;
    }

    public Destination create(DestinationSettings settings) {
        return switch (settings.type()) {
            case FileDestination.TYPE -> FileDestination.fromSettings(settings, out);
            default -> throw settings.node().get("type").error(
                    "unknown destination type '" + settings.type() + "' (expected one of " + String.join(", ", TYPES) + ")");
        };
    }
}
