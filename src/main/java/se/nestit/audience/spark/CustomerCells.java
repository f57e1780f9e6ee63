package se.nestit.audience.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One customer_id's customers.csv rows, keyed by it elsewhere: the accepted row's raw email (for the
 * gate and hashing only, never logged), which customer filters its row passes, its place in the
 * file, and the emails of the rows with the id that were rejected (later duplicates, or rows
 * rejected as unreadable), which are the person's too. An id may have rejected rows only.
 *
 * <p>Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.
 */
final class CustomerCells implements Serializable {

    private static final long serialVersionUID = 3L;

    /** Null when every row with the id was rejected. */
    private final String email;

    private final boolean[] filters;
    private final long order;
    private final int duplicates;
    private final String[] rejectedEmails;

    CustomerCells(String email, boolean[] filters, long order) {
        this(email, filters, order, 0, new String[0]);
    }

    private CustomerCells(String email, boolean[] filters, long order, int duplicates, String[] rejectedEmails) {
        this.email = email;
        this.filters = filters;
        this.order = order;
        this.duplicates = duplicates;
        this.rejectedEmails = rejectedEmails;
    }

    /** A row rejected before it was grouped by id (a bad created_at, a misshapen record). */
    static CustomerCells rejected(String email) {
        return new CustomerCells(null, null, -1, 0, new String[] {email});
    }

    /** Whether a row with the id was accepted; if not, there is no customer to decide. */
    boolean accepted() {
        return email != null;
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

    /** The emails of every row with this id, rejected ones included: the person's, for a suppression by customer_id to follow. */
    String[] emails() {
        if (!accepted()) {
            return rejectedEmails;
        }
        String[] all = Arrays.copyOf(rejectedEmails, rejectedEmails.length + 1);
        all[rejectedEmails.length] = email;
        return all;
    }

    /** Of two accepted rows with one id the earlier stays, the later one is a rejected duplicate. */
    static CustomerCells first(CustomerCells a, CustomerCells b) {
        String[] rejected = Arrays.copyOf(a.rejectedEmails, a.rejectedEmails.length + b.rejectedEmails.length);
        System.arraycopy(b.rejectedEmails, 0, rejected, a.rejectedEmails.length, b.rejectedEmails.length);
        if (!a.accepted() || !b.accepted()) {
            CustomerCells kept = a.accepted() ? a : b;
            return new CustomerCells(kept.email, kept.filters, kept.order, a.duplicates + b.duplicates, rejected);
        }
        CustomerCells first = a.order < b.order ? a : b;
        CustomerCells later = first == a ? b : a;
        rejected = Arrays.copyOf(rejected, rejected.length + 1);
        rejected[rejected.length - 1] = later.email;
        return new CustomerCells(first.email, first.filters, first.order, a.duplicates + b.duplicates + 1, rejected);
    }
}
