package se.nestit.audience.spark;

import java.io.Serializable;

/**
 * One accepted customers.csv row, keyed by its customer_id elsewhere: the raw email (for the gate
 * and hashing only, never logged), which customer filters its row passes, its place in the file,
 * and how many later rows repeated its id (each of them rejected, as a duplicate).
 *
 * <p>Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.
 */
final class CustomerCells implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String email;
    private final boolean[] filters;
    private final long order;
    private final int duplicates;

    CustomerCells(String email, boolean[] filters, long order, int duplicates) {
        this.email = email;
        this.filters = filters;
        this.order = order;
        this.duplicates = duplicates;
    }

    String email() {
        return email;
    }

    boolean[] filters() {
        return filters;
    }

    long order() {
        return order;
    }

    int duplicates() {
        return duplicates;
    }

    /** Of two rows with one id the earlier stays, the later one is a rejected duplicate. */
    static CustomerCells first(CustomerCells a, CustomerCells b) {
        CustomerCells first = a.order < b.order ? a : b;
        return new CustomerCells(first.email, first.filters, first.order, a.duplicates + b.duplicates + 1);
    }
}
