package se.nestit.audience.destination;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.AudienceClient.RemoteAudience;
import se.nestit.audience.destination.AudienceClient.Settlement;
import se.nestit.audience.destination.AudienceClient.Submission;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.AudiencePlan;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.PendingOperation;
import se.nestit.audience.sync.StateStore;

/**
 * The sync engine every ad network shares. Networks cannot list an audience's members back, so
 * what this job believes they hold is its own state: the hashes each network confirmed, plus the
 * operations it has not finished. A run settles those first, sends removes before adds (people
 * who withdrew leave as early as possible), and commits exactly what the network confirmed, even
 * when a later call fails. Before each call the hashes it sends are committed as in doubt, so a
 * run killed before it sees the answer leaves a state that knows the network may or may not hold
 * them: the next run sends each again, as an add or a remove as the audience then wants, which
 * the networks treat as no-ops where they are already done.
 */
public final class NetworkDestination implements Destination {

    private static final Logger log = LoggerFactory.getLogger(NetworkDestination.class);

    private final String id;
    private final String type;
    private final Normalization normalization;
    private final StateStore store;
    private final AudienceClient client;
    private final boolean fullRefresh;
    private final Map<String, AudienceState> states = new HashMap<>();

    /** @param fullRefresh replace every audience's members instead of sending the difference */
    public NetworkDestination(
            String id,
            String type,
            Normalization normalization,
            StateStore store,
            AudienceClient client,
            boolean fullRefresh) {
        this.id = id;
        this.type = type;
        this.normalization = normalization;
        this.store = store;
        this.client = client;
        this.fullRefresh = fullRefresh;
    }

    /**
     * A destination that only reads what the sync state says it holds, for a run that contacts no
     * network ({@code plan}): no credentials are needed, and anything that would call the network fails.
     */
    public static NetworkDestination offline(String id, String type, Normalization normalization, StateStore store) {
        return new NetworkDestination(id, type, normalization, store, new Offline(id), false);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Normalization normalization() {
        return normalization;
    }

    @Override
    public SortedHashes current(AudienceDefinition audience) {
        return state(audience.id()).expected();
    }

    @Override
    public List<String> heldAudiences() {
        return store.audiences(id);
    }

    @Override
    public Delivery deliver(AudiencePlan plan) {
        AudienceDefinition audience = plan.audience();
        Run run = new Run(audience.id(), state(audience.id()));
        try {
            RemoteAudience remote = client.ensure(audience, run.state.remote());
            run.remote = remote;
            boolean lost = run.state.isNew() && !remote.created();
            if (lost && plan.held()) {
                // held at what it holds, which nobody knows: a replacement would empty it. Nothing is
                // committed either, so the next run still sees the state as lost and replaces then.
                throw new DestinationException(id + ": " + audience.id()
                        + ": a guardrail holds this audience, but this job has "
                        + "no state for '" + remote.name() + "' at the network, so what it holds is not known and a "
                        + "replacement would empty it. Nothing was sent; its members are replaced once the guardrail lets "
                        + "the audience through.");
            }
            run.state = run.state.withRemote(remote.ids());
            if (remote.created()) {
                run.commit();
            }
            run.settle(remote);
            if (!run.state.pending().isEmpty()) {
                // A new job must not overtake a running one (a remove finishing before an earlier
                // add would leave the person in), so this audience waits for the next run.
                return run.delivery(Delivery.Status.PENDING, "waiting for " + pendingIds(run.state));
            }
            AudiencePlan current = plan.rebase(run.state.expected(), run.state.inDoubt());
            boolean replacing = fullRefresh || lost || run.state.replaceUnfinished();
            if (replacing && current.target().isEmpty() && !client.replacesWithNobody()) {
                run.empty(remote, current.removes(), lost);
            } else if (replacing) {
                if (lost) {
                    log.warn(
                            "{}: {}: the audience '{}' exists at the network but this job has no state for it; "
                                    + "replacing its members to be sure who is in it",
                            id,
                            audience.id(),
                            remote.name());
                } else if (!fullRefresh) {
                    log.warn(
                            "{}: {}: an earlier replacement of the members did not finish; replacing them again",
                            id,
                            audience.id());
                }
                // Marked durably before anything is sent: whatever happens from here on, the
                // network's members are unknown until a replacement is seen to succeed.
                run.state = run.state.withReplaceUnfinished(true);
                run.commit();
                run.replace(remote, current.target());
            } else {
                run.remove(remote, current.removes());
                run.add(remote, current.adds());
            }
            Delivery.Status status = !run.state.pending().isEmpty()
                    ? Delivery.Status.PENDING
                    : current.belowMinSize() ? Delivery.Status.BELOW_MIN_SIZE : Delivery.Status.OK;
            return run.delivery(status, String.join("; ", run.notes));
        } catch (DestinationException e) {
            throw e.withSentBefore(run.delivery(Delivery.Status.FAILED, "").sent());
        } finally {
            run.commitIfChanged();
        }
    }

    @Override
    public List<Finding> check(List<AudienceDefinition> audiences) {
        Map<AudienceDefinition, Map<String, String>> remembered = new LinkedHashMap<>();
        audiences.forEach(a -> remembered.put(a, state(a.id()).remote()));
        return client.check(remembered);
    }

    private AudienceState state(String audience) {
        return states.computeIfAbsent(audience, a -> store.load(id, a));
    }

    private static String pendingIds(AudienceState state) {
        return String.join(
                ", ", state.pending().stream().map(PendingOperation::id).toList());
    }

    @Override
    public void close() {
        client.close();
    }

    /** One audience's delivery: the state as it evolves, and the counts for the report. */
    private final class Run {
        private final String audience;
        private RemoteAudience remote;
        private AudienceState state;
        private AudienceState committed;
        private SortedHashes added = SortedHashes.empty();
        private SortedHashes removed = SortedHashes.empty();
        private SortedHashes refused = SortedHashes.empty();
        private final List<String> notes = new ArrayList<>();

        Run(String audience, AudienceState loaded) {
            this.audience = audience;
            this.state = loaded;
            this.committed = loaded;
        }

        void settle(RemoteAudience remote) {
            List<PendingOperation> still = new ArrayList<>();
            SortedHashes confirmed = state.confirmed();
            for (PendingOperation p : state.pending()) {
                Settlement s = client.settle(remote, p);
                switch (s.state()) {
                    case SUCCEEDED -> {
                        switch (p.kind()) {
                            case ADD -> added = added.plus(p.hashes());
                            case REMOVE -> removed = removed.plus(p.hashes());
                            case REPLACE -> {
                                added = added.plus(p.hashes());
                                removed = removed.plus(confirmed.minus(p.hashes()));
                            }
                        }
                        confirmed = switch (p.kind()) {
                            case ADD -> confirmed.plus(p.hashes());
                            case REMOVE -> confirmed.minus(p.hashes());
                            case REPLACE -> p.hashes();
                        };
                        if (p.kind() == PendingOperation.Kind.REPLACE) {
                            state = state.withReplaceUnfinished(false).withInDoubt(SortedHashes.empty());
                        }
                        log.info(
                                "{}: {}: {} finished; {} {} confirmed",
                                id,
                                audience,
                                p.id(),
                                p.hashes().size(),
                                p.kind().name().toLowerCase(Locale.ROOT));
                    }
                    case FAILED -> {
                        // Never counted as held, and whether the network did part of it is unknown:
                        // in doubt, so the plan sends each again as the audience now wants it.
                        log.warn(
                                "{}: {}: {} failed ({}); its {} operations will be sent again",
                                id,
                                audience,
                                p.id(),
                                s.message(),
                                p.hashes().size());
                        notes.add(p.id() + " failed: " + s.message());
                        if (p.kind() != PendingOperation.Kind.REPLACE) {
                            confirmed = confirmed.minus(p.hashes());
                            state = state.withInDoubt(state.inDoubt().plus(p.hashes()));
                        }
                    }
                    case RUNNING -> still.add(p);
                }
            }
            state = state.withConfirmed(confirmed).withPending(still);
        }

        void remove(RemoteAudience remote, SortedHashes hashes) {
            send(hashes, () -> client.remove(remote, hashes), this::removed);
        }

        void add(RemoteAudience remote, SortedHashes hashes) {
            send(hashes, () -> client.add(remote, hashes), this::added);
        }

        /** Sends a change and takes in what the network confirmed, also when it failed part-way. */
        private void send(SortedHashes hashes, Supplier<Submission> call, Consumer<Submission> confirmed) {
            if (hashes.isEmpty()) {
                return;
            }
            markInDoubt(hashes);
            Submission s;
            try {
                s = call.get();
            } catch (AudienceClient.PartlyDone e) {
                confirmed.accept(e.done());
                throw e;
            }
            confirmed.accept(s);
        }

        private void removed(Submission s) {
            SortedHashes held = state.confirmed();
            for (PendingOperation p : s.pending()) {
                held = held.plus(p.hashes()); // still there until the job is seen to succeed
            }
            state = state.withConfirmed(held).withInDoubt(settled(s)).withPending(concat(state.pending(), s.pending()));
            removed = removed.plus(s.confirmed());
            record(s);
        }

        private void added(Submission s) {
            state = state.withConfirmed(state.confirmed().plus(s.confirmed()))
                    .withInDoubt(settled(s))
                    .withPending(concat(state.pending(), s.pending()));
            added = added.plus(s.confirmed());
            record(s);
        }

        /**
         * Commits the hashes as in doubt (and no longer confirmed) before they are sent: from the
         * moment a request may reach the network until its answer is recorded, only that is true.
         */
        private void markInDoubt(SortedHashes hashes) {
            state = state.withConfirmed(state.confirmed().minus(hashes))
                    .withInDoubt(state.inDoubt().plus(hashes));
            commit();
        }

        /** What stays in doubt after a call: all it sent but what the network confirmed or took on as a job. */
        private SortedHashes settled(Submission s) {
            SortedHashes doubt = state.inDoubt().minus(s.confirmed());
            for (PendingOperation p : s.pending()) {
                doubt = doubt.minus(p.hashes());
            }
            return doubt;
        }

        /**
         * A full refresh to no members where the network cannot replace with nobody: the members
         * this job holds (confirmed or in doubt, all of them in {@code held}) are removed. That
         * empties the audience only if they are all it has, so not when its state was lost or an
         * earlier replacement did not finish: then nothing is sent and the audience fails.
         */
        void empty(RemoteAudience remote, SortedHashes held, boolean lost) {
            if (lost || state.replaceUnfinished()) {
                throw new DestinationException(
                        id + ": " + audience + ": the audience now has no members to hold, but who is in '"
                                + remote.name() + "' at the network is not known ("
                                + (lost
                                        ? "this job has no state for it"
                                        : "an earlier replacement of its members did not finish")
                                + "), and this network documents no way to "
                                + "replace the members with nobody. Nothing was sent; it is replaced once the audience has members "
                                + "again. To empty it now, delete it in the network's audience manager.");
            }
            log.info(
                    "{}: {}: full refresh of an audience that is now empty: removing the {} members this job holds, as the "
                            + "network documents no replacement with nobody",
                    id,
                    audience,
                    held.size());
            notes.add("full refresh of an empty audience: removed the " + held.size()
                    + " members held instead of replacing");
            remove(remote, held);
        }

        /** A finished replacement says who the members are; refused hashes go as adds next run. */
        void replace(RemoteAudience remote, SortedHashes target) {
            Submission s = client.replace(remote, target);
            if (s.pending().isEmpty()) {
                removed = removed.plus(state.confirmed().minus(s.confirmed()));
                state = state.withConfirmed(s.confirmed())
                        .withReplaceUnfinished(false)
                        .withInDoubt(SortedHashes.empty());
                notes.add("full refresh: replaced all members");
            } else {
                state = state.withPending(s.pending());
            }
            added = added.plus(s.confirmed());
            record(s);
        }

        private void record(Submission s) {
            refused = refused.plus(s.failed());
            notes.addAll(s.notes());
            if (!s.failed().isEmpty()) {
                notes.add(s.failed().size() + " refused by the network, retried next run");
            }
        }

        Delivery delivery(Delivery.Status status, String message) {
            SortedHashes pending = SortedHashes.empty();
            for (PendingOperation p : state.pending()) {
                pending = pending.plus(p.hashes());
            }
            String matchRate = remote == null ? "" : client.matchRate(remote).orElse("");
            return new Delivery(
                    status,
                    new Delivery.Sent(added, removed, refused, pending),
                    state.confirmed().size(),
                    message,
                    matchRate);
        }

        void commit() {
            committed = store.commit(id, audience, state);
            state = committed;
            states.put(audience, committed);
        }

        void commitIfChanged() {
            if (!state.sameAs(committed)) {
                commit();
            }
        }
    }

    /** The client of an offline destination: there is none. */
    private record Offline(String destination) implements AudienceClient {
        @Override
        public RemoteAudience ensure(AudienceDefinition audience, Map<String, String> remembered) {
            throw refused();
        }

        @Override
        public Submission add(RemoteAudience audience, SortedHashes hashes) {
            throw refused();
        }

        @Override
        public Submission remove(RemoteAudience audience, SortedHashes hashes) {
            throw refused();
        }

        @Override
        public Submission replace(RemoteAudience audience, SortedHashes hashes) {
            throw refused();
        }

        @Override
        public List<Finding> check(Map<AudienceDefinition, Map<String, String>> remembered) {
            throw refused();
        }

        private IllegalStateException refused() {
            return new IllegalStateException(
                    destination + ": built to read the sync state only; it contacts no network");
        }
    }

    private static List<PendingOperation> concat(List<PendingOperation> a, List<PendingOperation> b) {
        List<PendingOperation> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
