package se.nestit.audience.destination;

import java.util.List;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.AudiencePlan;

/** Somewhere audiences go: a file for manual upload, or an ad network. */
public interface Destination extends AutoCloseable {

    /** The id under {@code destinations:} in the config. */
    String id();

    /** The {@code type} of this destination in the config: {@code file}, ... */
    String type();

    /** How emails are normalized before hashing for this destination. */
    Normalization normalization();

    /**
     * What the destination holds of an audience now, as far as this job can know: a file's
     * content, or for a network the hashes it confirmed on earlier runs.
     *
     * @throws DestinationException when that cannot be read
     */
    SortedHashes current(AudienceDefinition audience);

    /**
     * Carries out a plan. Returns what was done; a failure that only concerns this audience is a
     * result with {@link Delivery.Status#FAILED}, while one that makes the destination unusable
     * (bad credentials, say) is a {@link DestinationException}.
     */
    Delivery deliver(AudiencePlan plan);

    /**
     * The audiences this destination holds something of, for noticing definitions that were
     * deleted: their members stay at the destination until someone removes them on purpose.
     */
    default List<String> heldAudiences() {
        return List.of();
    }

    /**
     * Looks, without sending or changing anything, at whether a sync could deliver these
     * audiences: the credentials, the account and where each audience's members go.
     *
     * @throws DestinationException when the destination cannot be asked at all
     */
    List<Finding> check(List<AudienceDefinition> audiences);

    @Override
    default void close() {}
}
