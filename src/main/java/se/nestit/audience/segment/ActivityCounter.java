package se.nestit.audience.segment;

import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;

/**
 * What one {@code purchased} or {@code event} rule needs to know per customer: how many of their
 * rows in one file match a filter within a window, and (for {@code min_amount}) their amounts'
 * sum. Rules with the same file, filter and window share one counter.
 *
 * @param slot this counter's position in {@link Facts}
 * @param after rows must be later than this instant (microseconds), {@link Long#MIN_VALUE} for no window
 */
public record ActivityCounter(int slot, InputFile file, RowFilter filter, long after, boolean sumsAmounts) {

    /** Whether a row at {@code at}, already known to be at or before {@code as_of}, counts. */
    public boolean counts(RowView row, long at) {
        return at > after && filter.matches(row);
    }
}
