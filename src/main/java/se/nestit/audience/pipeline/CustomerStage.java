package se.nestit.audience.pipeline;

import java.time.Instant;
import java.util.BitSet;
import se.nestit.audience.consent.ConsentGate;
import se.nestit.audience.consent.ConsentLedger;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.consent.Suppressions;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputFile;

/**
 * Reads suppressions, consents and customers, then runs the consent gate over every customer.
 * Consent history is folded into one deciding record per customer as it streams by.
 */
final class CustomerStage {

    private final DataSet data;
    private final SegmentProgram program;
    private final ConsentPolicy policy;
    private final Instant asOf;
    private final Progress progress;

    private final Suppressions suppressions = new Suppressions();
    private final ConsentLedger ledger;
    private final CustomerTable customers = new CustomerTable();
    private final BitSet[] customerFlags;

    CustomerStage(DataSet data, SegmentProgram program, ConsentPolicy policy, Instant asOf, Progress progress) {
        this.data = data;
        this.program = program;
        this.policy = policy;
        this.asOf = asOf;
        this.progress = progress;
        this.ledger = new ConsentLedger(policy, asOf);
        this.customerFlags = new BitSet[program.customerFilterCount()];
        for (int i = 0; i < customerFlags.length; i++) {
            customerFlags[i] = new BitSet();
        }
    }

    void read() {
        try (Progress.Task task = progress.start("suppressions", data.size(InputFile.SUPPRESSIONS))) {
            data.readSuppressions(task::advance, row -> suppressions.add(row.customerId(), row.email()));
        }
        try (Progress.Task task = progress.start("consents", data.size(InputFile.CONSENTS))) {
            data.readConsents(task::advance, ledger::offer);
        }
        try (Progress.Task task = progress.start("customers", data.size(InputFile.CUSTOMERS))) {
            data.readCustomers(task::advance, row -> {
                int i = customers.add(row.customerId(), row.email(), row.line());
                if (i < 0) {
                    return "duplicate customer_id (first at line " + customers.line(customers.indexOf(row.customerId())) + ")";
                }
                for (int slot = 0; slot < customerFlags.length; slot++) {
                    if (program.customerMatches(slot, row.cells())) {
                        customerFlags[slot].set(i);
                    }
                }
                return null;
            });
        }
    }

    /** Decides every customer; afterwards {@link CustomerTable#verdict(int)} answers. */
    void gate() {
        ConsentGate gate = new ConsentGate(policy, asOf);
        int n = customers.size();
        GateVerdict[] verdicts = new GateVerdict[n];
        ConsentRecord[] consents = new ConsentRecord[n];
        try (Progress.Task task = progress.start("consent gate", n)) {
            for (int i = 0; i < n; i++) {
                String id = customers.id(i);
                ConsentRecord consent = ledger.decidingRecord(id);
                verdicts[i] = gate.decide(id, customers.email(i), suppressions, consent);
                consents[i] = consent;
                task.advance(1);
            }
        }
        customers.setGate(verdicts, consents);
    }

    CustomerTable customers() {
        return customers;
    }

    BitSet[] customerFlags() {
        return customerFlags;
    }
}
