package se.nestit.audience.consent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the consent gate decided for one customer record: exportable, or the first reason, in the
 * contract's order of precedence, that keeps the customer out of every audience.
 */
public enum GateVerdict {
    EXPORTABLE,
    NO_EMAIL,
    INVALID_EMAIL,
    SUPPRESSED,
    CONSENT_UNREADABLE,
    CONSENT_MISSING,
    CONSENT_DENIED,
    CONSENT_WITHDRAWN,
    CONSENT_EXPIRED;

    /** Made once: the audit trail asks for it of every customer it names. */
    private final String code = name().toLowerCase(Locale.ROOT);

    /** The skip reasons, in order of precedence. */
    public static final List<GateVerdict> SKIP_REASONS = List.of(
            NO_EMAIL,
            INVALID_EMAIL,
            SUPPRESSED,
            CONSENT_UNREADABLE,
            CONSENT_MISSING,
            CONSENT_DENIED,
            CONSENT_WITHDRAWN,
            CONSENT_EXPIRED);

    /** The skip reasons' codes with their counts, all of them, zeros included, in order of precedence: the report's form. */
    public static Map<String, Long> skipCounts(Map<GateVerdict, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (GateVerdict v : SKIP_REASONS) {
            out.put(v.code(), counts.getOrDefault(v, 0L));
        }
        return out;
    }

    public boolean isExportable() {
        return this == EXPORTABLE;
    }

    /** The name reports use: {@code consent_missing}, ... */
    public String code() {
        return code;
    }
}
