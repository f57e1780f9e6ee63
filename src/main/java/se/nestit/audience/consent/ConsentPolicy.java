package se.nestit.audience.consent;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import se.nestit.audience.identity.WhiteSpace;

/**
 * Which consent counts: the purpose the records must name, how old a grant may be, and, when the
 * run is scoped to one brand (one data controller), that brand.
 */
public record ConsentPolicy(String purpose, int maxAgeDays, Optional<String> brand) {

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
