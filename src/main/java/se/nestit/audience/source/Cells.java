package se.nestit.audience.source;

import se.nestit.audience.identity.WhiteSpace;

/** What the row rules of every file share: whether a cell is empty, and the reasons they give. */
final class Cells {

    private Cells() {}

    static boolean isEmpty(String cell) {
        return WhiteSpace.strip(cell).isEmpty();
    }

    static String notATimestamp(String column) {
        return column + ": not a timestamp (expected e.g. 2026-11-21T10:00:00Z, 2026-11-21T10:00:00+01:00, "
                + "2026-11-21T10:00:00 or 2026-11-21)";
    }
}
