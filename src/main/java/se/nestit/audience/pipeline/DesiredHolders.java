package se.nestit.audience.pipeline;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.audit.HolderKeys;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.desired.DesiredLayout;
import se.nestit.audience.desired.HolderFile;
import se.nestit.audience.identity.Normalization;

/**
 * The customers behind each hash as a Spark build wrote them, read per profile when first asked.
 * The build writes only exportable customers, so a hash none of them holds any more (a remove after
 * a withdrawal or a suppression) names no one.
 */
final class DesiredHolders implements HashHolders {

    private final Path dir;
    private final Map<Normalization, HolderFile> files = new EnumMap<>(Normalization.class);
    private final HolderKeys keys = new HolderKeys();

    DesiredHolders(Path dir) {
        this.dir = dir;
    }

    @Override
    public Search search(Normalization profile, boolean signals) {
        return (digest, add) -> keys(profile, digest, signals);
    }

    private int[] keys(Normalization profile, byte[] digest, boolean signals) {
        List<AuditEntry.Holder> all = file(profile).find(digest);
        if (signals) {
            // a build only runs with both signals on the gate's purpose: its record decided them
            all = all.stream()
                    .map(h -> h.consent() == null
                            ? h
                            : new AuditEntry.Holder(
                                    h.customerId(),
                                    h.verdict(),
                                    h.consent(),
                                    Map.of(
                                            ConsentSignal.AD_USER_DATA,
                                            h.consent(),
                                            ConsentSignal.AD_PERSONALIZATION,
                                            h.consent())))
                    .toList();
        }
        return all.stream().mapToInt(keys::key).toArray();
    }

    @Override
    public AuditEntry.Holder holder(int key) {
        return keys.holder(key);
    }

    private synchronized HolderFile file(Normalization profile) {
        return files.computeIfAbsent(profile, p -> HolderFile.read(dir.resolve(DesiredLayout.holders(p))));
    }
}
