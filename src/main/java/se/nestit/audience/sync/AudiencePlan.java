package se.nestit.audience.sync;

import java.util.Objects;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.SyncMode;

/**
 * What one destination must do to one audience: the hashes to add and to remove, computed from
 * what the segment wants now ({@code desired}) and what the destination holds ({@code current}).
 *
 * <p>Two rules protect people over audience size. Removes are sent even when the audience has
 * fallen below {@code min_size} (only adds wait). And an {@code add-only} audience keeps members
 * who merely left the segment, but still loses everyone who can no longer be exported at all
 * (consent withdrawn, denied or expired, suppressed, deleted): add-only is about segment churn,
 * never about consent.
 */
public record AudiencePlan(
        AudienceDefinition audience,
        String destination,
        SortedHashes desired,
        SortedHashes current,
        SortedHashes adds,
        SortedHashes removes,
        SortedHashes exportable,
        boolean belowMinSize,
        boolean held) {

    public AudiencePlan {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(adds, "adds");
        Objects.requireNonNull(removes, "removes");
        Objects.requireNonNull(exportable, "exportable");
    }

    /**
     * @param exportable the hashes of every customer who passes the consent gate, in the
     *     destination's normalization; only consulted for add-only audiences
     */
    public static AudiencePlan of(
            AudienceDefinition audience,
            String destination,
            SortedHashes desired,
            SortedHashes current,
            SortedHashes exportable) {
        boolean belowMinSize = desired.size() < audience.minSize();
        SortedHashes adds = belowMinSize ? SortedHashes.empty() : desired.minus(current);
        SortedHashes removes = audience.sync() == SyncMode.MIRROR ? current.minus(desired) : current.minus(exportable);
        return new AudiencePlan(
                audience, destination, desired, current, adds, removes, exportable, belowMinSize, false);
    }

    /** The same plan against another starting point, when the destination learned more of what it holds. */
    public AudiencePlan rebase(SortedHashes current) {
        return current.equals(this.current)
                ? this
                : of(audience, destination, desired, current, exportable).heldIf(held);
    }

    /**
     * The same plan against what the destination holds for sure ({@code current}) and hashes it may
     * or may not hold ({@code inDoubt}): each of those goes again, as an add when the audience wants
     * it and as a remove when it must not be there, which settles it either way.
     */
    public AudiencePlan rebase(SortedHashes current, SortedHashes inDoubt) {
        if (inDoubt.isEmpty()) {
            return rebase(current);
        }
        AudiencePlan sure = of(audience, destination, desired, current.minus(inDoubt), exportable);
        SortedHashes unwanted = inDoubt.minus(audience.sync() == SyncMode.MIRROR ? desired : exportable);
        return new AudiencePlan(
                audience,
                destination,
                desired,
                sure.current,
                sure.adds,
                sure.removes.plus(unwanted),
                exportable,
                belowMinSize,
                held);
    }

    /**
     * This audience held by a guardrail: the destination keeps what it holds and nobody is added,
     * but whoever can no longer be exported at all still leaves.
     *
     * {@link #held} says so to the destination: what it holds is the measure, so it must be known.
     *
     * @param exportable every exportable customer's hashes in the destination's normalization
     */
    public AudiencePlan hold(SortedHashes exportable) {
        return of(audience, destination, current.minus(current.minus(exportable)), current, exportable)
                .heldIf(true);
    }

    private AudiencePlan heldIf(boolean held) {
        return held == this.held
                ? this
                : new AudiencePlan(
                        audience, destination, desired, current, adds, removes, exportable, belowMinSize, held);
    }

    /** What the destination holds once the plan is carried out. */
    public SortedHashes target() {
        return current.plus(adds).minus(removes);
    }

    public boolean isEmpty() {
        return adds.isEmpty() && removes.isEmpty();
    }
}
