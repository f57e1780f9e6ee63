package se.nestit.audience.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.guardrail.GuardrailLimits;

/** How sync, sync --desired and plan let a change the guardrails would hold through, for this run only. */
final class GuardrailOptions {

    @Option(
            names = "--accept-shrink",
            paramLabel = "AUDIENCE-ID",
            description = "Let this audience shrink past "
                    + "max_audience_shrink (or to none) on this run; repeat for several.")
    List<String> acceptShrinks = List.of();

    @Option(
            names = "--guardrail",
            paramLabel = "NAME=VALUE",
            description = "Set a guardrail limit for this run: "
                    + "max_rejected_share, rejected_rows_allowed, max_audience_shrink or max_exportable_drop "
                    + "(e.g. --guardrail max_rejected_share=5%%).")
    Map<String, String> limits = new LinkedHashMap<>();

    Set<String> acceptShrinks() {
        return new LinkedHashSet<>(acceptShrinks);
    }

    /** The config with this run's limits in place of its own. */
    ExporterConfig apply(ExporterConfig config) {
        GuardrailLimits set = config.guardrails();
        for (Map.Entry<String, String> limit : limits.entrySet()) {
            try {
                set = set.with(limit.getKey(), limit.getValue());
            } catch (IllegalArgumentException e) {
                throw new DefinitionException("--guardrail " + limit.getKey() + ": " + e.getMessage());
            }
        }
        return config.withGuardrails(set);
    }
}
