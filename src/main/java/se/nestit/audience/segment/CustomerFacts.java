package se.nestit.audience.segment;

import java.io.Serializable;

/**
 * One customer's {@link Facts}, for a runner that groups rows by customer (Spark) rather than
 * keeping arrays over all customers ({@link CustomerTotals}): counted with the same counters and
 * added up with the same overflow rule, so that both give the rules the same numbers.
 */
public final class CustomerFacts implements Facts, Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] counts;
    private final long[] amounts;
    private final boolean[] customer;

    /** No rows counted yet and no customer filter passed, for a program's counters and filters. */
    public CustomerFacts(SegmentProgram program) {
        this.counts = new int[program.counters().size()];
        this.amounts = new long[counts.length];
        this.customer = new boolean[program.customerFilterCount()];
    }

    /** Counts one row that {@code counter} matched. */
    public void count(ActivityCounter counter, long amount) {
        counts[counter.slot()]++;
        if (counter.sumsAmounts()) {
            amounts[counter.slot()] = CustomerTotals.sum(amounts[counter.slot()], amount);
        }
    }

    /** Adds the rows another part of the data counted for the same customer. */
    public CustomerFacts add(CustomerFacts other) {
        for (int slot = 0; slot < counts.length; slot++) {
            counts[slot] += other.counts[slot];
            amounts[slot] = CustomerTotals.sum(amounts[slot], other.amounts[slot]);
        }
        return this;
    }

    /** Sets whether the customer's own row passes customer filter {@code slot}. */
    public void setCustomer(int slot, boolean passes) {
        customer[slot] = passes;
    }

    @Override
    public int count(int slot) {
        return counts[slot];
    }

    @Override
    public long amount(int slot) {
        return amounts[slot];
    }

    @Override
    public boolean customer(int slot) {
        return customer[slot];
    }
}
