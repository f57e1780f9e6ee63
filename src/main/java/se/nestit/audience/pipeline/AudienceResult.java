package se.nestit.audience.pipeline;

import java.util.EnumMap;
import java.util.Map;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.segment.AudienceDefinition;

/**
 * One audience's evaluation: how many customers the rule selects, how many of them pass the gate
 * ({@code members}, as customer indexes), and why the others do not.
 */
record AudienceResult(AudienceDefinition audience, long inSegment, int[] members, Map<GateVerdict, Long> skipped) {

    AudienceResult {
        skipped = new EnumMap<>(skipped);
    }

    long exported() {
        return members.length;
    }
}
