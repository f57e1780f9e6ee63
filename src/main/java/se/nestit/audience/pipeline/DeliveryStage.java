package se.nestit.audience.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.Delivery;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.destination.StoppedException;
import se.nestit.audience.destination.file.FileDestination;
import se.nestit.audience.guardrail.Guardrails;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.report.AudienceStatus;
import se.nestit.audience.report.DestinationStatus;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.SyncMode;
import se.nestit.audience.sync.AudiencePlan;
import se.nestit.audience.sync.StateException;
import se.nestit.audience.sync.Stopping;

/**
 * Plans each audience at each of its destinations and, for {@code sync}, carries the plan out. A
 * destination that fails is reported and the others carry on.
 */
final class DeliveryStage {

    private static final Logger log = LoggerFactory.getLogger(DeliveryStage.class);

    /**
     * The desired hashes of an audience in a profile, and every exportable customer's hashes in it;
     * with {@code signals}, of those only the customers who granted both of Google's consent signals.
     */
    interface Hashes {
        SortedHashes desired(AudienceDefinition audience, Normalization profile, boolean signals);

        SortedHashes exportable(Normalization profile, boolean signals);

        /** The audience's exported customers kept from a Google destination, by the first signal they did not grant. */
        Map<String, Long> withheld(AudienceDefinition audience);
    }

    private final boolean send;
    private final boolean checkOrphans;
    private final Hashes hashes;
    private final AuditRecorder audit;
    private static final int MAX_PARALLEL_DESTINATIONS = 4;
    private static final String STOPPED = "the run was stopped on request; the next run continues";

    /** Plans made before delivery for the guardrails, by destination and audience; each is used once. */
    private final Map<String, AudiencePlan> previewed = new ConcurrentHashMap<>();

    private Set<String> held = Set.of();
    private Progress progress = Progress.NONE;
    /** For {@code plan}: the plans it reported, by destination and audience, for the removal reasons. */
    private final Map<String, AudiencePlan> planned = new ConcurrentHashMap<>();

    private final Map<String, DestinationReport> destinationReports = new LinkedHashMap<>();
    private volatile boolean interrupted;
    private final Map<String, Map<String, AudienceDelivery>> audienceDeliveries = new LinkedHashMap<>();

    /**
     * @param send false for {@code plan}: compute and report, change nothing
     * @param checkOrphans whether every audience definition was loaded, so that a destination's
     *     audiences without one are really orphans (not so with {@code --only})
     * @param audit where what was sent is recorded; null for {@code plan}, which sends nothing
     */
    DeliveryStage(boolean send, boolean checkOrphans, Hashes hashes, AuditRecorder audit) {
        this.send = send;
        this.checkOrphans = checkOrphans;
        this.hashes = hashes;
        this.audit = audit;
    }

    /**
     * Plans every audience at each of its destinations before anything is sent or written, for
     * the guardrails: per audience, in definition order, its members at each destination before
     * and after. The plans are kept for delivery; one that cannot be made now is left out here and
     * fails again, reported, on delivery.
     */
    Map<String, List<Guardrails.Change>> preview(List<Destination> destinations, List<AudienceDefinition> audiences) {
        // each destination on its own thread, as delivery goes: reading back what it holds is most of the work
        List<Map<String, Guardrails.Change>> byDestination = onEach(destinations, d -> preview(d, audiences));
        Map<String, List<Guardrails.Change>> changes = new LinkedHashMap<>();
        for (AudienceDefinition a : audiences) {
            List<Guardrails.Change> atDestinations = new ArrayList<>();
            for (Map<String, Guardrails.Change> planned : byDestination) {
                Guardrails.Change c = planned.get(a.id());
                if (c != null) {
                    atDestinations.add(c);
                }
            }
            changes.put(a.id(), atDestinations);
        }
        return changes;
    }

    /** One destination's plans, by audience, in definition order. */
    private Map<String, Guardrails.Change> preview(Destination d, List<AudienceDefinition> audiences) {
        Map<String, Guardrails.Change> changes = new LinkedHashMap<>();
        for (AudienceDefinition a : audiences) {
            if (!a.destinations().contains(d.id())) {
                continue;
            }
            try {
                AudiencePlan plan = plan(
                        d, a, hashes.desired(a, d.normalization(), DestinationFactory.needsConsentSignals(d.type())));
                previewed.put(key(d, a), plan);
                // a file below min_size is deleted, where a network keeps whoever is still wanted
                long after = plan.belowMinSize() && d.type().equals(FileDestination.TYPE)
                        ? 0
                        : plan.target().size();
                changes.put(a.id(), new Guardrails.Change(d.id(), plan.current().size(), after));
            } catch (RuntimeException e) {
                // a bug too: delivery meets it again, reports it and goes on with the others
                log.debug("{}: {}: no plan before delivery ({})", d.id(), a.id(), e.getMessage());
            }
        }
        return changes;
    }

    /** Shows the upload to each network as a bar of the members it confirmed of those planned. */
    void showProgress(Progress progress) {
        this.progress = progress;
    }

    /** Audiences a guardrail holds: nobody is added to them, and only people who can no longer be exported leave. */
    void hold(Set<String> audiences) {
        held = Set.copyOf(audiences);
    }

    private static String key(Destination d, AudienceDefinition a) {
        return d.id() + "/" + a.id();
    }

    /**
     * Delivers to every destination at once, each on its own thread: networks are slow to answer
     * and have separate rate limits, and files wait on the disk. Within a destination the
     * audiences go one after the other.
     */
    void run(List<Destination> destinations, List<AudienceDefinition> audiences) {
        List<Map<String, AudienceDelivery>> byDestination = onEach(destinations, d -> deliverAll(d, audiences));
        for (AudienceDefinition a : audiences) {
            for (int i = 0; i < destinations.size(); i++) {
                AudienceDelivery delivery = byDestination.get(i).get(a.id());
                if (delivery != null) {
                    audienceDeliveries
                            .computeIfAbsent(a.id(), k -> new LinkedHashMap<>())
                            .put(destinations.get(i).id(), delivery);
                }
            }
        }
    }

    /** Does {@code work} for every destination at once, each on its own thread; the results in the destinations' order. */
    private static <T> List<T> onEach(List<Destination> destinations, Function<Destination, T> work) {
        if (destinations.isEmpty()) {
            return List.of();
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.min(destinations.size(), MAX_PARALLEL_DESTINATIONS), r -> {
                    Thread t = new Thread(r, "destination");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<T>> runs = new ArrayList<>();
            for (Destination d : destinations) {
                runs.add(pool.submit(() -> work.apply(d)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : runs) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One destination's audiences, in definition order; its report is added when it is done. */
    private Map<String, AudienceDelivery> deliverAll(Destination d, List<AudienceDefinition> audiences) {
        long start = System.nanoTime();
        Map<String, AudienceDelivery> deliveries = new LinkedHashMap<>();
        long adds = 0;
        long removes = 0;
        long failed = 0;
        String error = null;
        String stoppedBy = null;
        boolean stopped = false;
        boolean broken = false;
        Upload upload = send && !d.type().equals(FileDestination.TYPE) ? new Upload(d, audiences) : null;
        for (AudienceDefinition a : audiences) {
            if (!a.destinations().contains(d.id())) {
                continue;
            }
            boolean signals = DestinationFactory.needsConsentSignals(d.type());
            SortedHashes desired = hashes.desired(a, d.normalization(), signals);
            AudienceDelivery delivery;
            if (stoppedBy == null && Stopping.requested()) {
                stopped = true;
                stoppedBy = STOPPED;
            }
            if (stoppedBy != null) {
                delivery = new AudienceDelivery(
                        stopped ? AudienceStatus.INTERRUPTED : AudienceStatus.FAILED,
                        desired.size(),
                        0,
                        0,
                        0,
                        0,
                        "not tried: " + stoppedBy);
            } else {
                try {
                    delivery = deliver(d, a, desired);
                } catch (DestinationException | StateException e) {
                    if (e instanceof DestinationException de && StoppedException.causedBy(de)) {
                        stopped = true;
                        stoppedBy = STOPPED;
                        delivery = interrupted(desired.size(), de.sentBefore(), e.getMessage());
                    } else {
                        log.error("{}: {}: {}", d.id(), a.id(), e.getMessage());
                        delivery =
                                new AudienceDelivery(AudienceStatus.FAILED, desired.size(), 0, 0, 0, 0, e.getMessage());
                        error = error == null ? e.getMessage() : error;
                        if (e instanceof DestinationException de && de.stopsDestination()) {
                            stoppedBy = e.getMessage();
                        }
                    }
                } catch (RuntimeException e) {
                    // a bug, here or in the destination's client: the others still deliver, and this
                    // destination, in a state nobody planned for, tries nothing more this run
                    delivery = unexpected(d, a.id(), desired.size(), e);
                    error = error == null ? delivery.message() : error;
                    stoppedBy = delivery.message();
                    broken = true;
                }
            }
            adds += delivery.adds();
            removes += delivery.removes();
            failed += delivery.failed();
            if (delivery.status() == AudienceStatus.FAILED && error == null) {
                error = a.id() + ": " + delivery.message();
            }
            deliveries.put(a.id(), signals ? delivery.withWithheld(hashes.withheld(a)) : delivery);
            if (upload != null) {
                upload.confirmed(delivery);
            }
        }
        if (upload != null) {
            upload.close();
        }
        // after a stop or an unexpected error the orphans' removes wait for the next run as well
        Map<String, AudienceDelivery> orphans = stopped || broken ? Map.of() : orphans(d, audiences);
        for (Map.Entry<String, AudienceDelivery> o : orphans.entrySet()) {
            removes += o.getValue().removes();
            failed += o.getValue().failed();
            stopped |= o.getValue().status() == AudienceStatus.INTERRUPTED;
            if (o.getValue().status() == AudienceStatus.FAILED && error == null) {
                error = o.getKey() + ": " + o.getValue().message();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (stopped) {
            interrupted = true;
        }
        DestinationStatus status = error != null
                ? DestinationStatus.FAILED
                : stopped ? DestinationStatus.INTERRUPTED : DestinationStatus.OK;
        DestinationReport report = new DestinationReport(
                status,
                d.type(),
                adds,
                removes,
                failed,
                Math.round(seconds * 1000) / 1000.0,
                error != null ? error : stopped ? STOPPED : "",
                orphans);
        synchronized (destinationReports) {
            destinationReports.put(d.id(), report);
        }
        return deliveries;
    }

    /** The bar of one network's upload: the members it confirmed added or removed, of those the plans before delivery name. */
    private final class Upload {
        private final Progress.Task task;
        private final long planned;
        private long confirmed;

        Upload(Destination d, List<AudienceDefinition> audiences) {
            long changes = 0;
            for (AudienceDefinition a : audiences) {
                AudiencePlan plan = previewed.get(key(d, a));
                if (plan != null) {
                    changes += plan.adds().size() + plan.removes().size();
                }
            }
            planned = changes;
            task = progress.start("upload " + d.id(), planned);
        }

        void confirmed(AudienceDelivery delivery) {
            // a plan rebased on what the network turned out to hold may do more than the preview said
            long step = Math.min(delivery.adds() + delivery.removes(), planned - confirmed);
            confirmed += step;
            task.advance(step);
        }

        void close() {
            task.close();
        }
    }

    /**
     * An audience a bug failed at a destination: the message names the exception's class and
     * message (ours name no customer data), the stack goes to the debug log for whoever fixes it.
     */
    private static AudienceDelivery unexpected(Destination d, String audience, long hashes, RuntimeException e) {
        String message =
                "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        log.error("{}: {}: {}", d.id(), audience, message);
        log.debug("{}: {}", d.id(), audience, e);
        return new AudienceDelivery(AudienceStatus.FAILED, hashes, 0, 0, 0, 0, message);
    }

    /** An audience cut short by a stop, with what the destination confirmed before it. */
    private static AudienceDelivery interrupted(long hashes, Delivery.Sent before, String message) {
        return new AudienceDelivery(
                AudienceStatus.INTERRUPTED,
                hashes,
                before.added().size(),
                before.removed().size(),
                before.refused().size(),
                0,
                message);
    }

    private AudienceDelivery deliver(Destination d, AudienceDefinition a, SortedHashes desired) {
        AudiencePlan plan = previewed.remove(key(d, a));
        if (plan == null) {
            plan = plan(d, a, desired);
        }
        boolean isHeld = held.contains(a.id());
        if (isHeld) {
            plan = plan.hold(hashes.exportable(d.normalization(), DestinationFactory.needsConsentSignals(d.type())));
        } else if (plan.belowMinSize()) {
            log.warn(
                    "{}: {} has {} hashes for {}, below its min_size of {}: nothing is added{}",
                    a.file(),
                    a.id(),
                    desired.size(),
                    d.id(),
                    a.minSize(),
                    plan.removes().isEmpty() ? "" : " (removes still go)");
        }
        if (!send) {
            planned.put(key(d, a), plan);
        }
        AudienceDelivery delivery = send
                ? carryOut(d, plan)
                : planned(plan, plan.belowMinSize() ? AudienceStatus.BELOW_MIN_SIZE : AudienceStatus.PLANNED);
        return isHeld && (delivery.status() == AudienceStatus.OK || delivery.status() == AudienceStatus.PLANNED)
                ? new AudienceDelivery(
                        AudienceStatus.HELD,
                        delivery.hashes(),
                        delivery.adds(),
                        delivery.removes(),
                        delivery.failed(),
                        delivery.held(),
                        delivery.message(),
                        delivery.matchRate())
                : delivery;
    }

    private AudiencePlan plan(Destination d, AudienceDefinition a, SortedHashes desired) {
        // only add-only plans look at every exportable customer; the others spare the hashing
        SortedHashes exportable = a.sync() == SyncMode.ADD_ONLY
                ? hashes.exportable(d.normalization(), DestinationFactory.needsConsentSignals(d.type()))
                : SortedHashes.empty();
        return AudiencePlan.of(a, d.id(), desired, d.current(a), exportable);
    }

    private static AudienceDelivery planned(AudiencePlan plan, AudienceStatus status) {
        return new AudienceDelivery(
                status,
                plan.desired().size(),
                plan.adds().size(),
                plan.removes().size(),
                0,
                plan.target().size(),
                "");
    }

    private AudienceDelivery carryOut(Destination d, AudiencePlan plan) {
        AudienceDefinition a = plan.audience();
        Delivery done;
        try {
            done = d.deliver(plan);
        } catch (DestinationException e) {
            audit.record(
                    d.id(),
                    d.normalization(),
                    a,
                    e.sentBefore(),
                    plan.adds(),
                    DestinationFactory.needsConsentSignals(d.type()));
            throw e;
        }
        audit.record(
                d.id(),
                d.normalization(),
                a,
                done.sent(),
                plan.adds(),
                DestinationFactory.needsConsentSignals(d.type()));
        return new AudienceDelivery(
                done.status().reported(),
                plan.desired().size(),
                done.adds(),
                done.removes(),
                done.failed(),
                done.held(),
                done.message(),
                done.matchRate());
    }

    /**
     * An audience a destination still holds but nobody defines any more is kept, never deleted
     * unasked; but whoever can no longer be exported at all (consent withdrawn, suppressed,
     * erased) leaves it as they would leave any other, and nobody is added.
     */
    private Map<String, AudienceDelivery> orphans(Destination d, List<AudienceDefinition> audiences) {
        Map<String, AudienceDelivery> orphans = new LinkedHashMap<>();
        if (!checkOrphans) {
            return orphans;
        }
        Set<String> defined = audiences.stream().map(AudienceDefinition::id).collect(Collectors.toSet());
        for (String held : d.heldAudiences()) {
            if (defined.contains(held) || !AudienceDefinition.ID.matcher(held).matches()) {
                continue;
            }
            log.warn(
                    "{}: still holds audience '{}', which has no definition any more; it is kept, and only members who can "
                            + "no longer be exported are removed from it (restore the definition, or give it a rule nobody matches "
                            + "to empty it)",
                    d.id(),
                    held);
            AudienceDefinition orphan = AudienceDefinition.orphan(held, d.id());
            try {
                AudiencePlan plan = plan(d, orphan, SortedHashes.empty());
                orphans.put(
                        held,
                        plan.removes().isEmpty()
                                ? planned(plan, AudienceStatus.KEPT)
                                : send ? carryOut(d, plan) : planned(plan, AudienceStatus.PLANNED));
            } catch (DestinationException | StateException e) {
                if (e instanceof DestinationException de && StoppedException.causedBy(de)) {
                    orphans.put(held, interrupted(0, de.sentBefore(), e.getMessage()));
                } else {
                    log.error("{}: {}: {}", d.id(), held, e.getMessage());
                    orphans.put(held, new AudienceDelivery(AudienceStatus.FAILED, 0, 0, 0, 0, 0, e.getMessage()));
                }
            } catch (RuntimeException e) {
                orphans.put(held, unexpected(d, held, 0, e));
            }
        }
        return orphans;
    }

    /** Per destination, in the order the config names them. */
    Map<String, DestinationReport> destinationReports(List<Destination> destinations) {
        Map<String, DestinationReport> ordered = new LinkedHashMap<>();
        destinations.forEach(d -> ordered.put(d.id(), destinationReports.get(d.id())));
        return ordered;
    }

    /** Whether a stop cut any delivery short. */
    boolean interrupted() {
        return interrupted;
    }

    /** For {@code plan}: what it would do to each audience at each of its destinations. */
    Collection<AudiencePlan> plans() {
        return planned.values();
    }

    Map<String, AudienceDelivery> deliveries(String audienceId) {
        return audienceDeliveries.getOrDefault(audienceId, Map.of());
    }
}
