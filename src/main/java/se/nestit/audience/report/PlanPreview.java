package se.nestit.audience.report;

import java.util.Map;

/**
 * What {@code plan} shows a marketer besides the summary: how audiences overlap, and why the
 * members a sync would remove would go.
 *
 * @param overlap per audience, how many of its exported customers each audience (itself included) also exports
 * @param removals per audience and destination, the hashes a sync would remove by reason: {@code left_segment}
 *     (still exportable, no longer selected), a consent gate reason ({@code consent_withdrawn}, {@code suppressed},
 *     ...), a Google consent signal not granted ({@code ad_user_data_not_granted}, ...), or {@code not_in_customers}
 *     (no customer has that address any more)
 */
public record PlanPreview(
        Map<String, Map<String, Long>> overlap, Map<String, Map<String, Map<String, Long>>> removals) {

    public static final String LEFT_SEGMENT = "left_segment";
    public static final String NOT_IN_CUSTOMERS = "not_in_customers";
}
