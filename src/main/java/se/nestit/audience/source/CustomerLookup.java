package se.nestit.audience.source;

/** Finds the customer an activity row belongs to, from its customer_id cell (trimmed). */
public interface CustomerLookup {

    /** The customer's index, or -1 for an id not in customers.csv. */
    int indexOf(String customerId);

    /** The same from the cell's UTF-8 bytes, white space around it ignored. */
    int indexOf(byte[] cell, int from, int to);
}
