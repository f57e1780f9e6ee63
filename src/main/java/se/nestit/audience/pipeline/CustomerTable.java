package se.nestit.audience.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.source.ConsentRecord;

/**
 * The run's customers, each at a dense index (its order in customers.csv among accepted rows), so
 * that every later stage works with arrays instead of maps keyed by id.
 */
final class CustomerTable {

    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    private final List<String> emails = new ArrayList<>();
    private long[] lines = new long[1024];
    private GateVerdict[] verdicts;
    private ConsentRecord[] consents;

    /** Adds a customer and returns its index, or -1 when the id is already taken. */
    int add(String customerId, String rawEmail, long line) {
        int i = ids.size();
        if (index.putIfAbsent(customerId, i) != null) {
            return -1;
        }
        ids.add(customerId);
        emails.add(rawEmail);
        if (i == lines.length) {
            lines = Arrays.copyOf(lines, i * 2);
        }
        lines[i] = line;
        return i;
    }

    int size() {
        return ids.size();
    }

    /** The customer's index, or -1 for an id not in customers.csv. */
    int indexOf(String customerId) {
        Integer i = index.get(customerId);
        return i == null ? -1 : i;
    }

    String id(int customer) {
        return ids.get(customer);
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
