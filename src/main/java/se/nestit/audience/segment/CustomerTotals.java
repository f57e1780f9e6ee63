package se.nestit.audience.segment;

import java.util.BitSet;
import java.util.List;
import se.nestit.audience.source.InputFile;

/**
 * The {@link Facts} of every customer of a run, in arrays indexed by the customer's position in
 * customers.csv: a counter costs 4 bytes a customer (12 with amounts), never a row. Not
 * thread-safe: each reading thread counts into its own {@link #partial} totals.
 */
public final class CustomerTotals {

    private final int customers;
    private final int[][] counts;
    private final long[][] amounts;
    private final BitSet[] customerFlags;

    /** @param customerFlags per customer filter of the program, the customers whose row passes it */
    public CustomerTotals(SegmentProgram program, int customers, BitSet[] customerFlags) {
        this(program, program.counters(), customers, customerFlags);
        if (customerFlags.length != program.customerFilterCount()) {
            throw new IllegalArgumentException(
                    "expected " + program.customerFilterCount() + " customer filters but got " + customerFlags.length);
        }
    }

    private CustomerTotals(
            SegmentProgram program, List<ActivityCounter> counters, int customers, BitSet[] customerFlags) {
        this.customers = customers;
        int n = program.counters().size();
        this.counts = new int[n][];
        this.amounts = new long[n][];
        for (ActivityCounter c : counters) {
            counts[c.slot()] = new int[customers];
            if (c.sumsAmounts()) {
                amounts[c.slot()] = new long[customers];
            }
        }
        this.customerFlags = customerFlags.clone();
    }

    /**
     * Totals of one file's counters only, for one reading thread; {@link #add} them into the run's
     * totals when the file is read.
     */
    public static CustomerTotals partial(SegmentProgram program, InputFile file, int customers) {
        return new CustomerTotals(program, program.counters(file), customers, new BitSet[0]);
    }

    /** Adds another thread's counts to these. */
    public void add(CustomerTotals other) {
        for (int slot = 0; slot < other.counts.length; slot++) {
            int[] theirs = other.counts[slot];
            if (theirs == null) {
                continue;
            }
            int[] mine = counts[slot];
            for (int i = 0; i < customers; i++) {
                mine[i] += theirs[i];
            }
            long[] theirSums = other.amounts[slot];
            if (theirSums != null) {
                long[] mySums = amounts[slot];
                for (int i = 0; i < customers; i++) {
                    mySums[i] = sum(mySums[i], theirSums[i]);
                }
            }
        }
    }

    public int customers() {
        return customers;
    }

    public void count(ActivityCounter counter, int customer, long amount) {
        counts[counter.slot()][customer]++;
        long[] sums = amounts[counter.slot()];
        if (sums != null) {
            sums[customer] = sum(sums[customer], amount);
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
