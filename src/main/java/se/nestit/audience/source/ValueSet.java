package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The values a {@code where} filter allows for one column, in the form cells are compared in
 * (trimmed, lowercase), kept also as UTF-8 bytes so that rows read as bytes can be compared
 * without building a string.
 */
public final class ValueSet {

    private final Set<String> values;
    private final byte[][] utf8;

    public ValueSet(Collection<String> values) {
        Set<String> comparable = new LinkedHashSet<>();
        values.forEach(v -> comparable.add(comparable(v)));
        this.values = Set.copyOf(comparable);
        this.utf8 = comparable.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** The form in which cells and values are compared: trimmed of Unicode white space, lowercase. */
    public static String comparable(String value) {
        return WhiteSpace.strip(value).toLowerCase(Locale.ROOT);
    }

    /** Whether a cell, once in comparable form, is one of the values. */
    public boolean contains(String cell) {
        return values.contains(comparable(cell));
    }

    public Set<String> values() {
        return values;
    }

    /** The values' UTF-8 bytes, for {@link RowView} implementations that compare bytes. */
    byte[][] utf8() {
        return utf8;
    }
}
