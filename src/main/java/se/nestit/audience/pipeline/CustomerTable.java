package se.nestit.audience.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.CustomerIndex;

/**
 * The run's customers, each at a dense index (its order in customers.csv among accepted rows), so
 * that every later stage works with arrays instead of maps keyed by id.
 */
final class CustomerTable {

    private final CustomerIndex index = new CustomerIndex();
    private final List<String> emails = new ArrayList<>();
    private long[] lines = new long[1024];
    private GateVerdict[] verdicts;
    private ConsentRecord[] consents;

    /** Adds a customer and returns its index, or -1 when the id is already taken. */
    int add(String customerId, String rawEmail, long line) {
        int i = index.add(customerId);
        if (i < 0) {
            return -1;
        }
        emails.add(rawEmail);
        if (i == lines.length) {
            lines = Arrays.copyOf(lines, i * 2);
        }
        lines[i] = line;
        return i;
    }

    int size() {
        return index.size();
    }

    /** The customer's index, or -1 for an id not in customers.csv. */
    int indexOf(String customerId) {
        return index.indexOf(customerId);
    }

    /** Finds customers from the bytes of activity rows. */
    CustomerIndex index() {
        return index;
    }

    String id(int customer) {
        return index.id(customer);
    }

    /** The raw email cell: for normalization only, never for output or logs. */
    String email(int customer) {
        return emails.get(customer);
    }

    long line(int customer) {
        return lines[customer];
    }

    void setGate(GateVerdict[] verdicts, ConsentRecord[] consents) {
        this.verdicts = verdicts;
        this.consents = consents;
    }

    GateVerdict verdict(int customer) {
        return verdicts[customer];
    }

    /** The consent record that decided the customer's verdict, or null when none did. */
    ConsentRecord consent(int customer) {
        return consents[customer];
    }
}
