package se.nestit.audience.source;

import java.util.Map;
import java.util.TreeMap;

/**
 * Per column, the cells that could not be read in rows that still count: a cell no rule needs (an
 * amount no audience sums against a {@code min_amount}, a quantity, a customer's created_at) cannot
 * reject its row. Counts only, never values. One per reading thread: a parallel pass that is read
 * again on one thread drops its threads' counts with their rows.
 */
public final class UnreadCells {

    private final Map<String, Long> counts = new TreeMap<>();

    void add(String column) {
        counts.merge(column, 1L, Long::sum);
    }

    /** Adds another thread's counts to these. */
    void addAll(UnreadCells other) {
        other.counts.forEach((column, n) -> counts.merge(column, n, Long::sum));
    }

    /** Column to the number of its cells not read, in column name order; empty when every cell was read. */
    public Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }
}
