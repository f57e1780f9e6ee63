package se.nestit.audience.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.AudiencePlan;

/**
 * Plans each audience at each of its destinations and, for {@code sync}, carries the plan out. A
 * destination that fails is reported and the others carry on.
 */
final class DeliveryStage {

    private static final Logger log = LoggerFactory.getLogger(DeliveryStage.class);

    /** The desired hashes of an audience in a profile, and every exportable customer's hashes in it. */
    interface Hashes {
        SortedHashes desired(AudienceDefinition audience, Normalization profile);

        SortedHashes exportable(Normalization profile);
    }

    private final boolean send;
    private final boolean checkOrphans;
    private final Hashes hashes;
    private final Map<String, DestinationReport> destinationReports = new LinkedHashMap<>();
    private final Map<String, Map<String, AudienceDelivery>> audienceDeliveries = new LinkedHashMap<>();

    /**
     * @param send false for {@code plan}: compute and report, change nothing
     * @param checkOrphans whether every audience definition was loaded, so that a destination's
     *     audiences without one are really orphans (not so with {@code --only})
     */
    DeliveryStage(boolean send, boolean checkOrphans, Hashes hashes) {
        this.send = send;
        this.checkOrphans = checkOrphans;
        this.hashes = hashes;
    }

    void run(List<Destination> destinations, List<AudienceDefinition> audiences) {
        for (Destination d : destinations) {
            long start = System.nanoTime();
            long adds = 0;
            long removes = 0;
            long failed = 0;
            String error = null;
            String stoppedBy = null;
            for (AudienceDefinition a : audiences) {
                if (!a.destinations().contains(d.id())) {
                    continue;
                }
                SortedHashes desired = hashes.desired(a, d.normalization());
                AudienceDelivery delivery;
                if (stoppedBy != null) {
                    delivery = new AudienceDelivery("failed", desired.size(), 0, 0, 0, 0, "not tried: " + stoppedBy);
                } else {
                    try {
                        delivery = deliver(d, a, desired);
                    } catch (DestinationException e) {
                        log.error("{}: {}: {}", d.id(), a.id(), e.getMessage());
                        delivery = new AudienceDelivery("failed", desired.size(), 0, 0, 0, 0, e.getMessage());
                        error = error == null ? e.getMessage() : error;
                        if (e.stopsDestination()) {
                            stoppedBy = e.getMessage();
                        }
                    }
                }
                adds += delivery.adds();
                removes += delivery.removes();
                failed += delivery.failed();
                if (delivery.status().equals("failed") && error == null) {
                    error = a.id() + ": " + delivery.message();
                }
                audienceDeliveries.computeIfAbsent(a.id(), k -> new LinkedHashMap<>()).put(d.id(), delivery);
            }
            warnAboutOrphans(d, audiences);
            double seconds = (System.nanoTime() - start) / 1e9;
            destinationReports.put(d.id(), new DestinationReport(error == null ? "ok" : "failed", d.type(), adds, removes,
                    failed, Math.round(seconds * 1000) / 1000.0, error == null ? "" : error));
        }
    }

    private AudienceDelivery deliver(Destination d, AudienceDefinition a, SortedHashes desired) {
        SortedHashes current = d.current(a);
        AudiencePlan plan = AudiencePlan.of(a, d.id(), desired, current, hashes.exportable(d.normalization()));
        if (plan.belowMinSize()) {
            log.warn("{}: {} has {} hashes for {}, below its min_size of {}: nothing is added{}", a.file(), a.id(),
                    desired.size(), d.id(), a.minSize(), plan.removes().isEmpty() ? "" : " (removes still go)");
        }
        if (!send) {
            return new AudienceDelivery(plan.belowMinSize() ? "below_min_size" : "planned", desired.size(),
                    plan.adds().size(), plan.removes().size(), 0, plan.target().size(), "");
        }
        Delivery done = d.deliver(plan);
        String status = switch (done.status()) {
            case OK -> "ok";
            case BELOW_MIN_SIZE -> "below_min_size";
            case PENDING -> "pending";
            case FAILED -> "failed";
        };
        return new AudienceDelivery(status, desired.size(), done.adds(), done.removes(), done.failed(), done.held(),
                done.message());
    }

    /** Never deletes what a deleted definition left at a destination, but says so every run. */
    private void warnAboutOrphans(Destination d, List<AudienceDefinition> audiences) {
        if (!checkOrphans) {
            return;
        }
        List<String> defined = audiences.stream().map(AudienceDefinition::id).toList();
        for (String held : d.heldAudiences()) {
            if (!defined.contains(held)) {
                log.warn("{}: still holds audience '{}', which has no definition any more; it is left as it is "
                        + "(restore the definition, or empty it with a rule no one matches and sync, to remove its members)",
                        d.id(), held);
            }
        }
    }

    Map<String, DestinationReport> destinationReports() {
        return destinationReports;
    }

    Map<String, AudienceDelivery> deliveries(String audienceId) {
        return audienceDeliveries.getOrDefault(audienceId, Map.of());
    }
}
