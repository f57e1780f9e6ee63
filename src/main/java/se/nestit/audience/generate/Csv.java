package se.nestit.audience.generate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds CSV lines fast: fields are quoted only when RFC 4180 needs it. */
final class Csv {

    private final StringBuilder line = new StringBuilder(128);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    private boolean first = true;

    Csv field(String value) {
        separator();
        if (value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0) {
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            line.append(value);
        }
        return this;
    }

    /** An ISO-8601 instant in UTC, {@code 2026-11-21T10:00:00Z}. */
    Csv time(long epochSecond) {
        separator();
        long day = Math.floorDiv(epochSecond, 86_400);
        int second = Math.floorMod(epochSecond, 86_400);
        // Hinnant's civil_from_days
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        line.append(y).append('-');
        two(m).append('-');
        two(d).append('T');
        two(second / 3600).append(':');
        two(second / 60 % 60).append(':');
        two(second % 60).append('Z');
        return this;
    }

    /** An amount in cents as {@code 249.00}. */
    Csv money(long cents) {
        separator();
        line.append(cents / 100).append('.');
        two((int) (cents % 100));
        return this;
    }

    void end() {
        line.append('\n');
        byte[] b = line.toString().getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        line.setLength(0);
        first = true;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    private StringBuilder two(int v) {
        return line.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private void separator() {
        if (!first) {
            line.append(',');
        }
        first = false;
    }
}
