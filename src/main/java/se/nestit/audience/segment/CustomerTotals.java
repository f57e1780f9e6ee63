package se.nestit.audience.segment;

import java.util.BitSet;

/**
 * The {@link Facts} of every customer of a run, in arrays indexed by the customer's position in
 * customers.csv: a counter costs 4 bytes a customer (12 with amounts), never a row. Rows of
 * different files may be counted from different threads at once, since each counter belongs to
 * one file; rows of one file must come from one thread.
 */
public final class CustomerTotals {

    private final int customers;
    private final int[][] counts;
    private final long[][] amounts;
    private final BitSet[] customerFlags;

    /** @param customerFlags per customer filter of the program, the customers whose row passes it */
    public CustomerTotals(SegmentProgram program, int customers, BitSet[] customerFlags) {
        if (customerFlags.length != program.customerFilterCount()) {
            throw new IllegalArgumentException("expected " + program.customerFilterCount()
                    + " customer filters but got " + customerFlags.length);
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

    public int customers() {
        return customers;
    }

    public void count(ActivityCounter counter, int customer, long amount) {
        counts[counter.slot()][customer]++;
        long[] sums = amounts[counter.slot()];
        if (sums != null) {
            sums[customer] += amount;
        }
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
