package se.nestit.audience.consent;

import java.util.Locale;

/**
 * Google's two consent signals (Consent Mode v2, EU user consent policy). Each is decided by the
 * gate's own rules on the consent purpose the config maps it to; only someone who granted both is
 * sent to a Google destination. Declared in the order a report names the first one missing.
 */
public enum ConsentSignal {
    /** Sending the person's data to Google for advertising: what Customer Match needs. */
    AD_USER_DATA,
    /** Personalized advertising: what a list that exists to target ads is for. */
    AD_PERSONALIZATION;

    /** {@code ad_user_data}, {@code ad_personalization}: the config's and the audit trail's names. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The report's reason for a person kept from a Google destination by this signal. */
    public String notGranted() {
        return code() + "_not_granted";
    }
}
