package se.nestit.audience.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.consent.ConsentGate;
import se.nestit.audience.consent.ConsentLedger;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.consent.Suppressions;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.segment.ValueProbe;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentSink;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputFile;

/**
 * Reads suppressions, consents and customers, then runs the consent gate over every customer.
 * Consent history is folded into one deciding record per customer as it streams by.
 */
final class CustomerStage {

    private static final Logger log = LoggerFactory.getLogger(CustomerStage.class);

    private final DataSet data;
    private final SegmentProgram program;
    private final ConsentPolicy policy;
    private final Instant asOf;
    private final Progress progress;

    private final Suppressions suppressions = new Suppressions();
    private final ConsentLedger ledger;
    /** For each Google signal decided on a purpose of its own, that purpose's ledger. */
    private final Map<ConsentSignal, ConsentLedger> signalLedgers = new EnumMap<>(ConsentSignal.class);

    private final CustomerTable customers = new CustomerTable();
    private final BitSet[] customerFlags;
    private final ValueProbe probe;

    CustomerStage(DataSet data, SegmentProgram program, ConsentPolicy policy, Instant asOf, Progress progress) {
        this.data = data;
        this.program = program;
        this.policy = policy;
        this.asOf = asOf;
        this.progress = progress;
        this.ledger = new ConsentLedger(policy, asOf);
        for (ConsentSignal s : ConsentSignal.values()) {
            if (policy.signalHasOwnPurpose(s)) {
                signalLedgers.put(s, new ConsentLedger(policy.forSignal(s), asOf));
            }
        }
        this.probe = program.probe(InputFile.CUSTOMERS);
        this.customerFlags = new BitSet[program.customerFilterCount()];
        for (int i = 0; i < customerFlags.length; i++) {
            customerFlags[i] = new BitSet();
        }
    }

    /**
     * Reads the three files; consents and customers at the same time, as nothing ties them before
     * the gate. When customers.csv fails, the consents reader is stopped before this method throws.
     */
    void read() {
        // sized up front: growing a table of a million ids places each again, a cache miss apiece
        long expected = data.estimatedRecords(InputFile.CUSTOMERS);
        customers.expect(expected);
        ledger.expect(expected);
        signalLedgers.values().forEach(l -> l.expect(expected));
        try (Progress.Task task = progress.start("suppressions", data.size(InputFile.SUPPRESSIONS))) {
            data.readSuppressions(task::advance, row -> suppressions.add(row.customerId(), row.email()));
        }
        FutureTask<Void> consents = new FutureTask<>(() -> {
            try (Progress.Task task = progress.start("consents", data.size(InputFile.CONSENTS))) {
                List<ConsentLedger> ledgers = new ArrayList<>(List.of(ledger));
                ledgers.addAll(signalLedgers.values());
                data.readConsents(task::advance, ConsentSink.all(ledgers));
            }
            return null;
        });
        // a thread of its own, which ends with the read, rather than one of the common pool's
        Thread consentsThread = new Thread(consents, "consents-reader");
        consentsThread.start();
        try {
            readCustomers();
            consents.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading consents", e);
        } finally {
            // nothing once consents are read; when customers failed, the consents reader stops at its next chunk
            consents.cancel(true);
            joinUninterruptibly(consentsThread);
        }
        int rejected = data.rejects().count(InputFile.CONSENTS);
        if (rejected > 0) {
            log.warn(
                    "{} consent rows were rejected (see rejects.csv): their customers are not exported (consent_unreadable) "
                            + "until the rows are fixed",
                    rejected);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void readCustomers() {
        try (Progress.Task task = progress.start("customers", data.size(InputFile.CUSTOMERS))) {
            data.readCustomers(
                    task::advance,
                    row -> {
                        int i = customers.add(row);
                        if (i < 0) {
                            // still this customer_id's address: a suppression by the id follows it too
                            suppressions.followPerson(row.customerId(), row.email());
                            return "duplicate customer_id (first at line "
                                    + customers.line(customers.indexOf(row.customerId())) + ")";
                        }
                        probe.accept(row.cells());
                        for (int slot = 0; slot < customerFlags.length; slot++) {
                            if (program.customerMatches(slot, row.cells())) {
                                customerFlags[slot].set(i);
                            }
                        }
                        return null;
                    },
                    suppressions::followPerson); // a rejected row's address is the person's as well
        }
    }

    /** Decides every customer, on every core; afterwards {@link CustomerTable#verdict(int)} answers. */
    void gate() {
        ConsentGate gate = new ConsentGate(policy, asOf);
        int n = customers.size();
        suppressions.followPersons(customers.index(), customers::email);
        BitSet suppressedIds = suppressions.customersIn(customers.index());
        GateVerdict[] verdicts = new GateVerdict[n];
        int[] entries = new int[n];
        try (Progress.Task task = progress.start("consent gate", n)) {
            Slices slices = Slices.of(n);
            slices.parallel().forEach(t -> {
                int[] others = decidePlain(gate, suppressedIds, verdicts, entries, slices.from(t), slices.to(t));
                decideOthers(gate, verdicts, entries, others);
            });
            task.advance(n);
        }
        customers.setGate(verdicts, i -> ledger.decidingRecord(entries[i]));
        decideSignals(gate);
    }

    /**
     * Decides customers {@code [from, to)} whose email cell is plain, as most are, from its bytes;
     * returns the others, for {@link #decideOthers}: the string handling they need stays out of
     * this loop's compiled code.
     */
    private int[] decidePlain(
            ConsentGate gate, BitSet suppressedIds, GateVerdict[] verdicts, int[] entries, int from, int to) {
        byte[] emails = customers.emailCells();
        int[] others = new int[64];
        int count = 0;
        for (int i = from; i < to; i++) {
            int e = ledger.entryOf(customers.index(), i);
            entries[i] = e;
            ConsentStatus status = ledger.status(e);
            Instant recordedAt = status == null ? null : ledger.recordedAt(e);
            boolean unreadable = ledger.unreadableAt(e);
            GateVerdict v = gate.decidePlain(
                    emails,
                    customers.emailStart(i),
                    customers.emailEnd(i),
                    suppressedIds.get(i),
                    suppressions,
                    status,
                    recordedAt,
                    unreadable);
            if (v != null) {
                verdicts[i] = v;
            } else {
                if (count == others.length) {
                    others = Arrays.copyOf(others, 2 * count);
                }
                others[count++] = i;
            }
        }
        return Arrays.copyOf(others, count);
    }

    /** Decides these customers, whose email cell is not plain, from strings. */
    private void decideOthers(ConsentGate gate, GateVerdict[] verdicts, int[] entries, int[] others) {
        for (int i : others) {
            int e = entries[i];
            ConsentStatus status = ledger.status(e);
            verdicts[i] = gate.decide(
                    customers.id(i),
                    customers.email(i),
                    suppressions,
                    status,
                    status == null ? null : ledger.recordedAt(e),
                    ledger.unreadableAt(e));
        }
    }

    /**
     * Decides Google's signals for every exportable customer: a signal on the gate's purpose is
     * the gate's verdict; one on a purpose of its own goes through the same gate on that purpose.
     */
    private void decideSignals(ConsentGate gate) {
        int n = customers.size();
        ConsentSignal[] withheld = new ConsentSignal[n];
        Map<ConsentSignal, IntFunction<ConsentRecord>> records = new EnumMap<>(ConsentSignal.class);
        if (signalLedgers.isEmpty()) {
            // both signals are the gate's verdict: no pass over a million customers to learn that
            customers.setSignals(withheld, records);
            return;
        }
        Map<ConsentSignal, int[]> entries = new EnumMap<>(ConsentSignal.class);
        signalLedgers.forEach((s, ledger) -> {
            int[] own = new int[n];
            Arrays.fill(own, -1);
            entries.put(s, own);
            records.put(s, i -> ledger.decidingRecord(own[i]));
        });
        IntStream.range(0, n)
                .parallel()
                .filter(i -> customers.verdict(i).isExportable())
                .forEach(i -> {
                    String id = customers.id(i);
                    for (Map.Entry<ConsentSignal, ConsentLedger> e : signalLedgers.entrySet()) {
                        ConsentLedger ledger = e.getValue();
                        int entry = ledger.entryOf(id);
                        entries.get(e.getKey())[i] = entry;
                        boolean granted = gate.decide(
                                        id,
                                        customers.email(i),
                                        suppressions,
                                        ledger.decidingRecord(entry),
                                        ledger.unreadableAt(entry))
                                .isExportable();
                        if (!granted && (withheld[i] == null || e.getKey().compareTo(withheld[i]) < 0)) {
                            withheld[i] = e.getKey();
                        }
                    }
                });
        customers.setSignals(withheld, records);
    }

    CustomerTable customers() {
        return customers;
    }

    BitSet[] customerFlags() {
        return customerFlags;
    }

    /** The where values no customers.csv row held. */
    List<ValueProbe.Miss> misses() {
        return probe.misses();
    }
}
