package se.nestit.audience.segment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The {@link Facts} of every customer of a run, in arrays indexed by the customer's position in
 * customers.csv: a counter costs 4 bytes a customer (12 with amounts), never a row. Every reading
 * thread counts into the same arrays with atomic updates, so that memory does not grow with the
 * threads (a copy per thread cost 28 MB each on a million customers).
 */
public final class CustomerTotals {

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle SUMS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int customers;
    private final int[][] counts;
    private final long[][] amounts;
    private final BitSet[] customerFlags;

    /** @param customerFlags per customer filter of the program, the customers whose row passes it */
    public CustomerTotals(SegmentProgram program, int customers, BitSet[] customerFlags) {
        if (customerFlags.length != program.customerFilterCount()) {
            throw new IllegalArgumentException(
                    "expected " + program.customerFilterCount() + " customer filters but got " + customerFlags.length);
        }
        this.customers = customers;
        int n = program.counters().size();
        this.counts = new int[n][];
        this.amounts = new long[n][];
        for (ActivityCounter c : program.counters()) {
            counts[c.slot()] = new int[customers];
            if (c.sumsAmounts()) {
                amounts[c.slot()] = new long[customers];
            }
        }
        this.customerFlags = customerFlags.clone();
    }

    /**
     * Forgets what these counters counted, for a file that is read again from its start (see
     * {@link se.nestit.audience.source.ActivitySinks#restart}). No thread may count into them meanwhile.
     */
    public void clear(List<ActivityCounter> counters) {
        for (ActivityCounter c : counters) {
            Arrays.fill(counts[c.slot()], 0);
            if (amounts[c.slot()] != null) {
                Arrays.fill(amounts[c.slot()], 0);
            }
        }
    }

    public int customers() {
        return customers;
    }

    /** Safe on any number of threads at once; read the totals once they have all ended. */
    public void count(ActivityCounter counter, int customer, long amount) {
        COUNTS.getAndAdd(counts[counter.slot()], customer, 1);
        long[] sums = amounts[counter.slot()];
        if (sums != null && amount != 0) {
            long seen = (long) SUMS.getVolatile(sums, customer);
            long witness;
            while ((witness = (long) SUMS.compareAndExchange(sums, customer, seen, sum(seen, amount))) != seen) {
                seen = witness;
            }
        }
    }

    /**
     * Stops at the largest or smallest long instead of wrapping: ten order lines of the largest
     * amount a cell may hold overflow a long of millionths, and a big spender would turn into a
     * negative one (and a big refund into a spender).
     */
    static long sum(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : s;
    }

    /** A reusable view of one customer's facts; not thread-safe, so one per thread. */
    public Cursor cursor() {
        return new Cursor();
    }

    public final class Cursor implements Facts {
        private int customer;

        public Cursor at(int customer) {
            this.customer = customer;
            return this;
        }

        @Override
        public int count(int slot) {
            return counts[slot][customer];
        }

        @Override
        public long amount(int slot) {
            return amounts[slot][customer];
        }

        @Override
        public boolean customer(int slot) {
            return customerFlags[slot].get(customer);
        }
    }
}
