package se.nestit.audience.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.guardrail.GuardrailLimits;
import se.nestit.audience.guardrail.Guardrails;
import se.nestit.audience.guardrail.LastSync;
import se.nestit.audience.report.DestinationStatus;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * The guardrails between planning and delivery, for {@code sync}, {@code plan} and
 * {@code sync --desired}: every plan is checked before anything is sent or written, and a
 * completed sync's figures become the measure of the next run.
 */
final class GuardrailStage {

    private static final Logger log = LoggerFactory.getLogger(GuardrailStage.class);

    private final GuardrailLimits limits;
    private final Set<String> acceptShrinks;
    private final Path stateDir;

    /** @param acceptShrinks audiences whose shrink this run lets through */
    GuardrailStage(GuardrailLimits limits, Set<String> acceptShrinks, Path stateDir) {
        this.limits = limits;
        this.acceptShrinks = Set.copyOf(acceptShrinks);
        this.stateDir = stateDir;
    }

    /**
     * Checks the guardrails on every plan, holds the audiences a tripped one names, then delivers.
     *
     * @param files the input files' rows as read; none when this run read none
     * @param exportable customers who pass the consent gate now
     * @throws DefinitionException when an accepted shrink names no audience of this run
     */
    Guardrails.Verdict deliver(
            DeliveryStage delivery,
            List<Destination> destinations,
            List<AudienceDefinition> audiences,
            List<Guardrails.FileRows> files,
            long exportable) {
        List<String> ids = audiences.stream().map(AudienceDefinition::id).toList();
        for (String accepted : acceptShrinks) {
            if (!ids.contains(accepted)) {
                throw new DefinitionException("--accept-shrink " + accepted
                        + ": no such audience in this run (expected one of " + String.join(", ", ids) + ")");
            }
        }
        Guardrails.Verdict verdict = new Guardrails(limits, acceptShrinks)
                .check(files, exportable, LastSync.exportable(stateDir), delivery.preview(destinations, audiences));
        verdict.report().messages().forEach(m -> log.error("guardrail {}", m));
        delivery.hold(verdict.held());
        delivery.run(destinations, audiences);
        return verdict;
    }

    /** Keeps this sync's figures for the next run when it completed: no guardrail tripped, no destination failed. */
    void recordIfCompleted(Guardrails.Verdict verdict, RunReport report, long exportable) {
        if (!verdict.tripped()
                && !report.wasInterrupted()
                && report.destinations().values().stream().noneMatch(d -> d.status() == DestinationStatus.FAILED)) {
            LastSync.record(stateDir, exportable, report.runId(), report.asOf());
        }
    }
}
