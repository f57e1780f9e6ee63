package se.nestit.audience.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.RowView;
import se.nestit.audience.source.ValueSet;

/** A {@link Where} bound to one file's column positions. */
public final class RowFilter {

    private final int[] columns;
    private final ValueSet[] values;

    private RowFilter(int[] columns, ValueSet[] values) {
        this.columns = columns;
        this.values = values;
    }

    static RowFilter compile(Where where, Header header) {
        int[] columns = new int[where.columns().size()];
        List<ValueSet> values = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Set<String>> e : where.columns().entrySet()) {
            int index = header.indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException(header.file().fileName() + " has no column '" + e.getKey() + "'");
            }
            columns[i++] = index;
            values.add(new ValueSet(e.getValue()));
        }
        return new RowFilter(columns, values.toArray(ValueSet[]::new));
    }

    public boolean matches(RowView row) {
        for (int i = 0; i < columns.length; i++) {
            if (!row.cellIn(columns[i], values[i])) {
                return false;
            }
        }
        return true;
    }
}
