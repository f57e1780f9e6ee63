package se.nestit.audience.sync;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import se.nestit.audience.identity.SortedHashes;

/**
 * What this job knows of one audience at one network, which cannot list members back: the hashes
 * the network confirmed, its own ids for the audience, and operations it has not finished.
 *
 * @param remote the network's ids for the audience (a user list's resource name, say)
 * @param replaceUnfinished a replacement of every member was started and has not been seen to
 *     succeed: what the network holds is unknown until one does, so the next run replaces again
 * @param inDoubt hashes an add or remove was sent for and not confirmed: recorded before they are
 *     sent, so a run killed in the middle leaves them here, and kept when the network did not confirm
 *     them; it may hold them or not. Never among {@code confirmed}; the next run sends each again, as
 *     an add if the audience wants it and else as a remove, which settles it either way
 * @param updatedAt when this state was committed; null for an audience never synced
 */
public record AudienceState(
        SortedHashes confirmed,
        Map<String, String> remote,
        List<PendingOperation> pending,
        boolean replaceUnfinished,
        SortedHashes inDoubt,
        Instant updatedAt) {

    public static final AudienceState NEW = new AudienceState(SortedHashes.empty(), Map.of(), List.of(), false, null);

    public AudienceState(
            SortedHashes confirmed, Map<String, String> remote, List<PendingOperation> pending, Instant updatedAt) {
        this(confirmed, remote, pending, false, updatedAt);
    }

    public AudienceState(
            SortedHashes confirmed,
            Map<String, String> remote,
            List<PendingOperation> pending,
            boolean replaceUnfinished,
            Instant updatedAt) {
        this(confirmed, remote, pending, replaceUnfinished, SortedHashes.empty(), updatedAt);
    }

    public AudienceState {
        Objects.requireNonNull(confirmed, "confirmed");
        Objects.requireNonNull(inDoubt, "inDoubt");
        remote = Map.copyOf(remote);
        pending = List.copyOf(pending);
    }

    /** Whether no run has committed this state yet. */
    public boolean isNew() {
        return updatedAt == null;
    }

    /** What the network will hold once its pending operations succeed: what the next plan diffs against. */
    public SortedHashes expected() {
        SortedHashes held = confirmed;
        for (PendingOperation p : pending) {
            held = switch (p.kind()) {
                case ADD -> held.plus(p.hashes());
                case REMOVE -> held.minus(p.hashes());
                case REPLACE -> p.hashes();
            };
        }
        return held;
    }

    public AudienceState withConfirmed(SortedHashes confirmed) {
        return new AudienceState(confirmed, remote, pending, replaceUnfinished, inDoubt, updatedAt);
    }

    public AudienceState withRemote(Map<String, String> remote) {
        return new AudienceState(confirmed, remote, pending, replaceUnfinished, inDoubt, updatedAt);
    }

    public AudienceState withPending(List<PendingOperation> pending) {
        return new AudienceState(confirmed, remote, pending, replaceUnfinished, inDoubt, updatedAt);
    }

    public AudienceState withReplaceUnfinished(boolean replaceUnfinished) {
        return new AudienceState(confirmed, remote, pending, replaceUnfinished, inDoubt, updatedAt);
    }

    public AudienceState withInDoubt(SortedHashes inDoubt) {
        return new AudienceState(confirmed, remote, pending, replaceUnfinished, inDoubt, updatedAt);
    }

    /** Whether both say the same of the audience, whenever each was committed. */
    public boolean sameAs(AudienceState other) {
        return new AudienceState(confirmed, remote, pending, replaceUnfinished, inDoubt, null)
                .equals(new AudienceState(
                        other.confirmed, other.remote, other.pending, other.replaceUnfinished, other.inDoubt, null));
    }
}
