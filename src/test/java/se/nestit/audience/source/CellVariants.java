package se.nestit.audience.source;

import java.util.List;
import java.util.stream.Collectors;

/** Variants of cells for the properties that hold a byte path of a parser to its String path. */
final class CellVariants {

    private CellVariants() {}

    /** The cell's bytes with other bytes of the file's buffer before and after them. */
    static byte[] inBuffer(byte[] before, byte[] cell, byte[] after) {
        byte[] buffer = new byte[before.length + cell.length + after.length];
        System.arraycopy(before, 0, buffer, 0, before.length);
        System.arraycopy(cell, 0, buffer, before.length, cell.length);
        System.arraycopy(after, 0, buffer, before.length + cell.length, after.length);
        return buffer;
    }

    /** The text with the character at {@code at} (modulo its length) replaced by c, c put before it, or it removed. */
    static String change(String text, int at, char c, int how) {
        if (text.isEmpty()) {
            return String.valueOf(c);
        }
        int i = at % text.length();
        return switch (how) {
            case 0 -> text.substring(0, i) + c + text.substring(i + 1);
            case 1 -> text.substring(0, i) + c + text.substring(i);
            default -> text.substring(0, i) + text.substring(i + 1);
        };
    }

    static String join(List<Character> chars) {
        return chars.stream().map(String::valueOf).collect(Collectors.joining());
    }
}
