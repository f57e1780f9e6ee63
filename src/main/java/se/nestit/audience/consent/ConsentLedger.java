package se.nestit.audience.consent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import se.nestit.audience.identity.WhiteSpace;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentRow;
import se.nestit.audience.source.ConsentSink;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.CustomerIndex;

/**
 * Keeps, per customer, only the consent record that decides: the latest one of the policy's purpose
 * (and brand) recorded at or before {@code as_of}. Records are offered one by one as the file is
 * read, so the whole consent history is never held in memory. It also keeps who has a rejected row
 * that may have been about this consent, which the gate does not guess at.
 *
 * <p>Each customer it hears of has an entry; the entry's deciding record is kept field by field in
 * arrays, its purpose, source and brand as codes of one shared copy each, and a record object is
 * made only when asked for. A map of ids to records held about 150 bytes per customer in objects
 * that every collection of the run had to walk.
 */
public final class ConsentLedger implements ConsentSink {

    private final ConsentPolicy policy;
    private final long asOfSecond;
    private final int asOfNano;
    private final CustomerIndex entries = new CustomerIndex();
    private final BitSet unreadable = new BitSet();
    private final Map<String, Integer> codes = new HashMap<>();
    private final List<String> values = new ArrayList<>();
    /** By code, whether the value as a purpose or as a brand is the policy's: asked once per value, not per row. */
    private final BitSet coveredPurposes = new BitSet();

    private final BitSet coveredBrands = new BitSet();
    /** Null for an entry with no deciding record, only a rejected row. */
    private ConsentStatus[] statuses = new ConsentStatus[0];

    private long[] seconds = new long[0];
    private int[] nanos = new int[0];
    private long[] lines = new long[0];
    private int[] purposes = new int[0];
    private int[] sources = new int[0];
    private int[] brands = new int[0];

    public ConsentLedger(ConsentPolicy policy, Instant asOf) {
        this.policy = Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(asOf, "asOf");
        this.asOfSecond = asOf.getEpochSecond();
        this.asOfNano = asOf.getNano();
    }

    /** Makes room for about {@code customers} customers up front, so that the ledger does not grow as it fills. */
    public void expect(long customers) {
        entries.expect(customers);
        int n = CustomerIndex.expected(customers);
        if (n > statuses.length) {
            resize(n);
        }
    }

    @Override
    public void offer(ConsentRow row) {
        long second = row.second();
        if (second > asOfSecond || (second == asOfSecond && row.nano() > asOfNano)) {
            return;
        }
        int purpose = code(row.purpose());
        int brand = code(row.brand());
        if (!coveredPurposes.get(purpose) || !coveredBrands.get(brand)) {
            return;
        }
        int e = entry(row.id().bytes(), row.id().from(), row.id().to());
        if (statuses[e] != null
                && !ConsentRecord.supersedes(
                        second, row.nano(), row.status(), row.line(), seconds[e], nanos[e], statuses[e], lines[e])) {
            return;
        }
        statuses[e] = row.status();
        seconds[e] = second;
        nanos[e] = row.nano();
        lines[e] = row.line();
        purposes[e] = purpose;
        sources[e] = code(row.source());
        brands[e] = brand;
    }

    /** Offers a record read elsewhere, as {@link #offer(ConsentRow)} does a row. */
    public void offer(ConsentRecord record) {
        offer(ConsentRow.of(record));
    }

    /**
     * A rejected row counts when it may have been about this consent: its purpose is the policy's
     * or cannot be read, and its brand, when it has one, is in scope. Its date does not matter:
     * it may be the very thing that cannot be read.
     */
    @Override
    public void offerUnreadable(String customerId, String purpose, String brand) {
        if ((WhiteSpace.strip(purpose).isEmpty() || policy.coversPurpose(purpose)) && policy.coversBrand(brand)) {
            unreadable.set(entry(customerId));
        }
    }

    /** Whether a consents.csv row of this customer that may have decided was rejected. */
    public boolean unreadable(String customerId) {
        return unreadableAt(entryOf(customerId));
    }

    /** The deciding record for a customer, or null when there is none (which is never consent). */
    public ConsentRecord decidingRecord(String customerId) {
        return decidingRecord(entryOf(customerId));
    }

    /**
     * The customer's entry, or -1 when no record and no rejected row named them: what {@link
     * #decidingRecord(int)} and {@link #unreadableAt} take, for callers that ask more than once.
     */
    public int entryOf(String customerId) {
        return entries.indexOf(customerId);
    }

    /** {@link #entryOf(String)} of the id that {@code customers} holds at {@code customer}, without making it a string. */
    public int entryOf(CustomerIndex customers, int customer) {
        return entries.indexOf(customers, customer);
    }

    /** {@link #decidingRecord(String)} by the customer's {@link #entryOf entry}; a new object every call. */
    public ConsentRecord decidingRecord(int entry) {
        return entry < 0 || statuses[entry] == null ? null : record(entry, entries.id(entry));
    }

    /** {@link #unreadable(String)} by the customer's {@link #entryOf entry}. */
    public boolean unreadableAt(int entry) {
        return entry >= 0 && unreadable.get(entry);
    }

    /** The deciding record's status by the customer's {@link #entryOf entry}, or null when there is none. */
    public ConsentStatus status(int entry) {
        return entry < 0 ? null : statuses[entry];
    }

    /** The deciding record's recorded_at, for an entry whose {@link #status} is not null. */
    public Instant recordedAt(int entry) {
        return Instant.ofEpochSecond(seconds[entry], nanos[entry]);
    }

    private ConsentRecord record(int e, String customerId) {
        return new ConsentRecord(
                customerId,
                values.get(purposes[e]),
                statuses[e],
                recordedAt(e),
                values.get(sources[e]),
                values.get(brands[e]),
                lines[e]);
    }

    private int entry(String customerId) {
        byte[] id = WhiteSpace.strip(customerId).getBytes(StandardCharsets.UTF_8);
        return entry(id, 0, id.length);
    }

    /** The entry of a customer_id held as trimmed UTF-8 bytes, made when there is none. */
    private int entry(byte[] id, int from, int to) {
        int e = entries.addOrFind(id, from, to);
        if (e < 0) {
            return -1 - e;
        }
        if (e == statuses.length) {
            resize(Math.max(1024, 2 * e));
        }
        return e;
    }

    private void resize(int n) {
        statuses = Arrays.copyOf(statuses, n);
        seconds = Arrays.copyOf(seconds, n);
        nanos = Arrays.copyOf(nanos, n);
        lines = Arrays.copyOf(lines, n);
        purposes = Arrays.copyOf(purposes, n);
        sources = Arrays.copyOf(sources, n);
        brands = Arrays.copyOf(brands, n);
    }

    private int code(String value) {
        // not computeIfAbsent: its lambda, which needs this ledger, was an object per cell
        Integer code = codes.get(value);
        if (code == null) {
            code = values.size();
            values.add(value);
            codes.put(value, code);
            coveredPurposes.set(code, policy.coversPurpose(value));
            coveredBrands.set(code, policy.coversBrand(value));
        }
        return code;
    }
}
