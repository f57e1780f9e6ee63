package se.nestit.audience.source;

/**
 * One accepted order line or behaviour event, as its reader hands it on: whose (the customer's
 * index, or -1 for a customer_id not in customers.csv), when (microseconds since the epoch), the
 * amount in millionths ({@link Amounts}; 0 for events and for orders without one), and the cells
 * for the rules' {@code where} filters. The reader reuses one instance per thread: it is valid only
 * during the call it is handed to.
 */
public final class ActivityRecord {

    private int customer;
    private long at;
    private long amount;
    private RowView cells;

    ActivityRecord set(int customer, long at, long amount, RowView cells) {
        this.customer = customer;
        this.at = at;
        this.amount = amount;
        this.cells = cells;
        return this;
    }

    public int customer() {
        return customer;
    }

    public long at() {
        return at;
    }

    public long amount() {
        return amount;
    }

    public RowView cells() {
        return cells;
    }
}
