package se.nestit.audience.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.AudienceStatus;
import se.nestit.audience.report.DestinationStatus;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.AudiencePlan;

/**
 * One file destination's audiences, written as {@code sync} writes them: the same plan against
 * the file already there ({@link AudiencePlan}), carried out by the same {@link FileDestination},
 * reported the same way. A file that cannot be written fails that audience; the others go on.
 */
final class FileOutput {

    private static final Logger log = LoggerFactory.getLogger(FileOutput.class);

    private final FileDestination destination;

    FileOutput(FileDestination destination) {
        this.destination = destination;
    }

    /**
     * @param desired per audience, its hashes in this destination's profile
     * @param exportable every exportable customer's hash in the profile, for add-only audiences
     * @param deliveries per audience and destination, where each audience's delivery is put
     */
    DestinationReport write(
            List<AudienceDefinition> audiences,
            Function<AudienceDefinition, SortedHashes> desired,
            SortedHashes exportable,
            Map<String, Map<String, AudienceDelivery>> deliveries) {
        long start = System.nanoTime();
        long adds = 0;
        long removes = 0;
        String error = null;
        for (AudienceDefinition a : audiences) {
            if (!a.destinations().contains(destination.id())) {
                continue;
            }
            SortedHashes want = desired.apply(a);
            AudienceDelivery delivery;
            try {
                AudiencePlan plan = AudiencePlan.of(a, destination.id(), want, destination.current(a), exportable);
                if (plan.belowMinSize()) {
                    log.warn(
                            "{}: {} has {} hashes for {}, below its min_size of {}: no file",
                            a.file(),
                            a.id(),
                            want.size(),
                            destination.id(),
                            a.minSize());
                }
                Delivery done = destination.deliver(plan);
                delivery = new AudienceDelivery(
                        done.status().reported(),
                        want.size(),
                        done.adds(),
                        done.removes(),
                        done.failed(),
                        done.held(),
                        done.message());
            } catch (DestinationException e) {
                log.error("{}: {}: {}", destination.id(), a.id(), e.getMessage());
                delivery = new AudienceDelivery(AudienceStatus.FAILED, want.size(), 0, 0, 0, 0, e.getMessage());
                error = error == null ? e.getMessage() : error;
            }
            adds += delivery.adds();
            removes += delivery.removes();
            deliveries.computeIfAbsent(a.id(), k -> new LinkedHashMap<>()).put(destination.id(), delivery);
        }
        double seconds = Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
        return new DestinationReport(
                error == null ? DestinationStatus.OK : DestinationStatus.FAILED,
                destination.type(),
                adds,
                removes,
                0,
                seconds,
                error == null ? "" : error,
                Map.of());
    }
}
