package se.nestit.audience.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntFunction;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.CustomerIndex;
import se.nestit.audience.source.CustomerRow;
import se.nestit.audience.source.Utf8Cell;

/**
 * The run's customers, each at a dense index (its order in customers.csv among accepted rows), so
 * that every later stage works with arrays instead of maps keyed by id.
 */
final class CustomerTable {

    private final CustomerIndex index = new CustomerIndex();
    /**
     * Every email cell's UTF-8 bytes, one after another; customer i's end at {@code emailEnds[i]}. A
     * String per customer held about 45 bytes more each for the whole run, in a million objects
     * every collection copied. Cells are read as UTF-8 (a database's text has no lone surrogates
     * either), so the bytes give back the very string.
     */
    private byte[] emails = new byte[1 << 16];

    private int[] emailEnds = new int[1024];
    private long[] lines = new long[1024];
    private GateVerdict[] verdicts;
    private IntFunction<ConsentRecord> consents;
    private ConsentSignal[] withheld;
    private Map<ConsentSignal, IntFunction<ConsentRecord>> signalConsents;

    /** Makes room for about {@code customers} customers up front (see {@link CustomerIndex#expect}). */
    void expect(long customers) {
        index.expect(customers);
        int n = CustomerIndex.expected(customers);
        if (n > lines.length) {
            lines = Arrays.copyOf(lines, n);
            emailEnds = Arrays.copyOf(emailEnds, n);
        }
    }

    /** Adds a customer and returns its index, or -1 when the id is already taken. */
    int add(String customerId, String rawEmail, long line) {
        byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
        byte[] email = rawEmail.getBytes(StandardCharsets.UTF_8);
        return add(id, 0, id.length, email, 0, email.length, line);
    }

    /** {@link #add(String, String, long)} of a row as read, from its cells' bytes. */
    int add(CustomerRow row) {
        Utf8Cell id = row.id();
        Utf8Cell email = row.emailCell();
        return add(id.bytes(), id.from(), id.to(), email.bytes(), email.from(), email.to(), row.line());
    }

    private int add(byte[] id, int idFrom, int idTo, byte[] email, int emailFrom, int emailTo, long line) {
        int i = index.addOrFind(id, idFrom, idTo);
        if (i < 0) {
            return -1;
        }
        if (i == lines.length) {
            lines = Arrays.copyOf(lines, i * 2);
            emailEnds = Arrays.copyOf(emailEnds, i * 2);
        }
        lines[i] = line;
        int length = emailTo - emailFrom;
        int start = emailStart(i);
        if (length > emails.length - start) {
            // past 2 GB of emails addExact fails loud rather than wrapping around
            int doubled = (int) Math.min(Integer.MAX_VALUE - 8, 2L * emails.length);
            emails = Arrays.copyOf(emails, Math.max(Math.addExact(start, length), doubled));
        }
        System.arraycopy(email, emailFrom, emails, start, length);
        emailEnds[i] = start + length;
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
        int start = emailStart(customer);
        return new String(emails, start, emailEnds[customer] - start, StandardCharsets.UTF_8);
    }

    /**
     * Every raw email cell's UTF-8 bytes: customer c's are {@code [emailStart(c), emailEnd(c))}. For
     * the gate only, never for output or logs; the array is the table's own, to be read, not kept.
     */
    byte[] emailCells() {
        return emails;
    }

    int emailStart(int customer) {
        return customer == 0 ? 0 : emailEnds[customer - 1];
    }

    int emailEnd(int customer) {
        return emailEnds[customer];
    }

    long line(int customer) {
        return lines[customer];
    }

    /** @param consents the deciding record per customer, or null: made when asked for, not held for a million */
    void setGate(GateVerdict[] verdicts, IntFunction<ConsentRecord> consents) {
        this.verdicts = verdicts;
        this.consents = consents;
    }

    GateVerdict verdict(int customer) {
        return verdicts[customer];
    }

    /** The consent record that decided the customer's verdict, or null when none did. */
    ConsentRecord consent(int customer) {
        return consents.apply(customer);
    }

    /**
     * @param withheld per customer, the first Google signal not granted, or null (for everyone
     *     the gate keeps out too: they reach no destination anyway)
     * @param signalConsents per signal decided on a purpose of its own, the deciding record per customer
     */
    void setSignals(ConsentSignal[] withheld, Map<ConsentSignal, IntFunction<ConsentRecord>> signalConsents) {
        this.withheld = withheld;
        this.signalConsents = signalConsents;
    }

    /** The first of Google's signals this exportable customer did not grant, or null when they granted both. */
    ConsentSignal withheld(int customer) {
        return withheld[customer];
    }

    /** The record that decided a Google signal: the gate's own when the signal is on the gate's purpose. */
    ConsentRecord signalConsent(ConsentSignal signal, int customer) {
        IntFunction<ConsentRecord> own = signalConsents.get(signal);
        return (own == null ? consents : own).apply(customer);
    }
}
