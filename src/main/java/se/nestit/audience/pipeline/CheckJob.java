package se.nestit.audience.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.DestinationSettings;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.AudienceLoader;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.sync.StateException;
import se.nestit.audience.sync.StateStore;

/**
 * {@code check}: builds each destination the way sync does, which reads its settings and resolves
 * its secrets, then asks it whether a sync could deliver its audiences, without sending any member
 * or changing anything. A destination whose settings cannot be read is reported as such and the
 * others are still checked, so that one run shows everything to fix.
 */
public final class CheckJob {

    /**
     * What check found at one destination.
     *
     * @param settingsWrong whether its settings (or a secret they name) could not be read, a configuration error
     */
    public record Result(String destination, String type, List<Finding> findings, boolean settingsWrong) {
        public Result {
            findings = List.copyOf(findings);
        }

        public boolean ok() {
            return findings.stream().allMatch(Finding::ok);
        }
    }

    private final ExporterConfig config;
    private final Optional<String> destination;
    private final Set<String> only;
    private final ConfigLoader environment;

    /**
     * @param destination the one destination to check; empty for all
     * @param only the audiences to check; empty for all
     * @param environment resolves the {@code ${ENV_VAR}} secrets in destination settings
     */
    public CheckJob(ExporterConfig config, Optional<String> destination, Set<String> only, ConfigLoader environment) {
        this.config = config;
        this.destination = destination;
        this.only = Set.copyOf(only);
        this.environment = environment;
    }

    public List<Result> run() {
        List<DestinationSettings> selected = config.destinations().stream()
                .filter(d -> destination.isEmpty() || d.id().equals(destination.get()))
                .toList();
        if (selected.isEmpty()) {
            throw new DefinitionException(destination
                    .map(id -> "--destination: no destination '" + id + "' in " + config.file() + " (known: "
                            + String.join(", ", config.destinationIds()) + ")")
                    .orElse(config.file() + ": no destinations to check"));
        }
        List<AudienceDefinition> audiences;
        try (DataSet data = InputData.open(config)) {
            audiences = AudienceLoader.select(
                    new AudienceLoader(config.destinationIds(), data::header).loadAll(config.audiences()), only);
        }
        DestinationFactory factory = new DestinationFactory(
                new DestinationContext(config.out(), new StateStore(config.state()), false, environment));
        List<Result> results = new ArrayList<>();
        for (DestinationSettings s : selected) {
            results.add(check(
                    factory,
                    s,
                    audiences.stream()
                            .filter(a -> a.destinations().contains(s.id()))
                            .toList()));
        }
        return results;
    }

    private static Result check(
            DestinationFactory factory, DestinationSettings settings, List<AudienceDefinition> audiences) {
        Destination d;
        try {
            d = factory.create(settings);
        } catch (DefinitionException e) {
            return new Result(
                    settings.id(),
                    settings.type(),
                    List.of(Finding.wrong(
                            "settings",
                            e.getMessage(),
                            "correct the destination's settings, or set the environment variable they name")),
                    true);
        }
        try (d) {
            return new Result(settings.id(), settings.type(), d.check(audiences), false);
        } catch (DestinationException | StateException e) {
            return new Result(
                    settings.id(),
                    settings.type(),
                    List.of(Finding.wrong(
                            "destination", e.getMessage(), "see the message; run check again when it is fixed")),
                    false);
        }
    }
}
