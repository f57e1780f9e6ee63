package se.nestit.audience.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

/**
 * {@link ConsentLedger} against the contract written out here: of a customer's records of the
 * policy's purpose and brand recorded at or before as_of, the latest decides; on equal timestamps
 * the more restrictive status (withdrawn, denied, granted), then the later line. The ledger keeps
 * the deciding record's fields apart from any object, so the one it gives back must be that record
 * exactly: the same purpose, source and brand spelling, and recorded_at to the nanosecond.
 */
class ConsentLedgerPropertiesTest {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");
    private static final List<String> CUSTOMERS = List.of("c1", "c2", "C1", "c10000000", "c3");
    // the spellings that name the policy's purpose and brand (or no brand), and some that do not
    private static final Set<String> MARKETING = Set.of("marketing", " Marketing ", "MARKETING\u00A0");
    private static final Set<String> BOKIA_OR_NONE = Set.of("", "bokia", "Bokia ", " ");
    private static final Comparator<ConsentRecord> CONTRACT = Comparator.comparing(ConsentRecord::recordedAt)
            .thenComparing(r -> switch (r.status()) {
                case GRANTED -> 0;
                case DENIED -> 1;
                case WITHDRAWN -> 2;
            })
            .thenComparing(ConsentRecord::line);

    @Property(tries = 500)
    void theLedgerKeepsTheContractsDecidingRecordExactly(@ForAll("histories") List<ConsentRecord> history) {
        ConsentLedger ledger = new ConsentLedger(new ConsentPolicy("marketing", 395, Optional.of("bokia")), AS_OF);
        history.forEach(ledger::offer);
        for (String customer : CUSTOMERS) {
            ConsentRecord expected = history.stream()
                    .filter(r -> r.customerId().equals(customer))
                    .filter(r -> !r.recordedAt().isAfter(AS_OF))
                    .filter(r -> MARKETING.contains(r.purpose()))
                    .filter(r -> BOKIA_OR_NONE.contains(r.brand()))
                    .max(CONTRACT)
                    .orElse(null);
            assertEquals(expected, ledger.decidingRecord(customer), customer);
        }
    }

    @Provide
    Arbitrary<List<ConsentRecord>> histories() {
        // timestamps a nanosecond, a microsecond and a second apart, and exactly as_of or just after
        Arbitrary<Instant> at = Arbitraries.of(
                AS_OF.minusSeconds(86_400),
                AS_OF.minusSeconds(86_400).plusNanos(1),
                AS_OF.minusSeconds(86_400).plusNanos(1_000),
                AS_OF.minusSeconds(86_399),
                AS_OF,
                AS_OF.plusNanos(1));
        Arbitrary<String> purpose =
                Arbitraries.of("marketing", " Marketing ", "MARKETING\u00A0", "newsletter", "market ing");
        Arbitrary<String> source = Arbitraries.of("web", "shop \"north\"", "", " app ");
        Arbitrary<String> brand = Arbitraries.of("", "bokia", "Bokia ", "techshop", " ");
        Arbitrary<ConsentRecord> record = Combinators.combine(
                        Arbitraries.of(CUSTOMERS),
                        purpose,
                        Arbitraries.of(ConsentStatus.class),
                        at,
                        source,
                        brand,
                        Arbitraries.longs().between(1, 12))
                .as(ConsentRecord::new);
        return record.list().ofMaxSize(24);
    }
}
