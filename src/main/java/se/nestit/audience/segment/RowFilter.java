package se.nestit.audience.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import se.nestit.audience.source.Header;

/** A {@link Where} bound to one file's column positions. */
public final class RowFilter {

    private final int[] columns;
    private final List<Set<String>> values;

    private RowFilter(int[] columns, List<Set<String>> values) {
        this.columns = columns;
        this.values = values;
    }

    static RowFilter compile(Where where, Header header) {
        int[] columns = new int[where.columns().size()];
        List<Set<String>> values = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Set<String>> e : where.columns().entrySet()) {
            int index = header.indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException(header.file().fileName() + " has no column '" + e.getKey() + "'");
            }
            columns[i++] = index;
            values.add(e.getValue());
        }
        return new RowFilter(columns, List.copyOf(values));
    }

    public boolean matches(String[] cells) {
        for (int i = 0; i < columns.length; i++) {
            if (!values.get(i).contains(Where.comparable(cells[columns[i]]))) {
                return false;
            }
        }
        return true;
    }
}
