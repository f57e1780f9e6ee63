package se.nestit.audience.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry under {@code destinations:} in the config: its id, its type and the rest of its
 * settings, which the destination of that type reads itself (and checks strictly).
 */
public record DestinationSettings(String id, String type, YamlNode node) {

    /** Destination ids become file names; keep them to safe characters. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    public DestinationSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(node, "node");
    }
}
