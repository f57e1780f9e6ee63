package se.nestit.audience.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: left-aligned text, right-aligned numbers, columns as wide as their widest cell. */
final class TextTable {

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = header;
    }

    TextTable row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("expected " + header.length + " cells but got " + cells.length);
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = String.valueOf(cells[i]);
        }
        rows.add(text);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] width = new int[header.length];
        boolean[] numeric = new boolean[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            numeric[i] = !rows.isEmpty();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
                // an empty cell (a row that goes on from the one above) leaves a column numeric
                numeric[i] &= r[i].isEmpty() || r[i].matches("-?[0-9][0-9.,]*");
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width, numeric);
        for (String[] r : rows) {
            line(out, r, width, numeric);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            line.append(numeric[i] ? pad + cells[i] : cells[i] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
