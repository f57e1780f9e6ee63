package se.nestit.audience.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One accepted customers.csv row, keyed by its customer_id elsewhere: the raw email (for the gate
 * and hashing only, never logged), which customer filters its row passes, its place in the file,
 * and the emails of the later rows that repeated its id (each of them rejected, as a duplicate).
 *
 * <p>Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.
 */
final class CustomerCells implements Serializable {

    private static final long serialVersionUID = 2L;

    private final String email;
    private final boolean[] filters;
    private final long order;
    private final String[] repeatedEmails;

    CustomerCells(String email, boolean[] filters, long order) {
        this(email, filters, order, new String[0]);
    }

    private CustomerCells(String email, boolean[] filters, long order, String[] repeatedEmails) {
        this.email = email;
        this.filters = filters;
        this.order = order;
        this.repeatedEmails = repeatedEmails;
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
        return repeatedEmails.length;
    }

    /** The emails of the rejected rows with this id: the person's too, for a suppression by customer_id to follow. */
    String[] repeatedEmails() {
        return repeatedEmails;
    }

    /** Of two rows with one id the earlier stays, the later one is a rejected duplicate. */
    static CustomerCells first(CustomerCells a, CustomerCells b) {
        CustomerCells first = a.order < b.order ? a : b;
        CustomerCells later = first == a ? b : a;
        String[] repeated = Arrays.copyOf(a.repeatedEmails, a.repeatedEmails.length + b.repeatedEmails.length + 1);
        System.arraycopy(b.repeatedEmails, 0, repeated, a.repeatedEmails.length, b.repeatedEmails.length);
        repeated[repeated.length - 1] = later.email;
        return new CustomerCells(first.email, first.filters, first.order, repeated);
    }
}
