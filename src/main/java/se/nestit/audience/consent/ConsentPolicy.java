package se.nestit.audience.consent;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import se.nestit.audience.identity.WhiteSpace;

/**
 * Which consent counts: the purpose the records must name, how old a grant may be, when the run
 * is scoped to one brand (one data controller) that brand, and the purpose each of Google's
 * consent signals is decided on (by default the same purpose).
 */
public record ConsentPolicy(
        String purpose, int maxAgeDays, Optional<String> brand, Map<ConsentSignal, String> signals) {

    public static final ConsentPolicy DEFAULT = new ConsentPolicy("marketing", 395, Optional.empty());

    public ConsentPolicy {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(brand, "brand");
        purpose = WhiteSpace.strip(purpose);
        if (purpose.isEmpty()) {
            throw new IllegalArgumentException("purpose must not be empty");
        }
        if (maxAgeDays < 1) {
            throw new IllegalArgumentException("max_age_days must be at least 1 but was " + maxAgeDays);
        }
        brand = brand.map(WhiteSpace::strip).filter(b -> !b.isEmpty());
        Map<ConsentSignal, String> mapped = new EnumMap<>(ConsentSignal.class);
        for (ConsentSignal s : ConsentSignal.values()) {
            String p = WhiteSpace.strip(signals.getOrDefault(s, ""));
            mapped.put(s, p.isEmpty() ? purpose : p);
        }
        signals = Map.copyOf(mapped);
    }

    /** A policy whose Google signals both follow its purpose. */
    public ConsentPolicy(String purpose, int maxAgeDays, Optional<String> brand) {
        this(purpose, maxAgeDays, brand, Map.of());
    }

    /** The policy that decides one Google signal: the same rules on the signal's purpose. */
    public ConsentPolicy forSignal(ConsentSignal signal) {
        return new ConsentPolicy(signals.get(signal), maxAgeDays, brand);
    }

    /** Whether both of Google's signals are decided on the gate's purpose: today's one decision for all. */
    public boolean signalsFollowPurpose() {
        return signals.keySet().stream().noneMatch(this::signalHasOwnPurpose);
    }

    /** Whether a signal is decided on another purpose than the gate's, and so needs its own decision. */
    public boolean signalHasOwnPurpose(ConsentSignal signal) {
        return !signals.get(signal).equalsIgnoreCase(purpose);
    }

    boolean coversPurpose(String recordPurpose) {
        return WhiteSpace.strip(recordPurpose).equalsIgnoreCase(purpose);
    }

    boolean coversBrand(String recordBrand) {
        String b = WhiteSpace.strip(recordBrand);
        return b.isEmpty() || brand.map(b::equalsIgnoreCase).orElse(true);
    }

    public String describe() {
        return "purpose " + purpose.toLowerCase(Locale.ROOT) + ", max age " + maxAgeDays + " days"
                + brand.map(b -> ", brand " + b).orElse("");
    }
}
