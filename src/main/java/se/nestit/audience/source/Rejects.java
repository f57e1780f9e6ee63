package se.nestit.audience.source;

import java.util.AbstractList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Rows that could not be used, with file, line and reason, so that nothing is lost silently.
 * Reasons name the column and the problem, never the cell's value (it may be an email).
 * Thread-safe: orders and events are read in parallel.
 */
public final class Rejects {

    public record Reject(InputFile file, long line, String reason) {}

    /** Per file, in line order: a reader hands over a file's rejects in the order of its records. */
    private final Map<InputFile, RejectList> rejects = new EnumMap<>(InputFile.class);

    public synchronized void add(InputFile file, long line, String reason) {
        list(file).add(line, reason);
    }

    /** Adds a chunk's rejects, whose lines count from {@code firstLine}. */
    synchronized void add(InputFile file, long firstLine, RejectList chunk) {
        RejectList list = list(file);
        for (RejectList.Cursor c = chunk.snapshot().cursor(); c.next(); ) {
            list.add(firstLine + c.line(), c.reason());
        }
    }

    private RejectList list(InputFile file) {
        return rejects.computeIfAbsent(file, f -> new RejectList());
    }

    public synchronized int count(InputFile file) {
        RejectList list = rejects.get(file);
        return list == null ? 0 : list.size();
    }

    public synchronized int total() {
        return rejects.values().stream().mapToInt(RejectList::size).sum();
    }

    /**
     * Every reject so far, by file in contract order, then by line. Each is made as it is read:
     * tens of millions of them as objects at once would not fit where their compact form does.
     */
    public synchronized List<Reject> all() {
        Map<InputFile, RejectList.Snapshot> files = new EnumMap<>(InputFile.class);
        rejects.forEach((file, list) -> files.put(file, list.snapshot()));
        int size = total();
        return new AbstractList<>() {
            @Override
            public Iterator<Reject> iterator() {
                Iterator<Map.Entry<InputFile, RejectList.Snapshot>> each =
                        files.entrySet().iterator();
                return new Iterator<>() {
                    private InputFile file;
                    private RejectList.Cursor cursor;
                    private Reject next = advance();

                    private Reject advance() {
                        while (cursor == null || !cursor.next()) {
                            if (!each.hasNext()) {
                                return null;
                            }
                            Map.Entry<InputFile, RejectList.Snapshot> e = each.next();
                            file = e.getKey();
                            cursor = e.getValue().cursor();
                        }
                        return new Reject(file, cursor.line(), cursor.reason());
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public Reject next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        Reject r = next;
                        next = advance();
                        return r;
                    }
                };
            }

            @Override
            public Reject get(int index) {
                Iterator<Reject> it = iterator();
                for (int i = 0; i < index; i++) {
                    it.next();
                }
                return it.next();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
