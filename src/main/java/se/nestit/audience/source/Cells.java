package se.nestit.audience.source;

import se.nestit.audience.identity.WhiteSpace;

/** What the row rules of every file share: reading optional cells, and the reasons they give. */
final class Cells {

    private Cells() {}

    /** The trimmed cell, or "" when the file has no such column. */
    static String optional(RowView row, int index) {
        return index < 0 ? "" : WhiteSpace.strip(row.cell(index));
    }

    static boolean isEmpty(String cell) {
        return WhiteSpace.strip(cell).isEmpty();
    }

    static String notATimestamp(String column) {
        return column + ": not a timestamp (expected e.g. 2026-11-21T10:00:00Z, 2026-11-21T10:00:00+01:00, "
                + "2026-11-21T10:00:00 or 2026-11-21)";
    }
}
