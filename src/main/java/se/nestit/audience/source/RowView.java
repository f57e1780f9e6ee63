package se.nestit.audience.source;

/**
 * One record's cells as the audience rules read them. Rows read with opencsv and rows parsed from
 * bytes both offer it, and so can a distributed runner's rows.
 */
public interface RowView {

    /** The cell at a column position, as text. */
    String cell(int column);

    /** Whether the cell, trimmed and lowercase, is one of the values. */
    default boolean cellIn(int column, ValueSet values) {
        return values.contains(cell(column));
    }

    /** A row over cells that are already strings. */
    static RowView of(String[] cells) {
        return column -> cells[column];
    }
}
