package se.nestit.audience.destination;

import java.nio.file.Path;
import java.util.Objects;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.sync.StateStore;

/**
 * What destinations are built with besides their own settings.
 *
 * @param out the output directory file destinations write under
 * @param state where network destinations keep their sync state
 * @param fullRefresh replace every network audience's members instead of sending the difference
 * @param config resolves {@code ${ENV_VAR}} references in settings (secrets)
 */
public record DestinationContext(Path out, StateStore state, boolean fullRefresh, ConfigLoader config) {

    public DestinationContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(config, "config");
    }

    /** A setting that may be a secret: {@code ${ENV_VAR}} references resolved. */
    public String secret(YamlNode node) {
        return config.resolve(node);
    }
}
