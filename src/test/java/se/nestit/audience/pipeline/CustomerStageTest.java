package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputException;
import se.nestit.audience.source.Rejects;
import se.nestit.audience.source.Timestamps;

/** How reading customers and consents side by side ends when one of them fails, and what the gate then decides. */
@Timeout(60)
class CustomerStageTest {

    private static final Instant AS_OF = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void whenCustomersFailTheConsentsReaderHasStoppedBeforeReadThrows() throws IOException {
        write("customers.csv", "customer_id,email\nc1,a@example.com\nb@example.com,b@example.com\n");
        write(
                "consents.csv",
                "customer_id,purpose,status,recorded_at\n" + "c1,marketing,granted,2026-01-01\n".repeat(1000));
        write("suppressions.csv", "customer_id,email\n");
        DataSet data = DataSet.open(dir, Map.of(), Map.of(), new Timestamps(ZoneId.of("UTC")), new Rejects());
        AtomicInteger consentsOpen = new AtomicInteger();
        CountDownLatch consentsUnderWay = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        // consents.csv is held at its header until stopped; customers.csv fails once consents are under way
        Progress progress = (name, total) -> new Progress.Task() {
            {
                if (name.equals("consents")) {
                    consentsOpen.incrementAndGet();
                }
            }

            @Override
            public void advance(long n) {
                if (name.equals("consents") && consentsUnderWay.getCount() > 0) {
                    consentsUnderWay.countDown();
                    await(never);
                } else if (name.equals("customers")) {
                    await(consentsUnderWay);
                }
            }

            @Override
            public void close() {
                if (name.equals("consents")) {
                    consentsOpen.decrementAndGet();
                }
            }
        };
        SegmentProgram noRules = SegmentProgram.compile(List.<AudienceDefinition>of(), data::header, AS_OF);
        CustomerStage stage = new CustomerStage(data, noRules, ConsentPolicy.DEFAULT, AS_OF, progress);

        InputException e = assertThrows(InputException.class, stage::read);
        int openWhenThrown = consentsOpen.get();
        never.countDown();

        assertTrue(e.getMessage().contains("customers.csv: line 3, column 1 (customer_id)"), e.getMessage());
        assertEquals(0, openWhenThrown, "the consents reader was still at work when read() threw");
    }

    @Test
    void theGateFollowsASuppressedIdToItsEmailAndNamesEachCustomersDecidingRecord() throws IOException {
        write(
                "customers.csv",
                "customer_id,email\nC1,anna@example.com\nC2,Anna@Example.com\nC3,bo@example.com\nC4,cy@example.com\nC5,di@example.com\nC6,ed@example.com\n");
        write(
                "consents.csv",
                "customer_id,purpose,status,recorded_at,source\n"
                        + "C3,marketing,granted,2026-01-01T00:00:00Z,web\n"
                        + "C2,marketing,granted,2026-01-01T00:00:00Z,web\n"
                        + "C3,marketing,granted,2026-02-01T00:00:00Z,shop\n"
                        + "C1,marketing,granted,2026-02-01T00:00:00Z,web\n"
                        + "C5,marketing,granted,2025-10-22T10:00:00Z,web\n"
                        + "C6,marketing,denied,2026-02-01T00:00:00Z,web\n");
        write("suppressions.csv", "customer_id,email\nC1,\n");
        CustomerTable customers = gated();
        // C2 is C1's address in another spelling: the erasure of C1 follows the person
        assertEquals(GateVerdict.SUPPRESSED, customers.verdict(customers.indexOf("C2")));
        assertEquals(GateVerdict.EXPORTABLE, customers.verdict(customers.indexOf("C3")));
        assertEquals(GateVerdict.CONSENT_MISSING, customers.verdict(customers.indexOf("C4")));
        // granted exactly 395 days before as_of: expired
        assertEquals(GateVerdict.CONSENT_EXPIRED, customers.verdict(customers.indexOf("C5")));
        assertEquals(GateVerdict.CONSENT_DENIED, customers.verdict(customers.indexOf("C6")));
        assertEquals(
                new ConsentRecord(
                        "C3", "marketing", ConsentStatus.GRANTED, Instant.parse("2026-02-01T00:00:00Z"), "shop", "", 4),
                customers.consent(customers.indexOf("C3")));
        assertNull(customers.consent(customers.indexOf("C4")));
    }

    @Test
    void cellsThatAreNotPlainAreDecidedAsPlainOnesInEverySlice() throws IOException {
        // enough customers for a slice per core; every fifth cell of a kind
        int n = 20_005;
        StringBuilder customersCsv = new StringBuilder("customer_id,email\n");
        StringBuilder consentsCsv = new StringBuilder("customer_id,purpose,status,recorded_at,source\n");
        for (int i = 0; i < n; i++) {
            String email = switch (i % 5) {
                case 0 -> "c" + i + "@example.se";
                case 1 -> " C" + i + "@Example.SE\u00A0";
                case 2 -> "\u00C5" + i + "@exempel.se";
                case 3 -> "";
                default -> " bad" + i + " ";
            };
            customersCsv.append('C').append(i).append(",\"").append(email).append("\"\n");
            consentsCsv
                    .append('C')
                    .append(i)
                    .append(",marketing,")
                    .append(i % 2 == 0 ? "granted" : "denied")
                    .append(",2026-06-01T00:00:00Z,web\n");
        }
        write("customers.csv", customersCsv.toString());
        write("consents.csv", consentsCsv.toString());
        // one plain cell and one that is not, by their basic form
        write("suppressions.csv", "customer_id,email\n,c10@example.se\n,c11@example.se\n");
        CustomerTable customers = gated();
        for (int i = 0; i < n; i++) {
            GateVerdict expected = i == 10 || i == 11
                    ? GateVerdict.SUPPRESSED
                    : i % 5 == 3
                            ? GateVerdict.NO_EMAIL
                            : i % 5 == 4
                                    ? GateVerdict.INVALID_EMAIL
                                    : i % 2 == 0 ? GateVerdict.EXPORTABLE : GateVerdict.CONSENT_DENIED;
            assertEquals(expected, customers.verdict(customers.indexOf("C" + i)), "C" + i);
        }
    }

    /** Waits until counted down or interrupted, and keeps the interrupt for the reader to see. */
    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The files written to {@code dir} read and gated as of {@link #AS_OF}, with no audience rules. */
    private CustomerTable gated() throws IOException {
        DataSet data = DataSet.open(dir, Map.of(), Map.of(), new Timestamps(ZoneId.of("UTC")), new Rejects());
        SegmentProgram noRules = SegmentProgram.compile(List.<AudienceDefinition>of(), data::header, AS_OF);
        CustomerStage stage = new CustomerStage(data, noRules, ConsentPolicy.DEFAULT, AS_OF, Progress.NONE);
        stage.read();
        stage.gate();
        return stage.customers();
    }
}
