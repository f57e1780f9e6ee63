package se.nestit.audience.source;

/**
 * The optional cells of an order line that a rule reads on every row, so that one which cannot be
 * read rejects its row instead of being counted as unread: a rule that might have matched it must
 * not be guessed at (inside a {@code not}, a guess would let someone in).
 *
 * @param amount a rule sums amounts against a {@code min_amount} or compares them with a range
 * @param quantity a rule compares quantities with a range
 */
public record RequiredCells(boolean amount, boolean quantity) {

    /** No rule reads amounts or quantities. */
    public static final RequiredCells NONE = new RequiredCells(false, false);
}
