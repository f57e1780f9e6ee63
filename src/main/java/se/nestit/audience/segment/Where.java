package se.nestit.audience.segment;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import se.nestit.audience.source.ValueSet;

/**
 * {@code where: { column: value | [values] }}: every listed column must equal one of its values,
 * compared after trimming and case-insensitively. Column names and values are stored in that
 * compared form, so two filters that mean the same are equal.
 */
public record Where(Map<String, Set<String>> columns) {

    public static final Where ANY_ROW = new Where(Map.of());

    public Where {
        Objects.requireNonNull(columns, "columns");
        Map<String, Set<String>> normalized = new LinkedHashMap<>();
        columns.forEach((column, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("column '" + column + "' lists no value");
            }
            Set<String> set = new LinkedHashSet<>();
            values.forEach(v -> set.add(ValueSet.comparable(v)));
            normalized.put(ValueSet.comparable(column), Set.copyOf(set));
        });
        columns = Map.copyOf(normalized);
    }

    /** This filter plus one more column condition on a column it does not filter yet. */
    public Where and(String column, String value) {
        if (columns.containsKey(ValueSet.comparable(column))) {
            throw new IllegalArgumentException("column '" + column + "' is already filtered");
        }
        Map<String, Set<String>> more = new LinkedHashMap<>(columns);
        more.put(column, Set.of(value));
        return new Where(more);
    }
}
