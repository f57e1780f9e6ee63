package se.nestit.audience.destination;

import se.nestit.audience.segment.AudienceDefinition;

/**
 * Which network audiences are this job's own. One its state remembers is; one it finds by name
 * only if the job marked it when it created it: the description carries {@link #marker}. An
 * audience of the same name without the marker was made by someone else, and its members are not
 * the job's to replace unless the definition says {@code adopt: true}.
 */
public final class Ownership {

    private Ownership() {}

    /** What a destination writes into the description of every network audience it creates. */
    public static String marker(AudienceDefinition audience) {
        return "[audience-exporter:" + audience.id() + "]";
    }

    /** Whether a network audience found by name, with this description, is the job's own for {@code audience}. */
    public static boolean created(AudienceDefinition audience, String description) {
        return description.contains(marker(audience));
    }

    /**
     * The audience's failure when the name is taken by a network audience the job did not create.
     *
     * @param found the network audience as the user finds it, e.g. {@code custom audience 123 named 'x'}
     */
    public static DestinationException foreign(AudienceDefinition audience, String found) {
        return new DestinationException(found + " was not created by this job (its description lacks the marker "
                + marker(audience) + "), so nothing is sent to it. Either give the audience definition "
                + audience.file()
                + " another id, so that this job creates one of its own, or set 'adopt: true' in it to take that audience over "
                + "on purpose: its members are then replaced by the audience's.");
    }
}
