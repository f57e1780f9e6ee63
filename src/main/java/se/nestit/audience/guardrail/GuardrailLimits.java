package se.nestit.audience.guardrail;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a night may differ from the last before the run holds audiences instead of changing
 * them: a broken export looks like many rejected rows, customers who stop being exportable, or
 * audiences that empty.
 *
 * @param maxRejectedShare per input file, the share of its rows that may be rejected
 * @param rejectedRowsAllowed rejected rows a file may have whatever their share: one stray bad
 *     row in a file of twenty is no broken export
 * @param maxAudienceShrink the share of its members an audience may lose at a destination from
 *     one run to the next; below 1, falling to 0 trips it too; 1 turns the check off
 * @param maxExportableDrop the share by which exportable customers may fall below the count of
 *     the last completed sync
 */
public record GuardrailLimits(
        double maxRejectedShare, long rejectedRowsAllowed, double maxAudienceShrink, double maxExportableDrop) {

    public static final GuardrailLimits DEFAULT = new GuardrailLimits(0.01, 10, 0.5, 0.2);

    public static final String MAX_REJECTED_SHARE = "max_rejected_share";
    public static final String REJECTED_ROWS_ALLOWED = "rejected_rows_allowed";
    public static final String MAX_AUDIENCE_SHRINK = "max_audience_shrink";
    public static final String MAX_EXPORTABLE_DROP = "max_exportable_drop";
    /** The names the config file and {@code --guardrail NAME=VALUE} use. */
    public static final List<String> NAMES =
            List.of(MAX_REJECTED_SHARE, REJECTED_ROWS_ALLOWED, MAX_AUDIENCE_SHRINK, MAX_EXPORTABLE_DROP);

    public GuardrailLimits {
        checkShare(MAX_REJECTED_SHARE, maxRejectedShare);
        checkShare(MAX_AUDIENCE_SHRINK, maxAudienceShrink);
        checkShare(MAX_EXPORTABLE_DROP, maxExportableDrop);
        if (rejectedRowsAllowed < 0) {
            throw new IllegalArgumentException(REJECTED_ROWS_ALLOWED + " must not be negative");
        }
    }

    /**
     * This with one limit set by name, the value as written in the config file or on the command
     * line: a share as {@code 0.05} or {@code 5%}, rows as a whole number.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public GuardrailLimits with(String name, String value) {
        return switch (name) {
            case MAX_REJECTED_SHARE ->
                new GuardrailLimits(share(name, value), rejectedRowsAllowed, maxAudienceShrink, maxExportableDrop);
            case REJECTED_ROWS_ALLOWED ->
                new GuardrailLimits(maxRejectedShare, rows(name, value), maxAudienceShrink, maxExportableDrop);
            case MAX_AUDIENCE_SHRINK ->
                new GuardrailLimits(maxRejectedShare, rejectedRowsAllowed, share(name, value), maxExportableDrop);
            case MAX_EXPORTABLE_DROP ->
                new GuardrailLimits(maxRejectedShare, rejectedRowsAllowed, maxAudienceShrink, share(name, value));
            default ->
                throw new IllegalArgumentException(
                        "unknown guardrail '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
        };
    }

    /** The limits by name, for the report. */
    public Map<String, Number> byName() {
        Map<String, Number> limits = new LinkedHashMap<>();
        limits.put(MAX_REJECTED_SHARE, maxRejectedShare);
        limits.put(REJECTED_ROWS_ALLOWED, rejectedRowsAllowed);
        limits.put(MAX_AUDIENCE_SHRINK, maxAudienceShrink);
        limits.put(MAX_EXPORTABLE_DROP, maxExportableDrop);
        return limits;
    }

    private static double share(String name, String value) {
        String v = value.strip();
        boolean percent = v.endsWith("%");
        try {
            BigDecimal n =
                    new BigDecimal(percent ? v.substring(0, v.length() - 1).strip() : v);
            double share = (percent ? n.movePointLeft(2) : n).doubleValue();
            checkShare(name, share);
            return share;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a share between 0 and 1 (0.05) or a percentage (5%)");
        }
    }

    private static long rows(String name, String value) {
        try {
            return Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of rows");
        }
    }

    private static void checkShare(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(name + " must be a share between 0 and 1 (0.05) or a percentage (5%)");
        }
    }
}
