package se.nestit.audience.destination;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.PendingOperation;

/**
 * An in-memory ad network for engine tests: it keeps each audience's members and lets a test
 * script what the next call does (refuse some hashes, leave a job running, fail outright).
 */
public final class FakeNetwork implements AudienceClient {

    /** What the next add, remove or replace call does with its hashes; BUG throws what no client should. */
    public enum Behaviour {
        ACCEPT,
        LEAVE_PENDING,
        THROW,
        HALF_THEN_THROW,
        ACCEPT_THEN_DIE,
        BUG
    }

    /** The process dying (kill -9) after the network did the call and before its answer arrived. */
    static final class Died extends Error {
        Died() {
            super("killed");
        }
    }

    final Map<String, SortedHashes> members = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    public final Deque<Behaviour> script = new ArrayDeque<>();
    final Map<String, PendingOperation> jobs = new HashMap<>();
    final Map<String, AudienceClient.Settlement.State> jobOutcome = new HashMap<>();
    Function<SortedHashes, SortedHashes> refuse = h -> SortedHashes.empty();
    private int nextJob;

    @Override
    public RemoteAudience ensure(AudienceDefinition audience, Map<String, String> remembered) {
        boolean created = !members.containsKey(audience.id());
        members.putIfAbsent(audience.id(), SortedHashes.empty());
        calls.add("ensure " + audience.id());
        return new RemoteAudience(audience.id(), Map.of("id", "aud-" + audience.id()), created);
    }

    @Override
    public List<Finding> check(Map<AudienceDefinition, Map<String, String>> remembered) {
        calls.add("check");
        return remembered.keySet().stream()
                .map(a -> Finding.ok("audience " + a.id(), "fake"))
                .toList();
    }

    @Override
    public Submission add(RemoteAudience audience, SortedHashes hashes) {
        return apply("add", audience, hashes, PendingOperation.Kind.ADD);
    }

    @Override
    public Submission remove(RemoteAudience audience, SortedHashes hashes) {
        return apply("remove", audience, hashes, PendingOperation.Kind.REMOVE);
    }

    @Override
    public Submission replace(RemoteAudience audience, SortedHashes hashes) {
        return apply("replace", audience, hashes, PendingOperation.Kind.REPLACE);
    }

    @Override
    public Settlement settle(RemoteAudience audience, PendingOperation operation) {
        calls.add("settle " + operation.id());
        Settlement.State outcome = jobOutcome.getOrDefault(operation.id(), Settlement.State.RUNNING);
        if (outcome == Settlement.State.SUCCEEDED) {
            members.put(audience.name(), change(members.get(audience.name()), operation.kind(), operation.hashes()));
        }
        return new Settlement(outcome, outcome == Settlement.State.FAILED ? "INTERNAL_ERROR" : "");
    }

    private Submission apply(String what, RemoteAudience audience, SortedHashes hashes, PendingOperation.Kind kind) {
        calls.add(what + " " + audience.name() + " " + hashes.size());
        Behaviour b = script.isEmpty() ? Behaviour.ACCEPT : script.poll();
        switch (b) {
            case THROW -> throw new DestinationException("the network is down");
            case BUG -> throw new IllegalStateException("the fake network has a bug");
            case HALF_THEN_THROW -> {
                SortedHashes half = hashes.slice(0, hashes.size() / 2);
                members.put(audience.name(), change(members.get(audience.name()), kind, half));
                throw new PartlyDone(
                        Submission.confirmed(half, List.of()), new DestinationException("the network went down"));
            }
            case ACCEPT_THEN_DIE -> {
                members.put(audience.name(), change(members.get(audience.name()), kind, hashes));
                throw new Died();
            }
            case LEAVE_PENDING -> {
                PendingOperation job = new PendingOperation("job-" + nextJob++, kind, hashes, Instant.now());
                jobs.put(job.id(), job);
                return new Submission(SortedHashes.empty(), SortedHashes.empty(), List.of(job), List.of());
            }
            default -> {
                SortedHashes refused = refuse.apply(hashes);
                SortedHashes accepted = hashes.minus(refused);
                members.put(audience.name(), change(members.get(audience.name()), kind, accepted));
                return new Submission(accepted, refused, List.of(), List.of());
            }
        }
    }

    private static SortedHashes change(SortedHashes held, PendingOperation.Kind kind, SortedHashes hashes) {
        return switch (kind) {
            case ADD -> held.plus(hashes);
            case REMOVE -> held.minus(hashes);
            case REPLACE -> hashes;
        };
    }
}
