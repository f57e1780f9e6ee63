package se.nestit.audience.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.CustomerIndex;

class ConsentLedgerTest {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-04-01T10:00:00Z");

    private static ConsentRecord rec(
            String customer, String purpose, ConsentStatus status, Instant at, String brand, long line) {
        return new ConsentRecord(customer, purpose, status, at, "web", brand, line);
    }

    private static ConsentRecord rec(ConsentStatus status, Instant at, long line) {
        return rec("c1", "marketing", status, at, "", line);
    }

    private static ConsentLedger ledger() {
        return new ConsentLedger(ConsentPolicy.DEFAULT, AS_OF);
    }

    private static ConsentLedger ledger(String brand) {
        return new ConsentLedger(new ConsentPolicy("marketing", 395, Optional.of(brand)), AS_OF);
    }

    @Test
    void noRecordsMeansNoDecidingRecord() {
        assertNull(ledger().decidingRecord("c1"));
    }

    /** Sized up front for fewer customers than come, and again half-way: every record is where it was offered. */
    @Test
    void aLedgerSizedUpFrontKeepsEveryCustomersRecord() {
        ConsentLedger l = ledger();
        l.expect(1500);
        List<ConsentRecord> offered = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            if (i == 1500) {
                l.expect(5000);
            }
            ConsentRecord r = rec("c" + i, "marketing", ConsentStatus.GRANTED, T1, "", i + 2);
            offered.add(r);
            l.offer(r);
        }
        l.offer(rec("c7", "marketing", ConsentStatus.WITHDRAWN, T2, "", 9000));
        for (int i = 0; i < 3000; i++) {
            assertEquals(
                    i == 7 ? ConsentStatus.WITHDRAWN : ConsentStatus.GRANTED,
                    l.decidingRecord("c" + i).status());
            assertEquals(
                    i == 7 ? 9000 : offered.get(i).line(),
                    l.decidingRecord("c" + i).line());
        }
    }

    @Test
    void aCustomersEntryIsFoundFromTheCustomerIndexAsFromTheId() {
        ConsentLedger l = ledger();
        l.offer(rec("c2", "marketing", ConsentStatus.GRANTED, T1, "", 2));
        l.offer(rec("\u00A0c1 ", "marketing", ConsentStatus.DENIED, T1, "", 3));
        CustomerIndex customers = new CustomerIndex();
        customers.add("c1");
        customers.add("c3");
        customers.add("c2");

        assertEquals(l.entryOf("c1"), l.entryOf(customers, 0));
        assertEquals(ConsentStatus.DENIED, l.status(l.entryOf(customers, 0)));
        assertEquals(-1, l.entryOf(customers, 1));
        assertEquals(ConsentStatus.GRANTED, l.status(l.entryOf(customers, 2)));
    }

    @Test
    void latestRecordDecides() {
        ConsentLedger l = ledger();
        ConsentRecord granted = rec(ConsentStatus.GRANTED, T1, 2);
        ConsentRecord withdrawn = rec(ConsentStatus.WITHDRAWN, T2, 3);
        l.offer(granted);
        l.offer(withdrawn);
        assertEquals(withdrawn, l.decidingRecord("c1"));
    }

    @Test
    void latestRecordDecidesWhateverTheOfferOrder() {
        ConsentLedger l = ledger();
        ConsentRecord withdrawn = rec(ConsentStatus.WITHDRAWN, T2, 3);
        l.offer(withdrawn);
        l.offer(rec(ConsentStatus.GRANTED, T1, 2));
        assertEquals(withdrawn, l.decidingRecord("c1"));
    }

    @Test
    void laterTimestampBeatsLaterLine() {
        // The line only breaks ties; an older record further down the file does not win.
        ConsentLedger l = ledger();
        ConsentRecord later = rec(ConsentStatus.GRANTED, T2, 2);
        l.offer(later);
        l.offer(rec(ConsentStatus.DENIED, T1, 9));
        assertEquals(later, l.decidingRecord("c1"));
    }

    @Test
    void equalTimestampsAndStatusesHigherLineWins() {
        ConsentRecord line4 = rec(ConsentStatus.DENIED, T1, 4);
        ConsentRecord line7 = rec(ConsentStatus.DENIED, T1, 7);

        ConsentLedger inFileOrder = ledger();
        inFileOrder.offer(line4);
        inFileOrder.offer(line7);
        assertEquals(line7, inFileOrder.decidingRecord("c1"));

        ConsentLedger reversed = ledger();
        reversed.offer(line7);
        reversed.offer(line4);
        assertEquals(line7, reversed.decidingRecord("c1"));
    }

    @Test
    void tieOfGrantAndWithdrawalEndsWithdrawnInBothRowOrders() {
        ConsentRecord grantFirst = rec(ConsentStatus.GRANTED, T1, 4);
        ConsentRecord withdrawalAfter = rec(ConsentStatus.WITHDRAWN, T1, 7);
        ConsentLedger l = ledger();
        l.offer(grantFirst);
        l.offer(withdrawalAfter);
        assertEquals(withdrawalAfter, l.decidingRecord("c1"));

        // a database export wrote the grant below the withdrawal of the same second
        ConsentRecord withdrawalFirst = rec(ConsentStatus.WITHDRAWN, T1, 4);
        ConsentRecord grantAfter = rec(ConsentStatus.GRANTED, T1, 7);
        ConsentLedger reordered = ledger();
        reordered.offer(withdrawalFirst);
        reordered.offer(grantAfter);
        assertEquals(withdrawalFirst, reordered.decidingRecord("c1"));
    }

    @Test
    void tieOfGrantAndDenialEndsDeniedAndWithdrawalBeatsDenial() {
        ConsentLedger l = ledger();
        l.offer(rec(ConsentStatus.DENIED, T1, 2));
        l.offer(rec(ConsentStatus.GRANTED, T1, 3));
        assertEquals(ConsentStatus.DENIED, l.decidingRecord("c1").status());
        l.offer(rec(ConsentStatus.WITHDRAWN, T1, 1));
        assertEquals(ConsentStatus.WITHDRAWN, l.decidingRecord("c1").status());
    }

    @Test
    void recordsAfterAsOfAreIgnored() {
        ConsentLedger l = ledger();
        ConsentRecord granted = rec(ConsentStatus.GRANTED, T1, 2);
        l.offer(granted);
        l.offer(rec(ConsentStatus.WITHDRAWN, AS_OF.plusSeconds(1), 3));
        assertEquals(granted, l.decidingRecord("c1"));
    }

    @Test
    void onlyFutureRecordsMeansNone() {
        ConsentLedger l = ledger();
        l.offer(rec(ConsentStatus.GRANTED, AS_OF.plusSeconds(1), 2));
        assertNull(l.decidingRecord("c1"));
    }

    @Test
    void recordExactlyAtAsOfCounts() {
        ConsentLedger l = ledger();
        l.offer(rec(ConsentStatus.GRANTED, T1, 2));
        ConsentRecord atAsOf = rec(ConsentStatus.WITHDRAWN, AS_OF, 3);
        l.offer(atAsOf);
        assertEquals(atAsOf, l.decidingRecord("c1"));
    }

    /** The ledger compares seconds and nanoseconds itself: a nanosecond past as_of is the future, a later one decides. */
    @Test
    void aNanosecondDecides() {
        ConsentLedger l = ledger();
        l.offer(rec(ConsentStatus.WITHDRAWN, AS_OF.plusNanos(1), 4));
        assertNull(l.decidingRecord("c1"), "a nanosecond after as_of");
        ConsentRecord later = rec(ConsentStatus.GRANTED, T1.plusNanos(1), 2);
        l.offer(later);
        l.offer(rec(ConsentStatus.WITHDRAWN, T1, 3));
        assertEquals(later, l.decidingRecord("c1"), "a nanosecond later beats a more restrictive status");
        ConsentRecord lastNanoOfAsOf = rec(ConsentStatus.DENIED, AS_OF.minusNanos(1), 5);
        l.offer(lastNanoOfAsOf);
        assertEquals(lastNanoOfAsOf, l.decidingRecord("c1"));
    }

    @Test
    void otherPurposesAreIgnored() {
        ConsentLedger l = ledger();
        ConsentRecord granted = rec(ConsentStatus.GRANTED, T1, 2);
        l.offer(granted);
        l.offer(rec("c1", "newsletter", ConsentStatus.WITHDRAWN, T2, "", 3));
        l.offer(rec("c1", "marketing-sms", ConsentStatus.DENIED, T2, "", 4));
        assertEquals(granted, l.decidingRecord("c1"));
    }

    @Test
    void onlyOtherPurposesMeansNone() {
        ConsentLedger l = ledger();
        l.offer(rec("c1", "newsletter", ConsentStatus.GRANTED, T1, "", 2));
        assertNull(l.decidingRecord("c1"));
    }

    @Test
    void purposeIsComparedTrimmedAndCaseInsensitively() {
        ConsentLedger l = ledger();
        ConsentRecord padded = rec("c1", " MARKETING\u00A0", ConsentStatus.GRANTED, T1, "", 2);
        l.offer(padded);
        assertEquals(padded, l.decidingRecord("c1"));
    }

    @Test
    void policyPurposeIsTrimmedToo() {
        ConsentLedger l = new ConsentLedger(new ConsentPolicy(" Marketing ", 395, Optional.empty()), AS_OF);
        ConsentRecord r = rec(ConsentStatus.GRANTED, T1, 2);
        l.offer(r);
        assertEquals(r, l.decidingRecord("c1"));
    }

    @Test
    void customersAreKeptApart() {
        ConsentLedger l = ledger();
        ConsentRecord c1 = rec("c1", "marketing", ConsentStatus.GRANTED, T1, "", 2);
        ConsentRecord c2 = rec("c2", "marketing", ConsentStatus.WITHDRAWN, T2, "", 3);
        l.offer(c1);
        l.offer(c2);
        assertEquals(c1, l.decidingRecord("c1"));
        assertEquals(c2, l.decidingRecord("c2"));
        assertNull(l.decidingRecord("c3"));
    }

    @Test
    void brandScopeIgnoresOtherBrands() {
        ConsentLedger l = ledger("bokia");
        ConsentRecord own = rec("c1", "marketing", ConsentStatus.GRANTED, T1, "bokia", 2);
        l.offer(own);
        l.offer(rec("c1", "marketing", ConsentStatus.WITHDRAWN, T2, "techshop", 3));
        assertEquals(own, l.decidingRecord("c1"));
    }

    @Test
    void brandScopeCountsRecordsWithoutBrand() {
        ConsentLedger l = ledger("bokia");
        l.offer(rec("c1", "marketing", ConsentStatus.GRANTED, T1, "bokia", 2));
        ConsentRecord unbranded = rec("c1", "marketing", ConsentStatus.WITHDRAWN, T2, " ", 3);
        l.offer(unbranded);
        assertEquals(unbranded, l.decidingRecord("c1"));
    }

    @Test
    void brandScopeComparesBrandTrimmed() {
        ConsentLedger l = ledger(" bokia ");
        ConsentRecord r = rec("c1", "marketing", ConsentStatus.GRANTED, T1, "bokia\u00A0", 2);
        l.offer(r);
        assertEquals(r, l.decidingRecord("c1"));
    }

    @Test
    void brandScopeWithOnlyOtherBrandsMeansNone() {
        ConsentLedger l = ledger("bokia");
        l.offer(rec("c1", "marketing", ConsentStatus.GRANTED, T1, "techshop", 2));
        assertNull(l.decidingRecord("c1"));
    }

    @Test
    void withoutBrandScopeEveryBrandCounts() {
        ConsentLedger l = ledger();
        l.offer(rec("c1", "marketing", ConsentStatus.GRANTED, T1, "bokia", 2));
        ConsentRecord other = rec("c1", "marketing", ConsentStatus.WITHDRAWN, T2, "techshop", 3);
        l.offer(other);
        assertEquals(other, l.decidingRecord("c1"));
        assertEquals(ConsentStatus.WITHDRAWN, l.decidingRecord("c1").status());
    }

    @Test
    void aRejectedRowOfThePurposeOrOfAnUnreadablePurposeMakesTheCustomerUnreadable() {
        ConsentLedger l = ledger();
        l.offerUnreadable("c1", "Marketing ", "");
        l.offerUnreadable("c2", "", "bokia");
        l.offerUnreadable("c3", "newsletter", "");
        assertTrue(l.unreadable("c1"));
        assertTrue(l.unreadable("c2"));
        assertFalse(l.unreadable("c3"));
        assertFalse(l.unreadable("c4"));
        // a rejected row is no record: it never stands in for consent
        assertNull(l.decidingRecord("c1"));
        assertNull(l.decidingRecord("c3"));
    }

    @Test
    void underABrandScopeARejectedRowOfAnotherBrandDoesNotCount() {
        ConsentLedger l = ledger("bokia");
        l.offerUnreadable("c1", "marketing", "techshop");
        l.offerUnreadable("c2", "marketing", "Bokia");
        l.offerUnreadable("c3", "marketing", "");
        assertFalse(l.unreadable("c1"));
        assertTrue(l.unreadable("c2"));
        assertTrue(l.unreadable("c3"));
    }

    @Test
    void anUnreadableRowDoesNotHideTheDecidingRecord() {
        // the gate reads both: the record for the audit trail, the flag for the verdict
        ConsentLedger l = ledger();
        ConsentRecord granted = rec(ConsentStatus.GRANTED, T1, 2);
        l.offer(granted);
        l.offerUnreadable("c1", "marketing", "");
        assertEquals(granted, l.decidingRecord("c1"));
        assertTrue(l.unreadable("c1"));
    }
}
