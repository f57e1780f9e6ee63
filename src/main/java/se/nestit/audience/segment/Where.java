package se.nestit.audience.segment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import se.nestit.audience.source.ValueSet;

/**
 * {@code where: { column: condition }}: every listed column's cell must meet its
 * {@link Condition}. Column names are stored as they are matched (trimmed, lowercase, NFC), so two
 * filters that mean the same are equal.
 */
public record Where(Map<String, Condition> columns) {

    public static final Where ANY_ROW = new Where(Map.of());

    public Where {
        Objects.requireNonNull(columns, "columns");
        Map<String, Condition> normalized = new LinkedHashMap<>();
        columns.forEach((column, condition) -> {
            if (normalized.put(ValueSet.comparable(column), Objects.requireNonNull(condition, column)) != null) {
                throw new IllegalArgumentException("column '" + column + "' is filtered twice");
            }
        });
        columns = Map.copyOf(normalized);
    }

    /** This filter plus one more column condition on a column it does not filter yet. */
    public Where and(String column, String value) {
        if (columns.containsKey(ValueSet.comparable(column))) {
            throw new IllegalArgumentException("column '" + column + "' is already filtered");
        }
        Map<String, Condition> more = new LinkedHashMap<>(columns);
        more.put(column, new Condition.OneOf(Set.of(value)));
        return new Where(more);
    }
}
