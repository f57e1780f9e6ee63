package se.nestit.audience.source;

import java.util.List;

/** Takes what consents.csv says: each usable record, and each rejected row whose customer it can still name. */
public interface ConsentSink {

    /** A usable record; the row is the reader's own, valid only during the call. */
    void offer(ConsentRow row);

    /**
     * A rejected row (unknown status, unreadable recorded_at, empty purpose) whose customer_id was
     * read: what it decided cannot be known, so it must not be passed over.
     *
     * @param purpose the purpose cell, stripped; empty when it was empty
     * @param brand the brand cell, stripped; empty when absent or empty
     */
    void offerUnreadable(String customerId, String purpose, String brand);

    /** One sink that hands everything to each of {@code sinks}: one read of consents.csv for several ledgers. */
    static ConsentSink all(List<? extends ConsentSink> sinks) {
        if (sinks.size() == 1) {
            return sinks.get(0);
        }
        return new ConsentSink() {
            @Override
            public void offer(ConsentRow row) {
                // by index: forEach's lambda, and then an iterator, was an object per row
                for (int i = 0; i < sinks.size(); i++) {
                    sinks.get(i).offer(row);
                }
            }

            @Override
            public void offerUnreadable(String customerId, String purpose, String brand) {
                for (int i = 0; i < sinks.size(); i++) {
                    sinks.get(i).offerUnreadable(customerId, purpose, brand);
                }
            }
        };
    }
}
