package se.nestit.audience.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Rows that could not be used, with file, line and reason, so that nothing is lost silently.
 * Reasons name the column and the problem, never the cell's value (it may be an email).
 * Thread-safe: orders and events are read in parallel.
 */
public final class Rejects {

    public record Reject(InputFile file, long line, String reason) {}

    private final List<Reject> rejects = new ArrayList<>();
    private final Map<InputFile, Integer> counts = new EnumMap<>(InputFile.class);

    public synchronized void add(InputFile file, long line, String reason) {
        rejects.add(new Reject(file, line, reason));
        counts.merge(file, 1, Integer::sum);
    }

    public synchronized int count(InputFile file) {
        return counts.getOrDefault(file, 0);
    }

    public synchronized int total() {
        return rejects.size();
    }

    /** Every reject, by file in contract order, then by line. */
    public synchronized List<Reject> all() {
        List<Reject> sorted = new ArrayList<>(rejects);
        sorted.sort(Comparator.comparing(Reject::file).thenComparingLong(Reject::line));
        return sorted;
    }
}
