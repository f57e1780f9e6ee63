package se.nestit.audience.segment;

/**
 * What the rules know about one customer: the values of the program's counters and customer
 * filters. The single-machine runner reads them from arrays over all customers; a distributed
 * runner can build them per customer.
 */
public interface Facts {

    /** Matching rows of counter {@code slot}. */
    int count(int slot);

    /** Sum of the matching rows' amounts of counter {@code slot}, in millionths. */
    long amount(int slot);

    /** Whether the customer's own row passes customer filter {@code slot}. */
    boolean customer(int slot);
}
