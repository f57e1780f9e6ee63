package se.nestit.audience.spark;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.report.DestinationStatus;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * One file destination's audiences, written as {@code sync} writes them: the same plan against
 * the file already there, carried out by the same {@link FileDestination} from the sorted streams
 * the cluster makes ({@link FileDestination#deliverSorted}), reported the same way. A file that
 * cannot be written fails that audience; the others go on.
 */
final class FileOutput {

    private static final Logger log = LoggerFactory.getLogger(FileOutput.class);

    private final FileDestination destination;

    FileOutput(FileDestination destination) {
        this.destination = destination;
    }

    /**
     * @param desired per audience, its hex digests in this destination's profile, sorted, anew at each call
     * @param exportable every exportable customer's hex digest in the profile, sorted, anew at each
     *     call, for add-only audiences
     * @param deliveries per audience and destination, where each audience's delivery is put
     */
    DestinationReport write(
            List<AudienceDefinition> audiences,
            Function<AudienceDefinition, Supplier<Iterator<String>>> desired,
            Supplier<Iterator<String>> exportable,
            Map<String, Map<String, AudienceDelivery>> deliveries) {
        long start = System.nanoTime();
        long adds = 0;
        long removes = 0;
        String error = null;
        for (AudienceDefinition a : audiences) {
            if (!a.destinations().contains(destination.id())) {
                continue;
            }
            FileDestination.SortedDelivery done = destination.deliverSorted(a, desired.apply(a), exportable);
            if (done.status() == Delivery.Status.BELOW_MIN_SIZE) {
                log.warn(
                        "{}: {} has {} hashes for {}, below its min_size of {}: no file",
                        a.file(),
                        a.id(),
                        done.desired(),
                        destination.id(),
                        a.minSize());
            } else if (done.status() == Delivery.Status.FAILED) {
                log.error("{}: {}: {}", destination.id(), a.id(), done.message());
                error = error == null ? done.message() : error;
            }
            AudienceDelivery delivery = new AudienceDelivery(
                    done.status().reported(),
                    done.desired(),
                    done.adds(),
                    done.removes(),
                    0,
                    done.held(),
                    done.message());
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
