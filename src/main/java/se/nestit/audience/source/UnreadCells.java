package se.nestit.audience.source;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per column, the cells that could not be read in rows that still count: a cell no rule needs (an
 * amount no audience sums against a {@code min_amount}, a quantity, a customer's created_at) cannot
 * reject its row. Counts only, never values. Thread-safe: orders and events are read in parallel.
 */
public final class UnreadCells {

    private final Map<String, LongAdder> columns = new ConcurrentHashMap<>();

    void add(String column) {
        columns.computeIfAbsent(column, c -> new LongAdder()).increment();
    }

    /** Column to the number of its cells not read, in column name order; empty when every cell was read. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        columns.forEach((column, n) -> counts.put(column, n.sum()));
        return counts;
    }
}
