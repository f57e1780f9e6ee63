package se.nestit.audience.destination;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.PendingOperation;

/**
 * One ad network's audience API, as the sync engine ({@link NetworkDestination}) needs it. An
 * implementation batches, retries and rate-limits its own calls and reports, per hash, what the
 * network confirmed: the engine commits exactly that to the sync state.
 */
public interface AudienceClient extends AutoCloseable {

    /**
     * Finds the network's audience for a definition, or creates it.
     *
     * @param remembered the ids a previous run kept in the state (empty for a new audience)
     */
    RemoteAudience ensure(AudienceDefinition audience, Map<String, String> remembered);

    Submission add(RemoteAudience audience, SortedHashes hashes);

    Submission remove(RemoteAudience audience, SortedHashes hashes);

    /**
     * Makes {@code hashes} the audience's only members (a full refresh). The answer's
     * {@code confirmed} must then be exactly the audience's members (refused hashes are simply not
     * among them, and go as adds next run); a replacement that cannot be finished must throw, and
     * the engine replaces again on the next run.
     */
    Submission replace(RemoteAudience audience, SortedHashes hashes);

    /**
     * Whether {@link #replace} may leave the audience with no members. Where the network documents
     * no such replacement, the engine removes the members it holds instead.
     */
    default boolean replacesWithNobody() {
        return true;
    }

    /** Asks how an operation a previous run left pending ended. */
    default Settlement settle(RemoteAudience audience, PendingOperation operation) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " leaves no operation pending");
    }

    /** The match rate the network last reported for the audience's uploads this run ({@code 61-70%}), if it reports one. */
    default Optional<String> matchRate(RemoteAudience audience) {
        return Optional.empty();
    }

    /**
     * Reads, changing nothing, whether the credentials and the account work and which network
     * audience each definition would sync to.
     *
     * @param remembered per audience, the ids the sync state remembers (empty when it was never synced)
     */
    List<Finding> check(Map<AudienceDefinition, Map<String, String>> remembered);

    @Override
    default void close() {}

    /**
     * The network's audience.
     *
     * @param ids what to remember in the state to find it again (its id or resource name)
     * @param created whether this run created it: an existing audience with no state means the
     *     state was lost, and only a full refresh can make the audience right again
     */
    record RemoteAudience(String name, Map<String, String> ids, boolean created) {
        public RemoteAudience {
            Objects.requireNonNull(name, "name");
            ids = Map.copyOf(ids);
        }
    }

    /**
     * What became of submitted hashes: confirmed, refused (they stay out of the state and are
     * retried next run), or accepted but not finished (pending).
     *
     * @param notes what the user should know (request ids, Meta's invalid entry counts); never personal data
     */
    record Submission(SortedHashes confirmed, SortedHashes failed, List<PendingOperation> pending, List<String> notes) {
        public Submission {
            Objects.requireNonNull(confirmed, "confirmed");
            Objects.requireNonNull(failed, "failed");
            pending = List.copyOf(pending);
            notes = List.copyOf(notes);
        }

        public static Submission confirmed(SortedHashes hashes, List<String> notes) {
            return new Submission(hashes, SortedHashes.empty(), List.of(), notes);
        }
    }

    /**
     * A call that failed after the network had already confirmed part of it, so that the engine
     * can keep what was confirmed in the state instead of sending it again next run.
     */
    @SuppressWarnings("serial") // never serialized: it does not leave the process
    final class PartlyDone extends DestinationException {
        private final transient Submission done;

        public PartlyDone(Submission done, DestinationException cause) {
            super(cause.getMessage(), cause, cause.stopsDestination());
            this.done = done;
        }

        public Submission done() {
            return done;
        }
    }

    /** How a pending operation ended, or that it has not. */
    record Settlement(State state, String message) {
        public enum State {
            SUCCEEDED,
            FAILED,
            RUNNING
        }

        public Settlement {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(message, "message");
        }
    }
}
