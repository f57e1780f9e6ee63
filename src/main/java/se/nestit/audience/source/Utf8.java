package se.nestit.audience.source;

/** A strict UTF-8 check: shortest forms only, no surrogates, nothing above U+10FFFF. */
final class Utf8 {

    private Utf8() {}

    static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            // a record is checked whole, and most of it is ASCII even where it is not all
            if (i + 8 <= to && ((long) ByteRecord.LONGS.get(b, i) & ByteRecord.HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= to) {
                return false; // the sequence is cut off
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cont = b[i + k] & 0xFF;
                if ((cont & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cont & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }
}
