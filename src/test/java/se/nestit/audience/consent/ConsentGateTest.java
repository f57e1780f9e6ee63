package se.nestit.audience.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.CustomerIndex;

class ConsentGateTest {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");
    // AS_OF minus 395 days, from: date -u -d '2026-11-22T00:00:00Z - 395 days'
    private static final Instant MAX_AGE_AGO = Instant.parse("2025-10-23T00:00:00Z");
    private static final Instant FRESH = Instant.parse("2026-06-01T12:00:00Z");

    private final ConsentGate gate = new ConsentGate(ConsentPolicy.DEFAULT, AS_OF);
    private final Suppressions none = new Suppressions();

    private static ConsentRecord consent(ConsentStatus status, Instant at) {
        return new ConsentRecord("c1", "marketing", status, at, "web", "", 2);
    }

    private static final ConsentRecord GRANTED = consent(ConsentStatus.GRANTED, FRESH);

    private static Suppressions suppressing(String customerId, String email) {
        Suppressions s = new Suppressions();
        s.add(customerId, email);
        return s;
    }

    @Test
    void freshGrantIsExportable() {
        assertEquals(GateVerdict.EXPORTABLE, gate.decide("c1", "anna@exempel.se", none, GRANTED, false));
    }

    @Test
    void emptyEmailIsNoEmail() {
        assertEquals(GateVerdict.NO_EMAIL, gate.decide("c1", "", none, GRANTED, false));
    }

    @Test
    void emailOfOnlyWhiteSpaceAndBomIsNoEmail() {
        assertEquals(GateVerdict.NO_EMAIL, gate.decide("c1", " \u00A0\uFEFF\t\u3000", none, GRANTED, false));
    }

    @Test
    void noEmailBeatsSuppressionAndMissingConsent() {
        assertEquals(GateVerdict.NO_EMAIL, gate.decide("c1", "  ", suppressing("c1", ""), null, false));
    }

    @Test
    void invalidEmailBeatsMissingConsent() {
        assertEquals(GateVerdict.INVALID_EMAIL, gate.decide("c1", "anna@exempel", none, null, false));
    }

    @Test
    void invalidEmailBeatsSuppression() {
        assertEquals(
                GateVerdict.INVALID_EMAIL, gate.decide("c1", "anna exempel.se", suppressing("c1", ""), GRANTED, false));
    }

    @Test
    void innerNoBreakSpaceIsInvalidEmail() {
        assertEquals(GateVerdict.INVALID_EMAIL, gate.decide("c1", "anna\u00A0lind@exempel.se", none, GRANTED, false));
    }

    @Test
    void paddedEmailIsValidAfterBasicNormalization() {
        assertEquals(GateVerdict.EXPORTABLE, gate.decide("c1", "\uFEFF Anna@Exempel.SE\u00A0", none, GRANTED, false));
    }

    @Test
    void suppressedBeatsGrantedConsent() {
        assertEquals(
                GateVerdict.SUPPRESSED, gate.decide("c1", "anna@exempel.se", suppressing("c1", ""), GRANTED, false));
    }

    @Test
    void suppressedBeatsMissingAndExpiredConsent() {
        Suppressions s = suppressing("c1", "");
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "anna@exempel.se", s, null, false));
        assertEquals(
                GateVerdict.SUPPRESSED,
                gate.decide("c1", "anna@exempel.se", s, consent(ConsentStatus.GRANTED, MAX_AGE_AGO), false));
    }

    @Test
    void suppressionOfAnotherCustomerIdDoesNotApply() {
        assertEquals(
                GateVerdict.EXPORTABLE, gate.decide("c1", "anna@exempel.se", suppressing("c2", ""), GRANTED, false));
    }

    @Test
    void suppressionCustomerIdIsStripped() {
        assertEquals(
                GateVerdict.SUPPRESSED,
                gate.decide("c1", "anna@exempel.se", suppressing(" c1\u00A0", ""), GRANTED, false));
    }

    @Test
    void unreadableConsentKeepsOutEvenAFreshGrant() {
        assertEquals(GateVerdict.CONSENT_UNREADABLE, gate.decide("c1", "anna@exempel.se", none, GRANTED, true));
        assertEquals(GateVerdict.CONSENT_UNREADABLE, gate.decide("c1", "anna@exempel.se", none, null, true));
    }

    @Test
    void suppressedComesBeforeUnreadableConsent() {
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "anna@exempel.se", suppressing("c1", ""), null, true));
    }

    @Test
    void missingConsentIsConsentMissing() {
        assertEquals(GateVerdict.CONSENT_MISSING, gate.decide("c1", "anna@exempel.se", none, null, false));
    }

    @Test
    void deniedIsConsentDenied() {
        assertEquals(
                GateVerdict.CONSENT_DENIED,
                gate.decide("c1", "anna@exempel.se", none, consent(ConsentStatus.DENIED, FRESH), false));
    }

    @Test
    void withdrawnIsConsentWithdrawn() {
        assertEquals(
                GateVerdict.CONSENT_WITHDRAWN,
                gate.decide("c1", "anna@exempel.se", none, consent(ConsentStatus.WITHDRAWN, FRESH), false));
    }

    @Test
    void oldDenialIsStillDeniedNotExpired() {
        // Expiry applies to grants only.
        assertEquals(
                GateVerdict.CONSENT_DENIED,
                gate.decide(
                        "c1",
                        "anna@exempel.se",
                        none,
                        consent(ConsentStatus.DENIED, Instant.parse("2020-01-01T00:00:00Z")),
                        false));
        assertEquals(
                GateVerdict.CONSENT_WITHDRAWN,
                gate.decide("c1", "anna@exempel.se", none, consent(ConsentStatus.WITHDRAWN, MAX_AGE_AGO), false));
    }

    @Test
    void expiredExactlyAtMaxAge() {
        assertEquals(
                GateVerdict.CONSENT_EXPIRED,
                gate.decide("c1", "anna@exempel.se", none, consent(ConsentStatus.GRANTED, MAX_AGE_AGO), false));
    }

    @Test
    void freshOneSecondAfterMaxAge() {
        assertEquals(
                GateVerdict.EXPORTABLE,
                gate.decide(
                        "c1",
                        "anna@exempel.se",
                        none,
                        consent(ConsentStatus.GRANTED, MAX_AGE_AGO.plusSeconds(1)),
                        false));
    }

    @Test
    void expiredOneSecondBeforeMaxAge() {
        assertEquals(
                GateVerdict.CONSENT_EXPIRED,
                gate.decide(
                        "c1",
                        "anna@exempel.se",
                        none,
                        consent(ConsentStatus.GRANTED, MAX_AGE_AGO.minusSeconds(1)),
                        false));
    }

    @Test
    void grantRecordedExactlyAtAsOfIsFresh() {
        assertEquals(
                GateVerdict.EXPORTABLE,
                gate.decide("c1", "anna@exempel.se", none, consent(ConsentStatus.GRANTED, AS_OF), false));
    }

    @Test
    void configuredMaxAgeMovesTheBoundary() {
        ConsentGate thirtyDays = new ConsentGate(new ConsentPolicy("marketing", 30, Optional.empty()), AS_OF);
        Instant thirtyDaysAgo = Instant.parse("2026-10-23T00:00:00Z");
        assertEquals(
                GateVerdict.CONSENT_EXPIRED,
                thirtyDays.decide("c1", "anna@exempel.se", none, consent(ConsentStatus.GRANTED, thirtyDaysAgo), false));
        assertEquals(
                GateVerdict.EXPORTABLE,
                thirtyDays.decide(
                        "c1",
                        "anna@exempel.se",
                        none,
                        consent(ConsentStatus.GRANTED, thirtyDaysAgo.plusSeconds(1)),
                        false));
    }

    @Test
    void emailSuppressionMatchesAfterBasicNormalization() {
        Suppressions s = suppressing("", "  ANNA@Exempel.se\u00A0");
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "anna@exempel.se", s, GRANTED, false));
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "\uFEFFAnna@EXEMPEL.SE ", s, GRANTED, false));
    }

    @Test
    void emailSuppressionDoesNotMatchAnotherAddress() {
        Suppressions s = suppressing("", "anna@exempel.se");
        assertEquals(GateVerdict.EXPORTABLE, gate.decide("c1", "anna@exempel.com", s, GRANTED, false));
    }

    @Test
    void gmailSuppressionCoversOtherSpellingsOfTheMailbox() {
        Suppressions s = suppressing("", "a.b+x@gmail.com");
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "ab@gmail.com", s, GRANTED, false));
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "A.B@Gmail.com", s, GRANTED, false));
    }

    @Test
    void gmailCanonicalSuppressionCoversDottedAndTaggedCustomer() {
        Suppressions s = suppressing("", "ab@gmail.com");
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "a.b+x@gmail.com", s, GRANTED, false));
    }

    @Test
    void googlemailSuppressionCoversOtherSpellingsOnGooglemail() {
        Suppressions s = suppressing("", "a.b+x@googlemail.com");
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("c1", "ab@googlemail.com", s, GRANTED, false));
    }

    @Test
    void gmailAndGooglemailAreOneMailbox() {
        // Gmail delivers name@googlemail.com and name@gmail.com to the same inbox
        assertEquals(
                GateVerdict.SUPPRESSED,
                gate.decide("c1", "ab@gmail.com", suppressing("", "a.b@googlemail.com"), GRANTED, false));
        assertEquals(
                GateVerdict.SUPPRESSED,
                gate.decide("c1", "a.b+x@googlemail.com", suppressing("", "ab@gmail.com"), GRANTED, false));
    }

    @Test
    void aSuppressionByIdFollowsThePersonToAnotherRecordWithAnotherSpellingOfTheirGmailAddress() {
        // C1 asked for erasure; the same person is also C2, under another spelling of one Gmail mailbox
        Suppressions s = suppressing("C1", "");
        s.followPerson("C1", " A.B@Gmail.com");
        s.followPerson("C2", "ab+news@googlemail.com");
        s.followPerson("C3", "cd@gmail.com");

        assertEquals(GateVerdict.SUPPRESSED, gate.decide("C2", "ab+news@googlemail.com", s, GRANTED, false));
        assertEquals(GateVerdict.SUPPRESSED, gate.decide("C4", "a.b@gmail.com", s, GRANTED, false));
        // only the suppressed id's email follows: C2's own record suppressed nobody else
        assertEquals(GateVerdict.EXPORTABLE, gate.decide("C3", "cd@gmail.com", s, GRANTED, false));
    }

    @Test
    void followPersonsLetsEverySuppressedIdThatIsACustomerFollowItsEmail() {
        // C1 and C5 asked for erasure; C5 has no customer record, nobody suppressed C3
        Suppressions s = suppressing("C1", "");
        s.add("C5", "");
        CustomerIndex customers = new CustomerIndex();
        customers.add("C3");
        customers.add("C1");
        List<String> emails = List.of("cd@gmail.com", " A.B@Gmail.com");
        s.followPersons(customers, emails::get);

        assertEquals(GateVerdict.SUPPRESSED, gate.decide("C2", "ab+news@googlemail.com", s, GRANTED, false));
        assertEquals(GateVerdict.EXPORTABLE, gate.decide("C4", "cd@gmail.com", s, GRANTED, false));
    }

    @Test
    void aSuppressionByIdOfARecordWithoutAUsableEmailSuppressesNoEmail() {
        Suppressions s = suppressing("C1", "");
        s.followPerson("C1", " ");
        assertEquals(GateVerdict.EXPORTABLE, gate.decide("C2", "anna@exempel.se", s, GRANTED, false));
    }

    @Test
    void dotsAndTagsMatterOutsideGmail() {
        assertEquals(
                GateVerdict.EXPORTABLE,
                gate.decide("c1", "ab@outlook.com", suppressing("", "a.b@outlook.com"), GRANTED, false));
        assertEquals(
                GateVerdict.EXPORTABLE,
                gate.decide("c1", "a.b@outlook.com", suppressing("", "ab@outlook.com"), GRANTED, false));
        assertEquals(
                GateVerdict.EXPORTABLE,
                gate.decide("c1", "ab+x@outlook.com", suppressing("", "ab@outlook.com"), GRANTED, false));
    }

    @Test
    void skipReasonsFollowTheContractOrderAndCodes() {
        assertEquals(
                List.of(
                        "no_email",
                        "invalid_email",
                        "suppressed",
                        "consent_unreadable",
                        "consent_missing",
                        "consent_denied",
                        "consent_withdrawn",
                        "consent_expired"),
                GateVerdict.SKIP_REASONS.stream().map(GateVerdict::code).collect(Collectors.toList()));
    }

    @Test
    void onlyExportableIsExportable() {
        for (GateVerdict v : GateVerdict.values()) {
            assertEquals(v == GateVerdict.EXPORTABLE, v.isExportable(), v.name());
        }
    }
}
