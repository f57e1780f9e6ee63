package se.nestit.audience.segment;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One audience as defined in {@code audiences/<id>.yaml}.
 *
 * @param adopt take over a network audience of the same name that this job did not create (and
 *     replace its members); without it such an audience is never written to
 */
public record AudienceDefinition(
        String id,
        String description,
        List<String> destinations,
        SyncMode sync,
        int minSize,
        boolean adopt,
        Rule rule,
        Path file) {

    public static final Pattern ID = Pattern.compile("[a-z0-9-]+");
    public static final int DEFAULT_MIN_SIZE = 100;

    /**
     * Stands for an audience a destination still holds though no definition names it any more:
     * add-only with no one wanted, so only those who can no longer be exported are removed.
     */
    public static AudienceDefinition orphan(String id, String destination) {
        return new AudienceDefinition(
                id,
                "no definition any more",
                List.of(destination),
                SyncMode.ADD_ONLY,
                0,
                new Rule.Customer(Where.ANY_ROW),
                Path.of("(no definition)"));
    }

    /** A definition that adopts no audience it finds at a network. */
    public AudienceDefinition(
            String id,
            String description,
            List<String> destinations,
            SyncMode sync,
            int minSize,
            Rule rule,
            Path file) {
        this(id, description, destinations, sync, minSize, false, rule, file);
    }

    public AudienceDefinition {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must match " + ID + " but was '" + id + "'");
        }
        Objects.requireNonNull(description, "description");
        destinations = List.copyOf(destinations);
        Objects.requireNonNull(sync, "sync");
        if (minSize < 0) {
            throw new IllegalArgumentException("min_size must not be negative but was " + minSize);
        }
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(file, "file");
    }
}
