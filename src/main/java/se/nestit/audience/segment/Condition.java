package se.nestit.audience.segment;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import se.nestit.audience.source.ValueSet;

/**
 * What a {@link Where} asks of one column's cell. Text is compared as equality compares it:
 * trimmed, case-insensitively and in Unicode NFC ({@link ValueSet#comparable}); the text given is
 * kept in that form, so two conditions that mean the same are equal.
 */
public sealed interface Condition {

    /** The cell is one of the values: {@code column: value}, {@code column: [values]} or {@code { in: [values] }}. */
    record OneOf(Set<String> values) implements Condition {
        public OneOf {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("no value to match");
            }
            Set<String> comparable = new LinkedHashSet<>();
            values.forEach(v -> comparable.add(ValueSet.comparable(v)));
            values = Set.copyOf(comparable);
        }
    }

    /** {@code { contains: text }}: the cell holds the text somewhere. */
    record Contains(String text) implements Condition {
        public Contains {
            text = nonEmpty(text);
        }
    }

    /** {@code { starts_with: text }}: the cell begins with the text, such as a URL before its tracking parameters. */
    record StartsWith(String text) implements Condition {
        public StartsWith {
            text = nonEmpty(text);
        }
    }

    /**
     * {@code { gte, gt, lte, lt }} on a numeric column: the cell's exact value, in millionths, is
     * from {@code min} to {@code max}, both included ({@code gt: 100} is {@code min} 100.000001).
     * A cell that is empty or not a number matches no range.
     */
    record Range(long min, long max) implements Condition {
        public Range {
            if (min > max) {
                throw new IllegalArgumentException("the range holds no number");
            }
        }
    }

    private static String nonEmpty(String text) {
        String comparable = ValueSet.comparable(Objects.requireNonNull(text, "text"));
        if (comparable.isEmpty()) {
            throw new IllegalArgumentException("empty text matches every cell");
        }
        return comparable;
    }
}
