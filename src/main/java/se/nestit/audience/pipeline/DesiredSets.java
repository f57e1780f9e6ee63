package se.nestit.audience.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import se.nestit.audience.desired.DesiredLayout;
import se.nestit.audience.desired.DesiredManifest;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.source.InputException;

/** The hashes a Spark build wrote, read when a destination first asks for them. */
final class DesiredSets implements DeliveryStage.Hashes {

    private final Path dir;
    private final DesiredManifest manifest;
    private final Map<String, SortedHashes> read = new ConcurrentHashMap<>();

    DesiredSets(Path dir, DesiredManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * The set of any of the audience's network destinations with this profile: they are all the
     * same, as a build only runs when Google's signals follow the gate's purpose (see {@link DesiredSyncJob}).
     */
    @Override
    public SortedHashes desired(AudienceDefinition audience, Normalization profile, boolean signals) {
        String destination = audience.destinations().stream()
                .filter(d -> profile.configName().equals(manifest.destinations().get(d)))
                .findFirst()
                .orElseThrow(() -> new InputException(dir + ": no desired set of " + audience.id() + " for a "
                        + profile.configName() + " destination; build again with this config"));
        return read(DesiredLayout.desired(destination, audience.id()), true);
    }

    @Override
    public SortedHashes exportable(Normalization profile, boolean signals) {
        return read(DesiredLayout.exportable(profile), false);
    }

    /** Nobody: with the signals on the gate's purpose, every exported customer granted both. */
    @Override
    public Map<String, Long> withheld(AudienceDefinition audience) {
        return Map.of();
    }

    private SortedHashes read(String name, boolean required) {
        return read.computeIfAbsent(name, n -> {
            Path file = dir.resolve(n);
            if (!required && !Files.exists(file)) {
                return SortedHashes.empty();
            }
            try {
                return FileDestination.read(file);
            } catch (IOException | IllegalArgumentException e) {
                throw new InputException(file + ": cannot read the desired hashes (" + e.getMessage() + ")", e);
            }
        });
    }
}
