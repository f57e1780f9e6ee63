package se.nestit.audience.spark;

import java.io.Serializable;
import se.nestit.audience.consent.GateVerdict;

/**
 * What the build decided for one customer: the gate's verdict, which audiences' rules select the
 * customer, the email's digest in each profile (null where not hashed: only an exportable
 * customer's usable email is), and the deciding consent record.
 *
 * <p>Kryo, the serializer Spark clusters are usually set to, cannot build records: a class.
 */
final class CustomerOutcome implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String customerId;
    private final GateVerdict verdict;
    private final boolean[] selected;
    private final byte[][] digests;
    private final ConsentCells consent;
    private final int duplicates;
    private final long order;

    CustomerOutcome(
            String customerId,
            GateVerdict verdict,
            boolean[] selected,
            byte[][] digests,
            ConsentCells consent,
            int duplicates,
            long order) {
        this.customerId = customerId;
        this.verdict = verdict;
        this.selected = selected;
        this.digests = digests;
        this.consent = consent;
        this.duplicates = duplicates;
        this.order = order;
    }

    String customerId() {
        return customerId;
    }

    GateVerdict verdict() {
        return verdict;
    }

    boolean[] selected() {
        return selected;
    }

    byte[][] digests() {
        return digests;
    }

    ConsentCells consent() {
        return consent;
    }

    int duplicates() {
        return duplicates;
    }

    /** The customer's place in customers.csv. */
    long order() {
        return order;
    }
}
