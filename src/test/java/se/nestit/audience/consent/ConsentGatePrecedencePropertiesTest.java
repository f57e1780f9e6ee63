package se.nestit.audience.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import se.nestit.audience.privacy.ContractOracle;
import se.nestit.audience.privacy.ContractOracle.Verdict;
import se.nestit.audience.privacy.Emails;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.CustomerIndex;

/**
 * {@link ConsentGate#decide} against the contract's order of precedence written out independently
 * ({@link ContractOracle}): no_email, invalid_email, suppressed (by id, or by email basic-normalized
 * or as one Gmail mailbox), then the deciding consent record: missing, denied, withdrawn, expired
 * (recorded at or before as_of - max_age_days), else exportable. Inputs are built so that several
 * reasons apply at once, which is where an order mistake shows.
 */
class ConsentGatePrecedencePropertiesTest {

    record Suppression(String customerId, String email) {}

    /** @param unreadable whether a consents.csv row of the customer's purpose was rejected */
    record Case(
            String customerId,
            String rawEmail,
            List<Suppression> suppressions,
            boolean unreadable,
            Optional<ConsentStatus> status,
            Instant recordedAt,
            Instant asOf,
            int maxAgeDays) {}

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReportMode.OFF) // coverage is still checked; the table is noise in a green build
    void theFirstApplicableReasonInContractOrderIsTheVerdict(@ForAll("cases") Case c) {
        Suppressions suppressions = new Suppressions();
        c.suppressions().forEach(s -> suppressions.add(s.customerId(), s.email()));
        ConsentRecord consent = c.status()
                .map(s -> new ConsentRecord(c.customerId(), "marketing", s, c.recordedAt(), "web", "", 7))
                .orElse(null);
        ConsentGate gate = new ConsentGate(new ConsentPolicy("marketing", c.maxAgeDays(), Optional.empty()), c.asOf());

        GateVerdict actual = gate.decide(c.customerId(), c.rawEmail(), suppressions, consent, c.unreadable());

        Verdict expected = expected(c);
        assertEquals(expected.code(), actual.code(), c.toString());

        // the generator must reach every verdict, and suppressions that only Gmail's mailbox rule finds
        Statistics.label("verdict").collect(expected);
        Statistics.label("verdict").coverage(coverage -> {
            for (Verdict v : Verdict.values()) {
                coverage.check(v).percentage(p -> p >= 2.0);
            }
        });
        Statistics.label("suppression").collect(suppressionKind(c));
        Statistics.label("suppression")
                .coverage(coverage ->
                        coverage.check("as the same Gmail mailbox only").count(n -> n >= 10));
    }

    /**
     * The gate's way from an email cell's bytes answers as the contract for every plain cell
     * (printable ASCII, no white space) and leaves every other cell to the gate's strings. The cell
     * sits amid other bytes, as the customer table holds it.
     */
    @Property(tries = 1000)
    @StatisticsReport(StatisticsReportMode.OFF)
    void fromAPlainCellsBytesTheVerdictIsTheContractsToo(@ForAll("cases") Case c) {
        Suppressions suppressions = new Suppressions();
        c.suppressions().forEach(s -> suppressions.add(s.customerId(), s.email()));
        CustomerIndex customers = new CustomerIndex();
        customers.add("c0");
        customers.add(c.customerId());
        ConsentGate gate = new ConsentGate(new ConsentPolicy("marketing", c.maxAgeDays(), Optional.empty()), c.asOf());
        byte[] row = ("c1," + c.rawEmail() + ",Anna").getBytes(StandardCharsets.UTF_8);

        GateVerdict actual = gate.decidePlain(
                row,
                3,
                row.length - 5,
                suppressions.customersIn(customers).get(1),
                suppressions,
                c.status().orElse(null),
                c.recordedAt(),
                c.unreadable());

        boolean plain = !c.rawEmail().isEmpty() && c.rawEmail().chars().allMatch(ch -> ch > ' ' && ch < 0x7F);
        if (plain) {
            assertEquals(expected(c).code(), actual.code(), c.toString());
        } else {
            assertNull(actual, c.toString());
        }
        Statistics.label("cell").collect(plain ? "plain" : "not plain");
        Statistics.label("cell").coverage(coverage -> coverage.check("plain").percentage(p -> p >= 30.0));
        Statistics.label("plain suppression").collect(plain ? suppressionKind(c) : "not plain");
        Statistics.label("plain suppression")
                .coverage(coverage ->
                        coverage.check("as the same Gmail mailbox only").count(n -> n >= 10));
        Statistics.label("plain verdict").collect(plain ? expected(c) : "not plain");
        Statistics.label("plain verdict").coverage(coverage -> {
            for (Verdict v : Verdict.values()) {
                if (v != Verdict.NO_EMAIL) {
                    coverage.check(v).count(n -> n >= 5);
                }
            }
        });
    }

    private static String suppressionKind(Case c) {
        String email = ContractOracle.basic(c.rawEmail());
        if (!ContractOracle.isValid(email)) {
            return "no valid email";
        }
        if (c.suppressions().stream().anyMatch(s -> s.customerId().equals(c.customerId()))) {
            return "by id";
        }
        if (c.suppressions().stream()
                .anyMatch(
                        s -> !email.isEmpty() && ContractOracle.basic(s.email()).equals(email))) {
            return "by email";
        }
        if (c.suppressions().stream()
                .anyMatch(s -> !ContractOracle.basic(s.email()).isEmpty()
                        && ContractOracle.gmailMailbox(ContractOracle.basic(s.email()))
                                .equals(ContractOracle.gmailMailbox(email)))) {
            return "as the same Gmail mailbox only";
        }
        return "not suppressed";
    }

    /** The contract, rule by rule, in its order. */
    static Verdict expected(Case c) {
        String email = ContractOracle.basic(c.rawEmail());
        if (email.isEmpty()) {
            return Verdict.NO_EMAIL;
        }
        if (!ContractOracle.isValid(email)) {
            return Verdict.INVALID_EMAIL;
        }
        for (Suppression s : c.suppressions()) {
            String by = ContractOracle.basic(s.email());
            boolean byId = !s.customerId().isEmpty() && s.customerId().equals(c.customerId());
            boolean byEmail = !by.isEmpty()
                    && (by.equals(email) || ContractOracle.gmailMailbox(by).equals(ContractOracle.gmailMailbox(email)));
            if (byId || byEmail) {
                return Verdict.SUPPRESSED;
            }
        }
        if (c.unreadable()) {
            return Verdict.CONSENT_UNREADABLE;
        }
        if (c.status().isEmpty()) {
            return Verdict.CONSENT_MISSING;
        }
        return switch (c.status().get()) {
            case DENIED -> Verdict.CONSENT_DENIED;
            case WITHDRAWN -> Verdict.CONSENT_WITHDRAWN;
            case GRANTED ->
                c.recordedAt().isAfter(c.asOf().minus(Duration.ofDays(c.maxAgeDays())))
                        ? Verdict.EXPORTABLE
                        : Verdict.CONSENT_EXPIRED;
        };
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Instant> asOfs =
                Arbitraries.of(Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2024-02-29T13:45:07Z"));
        Arbitrary<Integer> maxAges = Arbitraries.of(1, 30, 395);
        Arbitrary<String> ids = Arbitraries.of("c1", "c2");
        return Combinators.combine(ids, Emails.cells(), asOfs, maxAges).flatAs((id, email, asOf, maxAge) -> {
            Instant limit = asOf.minus(Duration.ofDays(maxAge));
            // the deciding record is at or before as_of (the ledger drops later ones)
            Arbitrary<Instant> recorded = Arbitraries.of(
                    limit.minusSeconds(86_400),
                    limit.minusSeconds(1),
                    limit,
                    limit.plusSeconds(1),
                    limit.plusMillis(1),
                    asOf.minusSeconds(3600),
                    asOf);
            Arbitrary<Optional<ConsentStatus>> status =
                    Arbitraries.of(ConsentStatus.class).optional(0.8);
            Arbitrary<Suppression> suppression = Combinators.combine(
                            Arbitraries.of("", "", "c1", "c2", "c9"),
                            Arbitraries.frequencyOf(
                                    net.jqwik.api.Tuple.of(2, Arbitraries.just("")),
                                    net.jqwik.api.Tuple.of(2, Emails.cells()),
                                    // the customer's own address in another spelling: same mailbox
                                    net.jqwik.api.Tuple.of(
                                            3,
                                            Arbitraries.integers()
                                                    .between(0, Integer.MAX_VALUE)
                                                    .map(how -> Emails.respell(email, how)))))
                    .as(Suppression::new);
            Arbitrary<Boolean> unreadable = Arbitraries.of(false, false, false, false, false, false, false, true);
            return Combinators.combine(suppression.list().ofMaxSize(3), unreadable, status, recorded)
                    .as((s, u, st, at) -> new Case(id, email, s, u, st, at, asOf, maxAge));
        });
    }
}
