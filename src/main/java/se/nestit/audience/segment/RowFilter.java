package se.nestit.audience.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import se.nestit.audience.identity.WhiteSpace;
import se.nestit.audience.source.Amounts;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.RowView;
import se.nestit.audience.source.ValueSet;

/**
 * A {@link Where} bound to one file's column positions. Equality is tested first, on the bytes
 * where the row has them; the other conditions need the cell as a string.
 */
public final class RowFilter {

    /** A condition other than equality, on the cell at a position. */
    private interface CellTest {
        boolean test(RowView row, int column);
    }

    private final int[] equalColumns;
    private final ValueSet[] values;
    private final int[] otherColumns;
    private final CellTest[] others;

    private RowFilter(int[] equalColumns, ValueSet[] values, int[] otherColumns, CellTest[] others) {
        this.equalColumns = equalColumns;
        this.values = values;
        this.otherColumns = otherColumns;
        this.others = others;
    }

    static RowFilter compile(Where where, Header header) {
        List<Integer> equalColumns = new ArrayList<>();
        List<ValueSet> values = new ArrayList<>();
        List<Integer> otherColumns = new ArrayList<>();
        List<CellTest> others = new ArrayList<>();
        for (Map.Entry<String, Condition> e : where.columns().entrySet()) {
            int index = header.indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException(header.file().fileName() + " has no column '" + e.getKey() + "'");
            }
            if (e.getValue() instanceof Condition.OneOf oneOf) {
                equalColumns.add(index);
                values.add(new ValueSet(oneOf.values()));
            } else {
                otherColumns.add(index);
                others.add(test(e.getValue()));
            }
        }
        return new RowFilter(
                equalColumns.stream().mapToInt(Integer::intValue).toArray(),
                values.toArray(ValueSet[]::new),
                otherColumns.stream().mapToInt(Integer::intValue).toArray(),
                others.toArray(CellTest[]::new));
    }

    private static CellTest test(Condition condition) {
        if (condition instanceof Condition.Contains c) {
            String text = c.text();
            return (row, column) -> ValueSet.comparable(row.cell(column)).contains(text);
        }
        if (condition instanceof Condition.StartsWith s) {
            String text = s.text();
            return (row, column) -> ValueSet.comparable(row.cell(column)).startsWith(text);
        }
        if (condition instanceof Condition.Range r) {
            long min = r.min();
            long max = r.max();
            return (row, column) -> {
                String cell = row.cell(column);
                // an empty amount counts as 0 in sums, but is no number to compare
                if (WhiteSpace.strip(cell).isEmpty()) {
                    return false;
                }
                // the row check has read the cell in its file's decimal mark (a range makes it required), so the
                // cell holds one mark only: whichever parses is that one
                long micros = Amounts.micros(cell);
                if (micros == Amounts.INVALID) {
                    micros = Amounts.micros(cell, true);
                }
                return micros != Amounts.INVALID && micros >= min && micros <= max;
            };
        }
        throw new IllegalStateException("unknown condition " + condition);
    }

    public boolean matches(RowView row) {
        for (int i = 0; i < equalColumns.length; i++) {
            if (!row.cellIn(equalColumns[i], values[i])) {
                return false;
            }
        }
        for (int i = 0; i < otherColumns.length; i++) {
            if (!others[i].test(row, otherColumns[i])) {
                return false;
            }
        }
        return true;
    }
}
