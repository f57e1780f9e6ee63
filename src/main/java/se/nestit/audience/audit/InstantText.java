package se.nestit.audience.audit;

import java.time.Instant;

/**
 * {@link Instant#toString} into a reused char array: the trail writes the consent time of every
 * customer it names, a million on a first sync, and the JDK's formatter took a third of that work.
 */
final class InstantText {

    /** 1970-01-01T00:00:00Z and 10000-01-01T00:00:00Z: between them every field has a fixed width. */
    private static final long FROM = 0;

    private static final long UNTIL = 253_402_300_800L;

    /** Room for the longest, {@link Instant#MAX}. */
    private final char[] text = new char[Instant.MAX.toString().length()];

    /** Writes {@code t} as {@link Instant#toString} does and returns its length in {@link #chars}. */
    int format(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < FROM || seconds >= UNTIL) {
            String s = t.toString();
            s.getChars(0, s.length(), text, 0);
            return s.length();
        }
        int days = (int) (seconds / 86_400);
        int second = (int) (seconds % 86_400);
        // the civil date of a day count: Howard Hinnant's civil_from_days, for days from 1970 on
        int z = days + 719_468;
        int era = z / 146_097;
        int doe = z - era * 146_097;
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int month = mp < 10 ? mp + 3 : mp - 9;
        digits(yoe + era * 400 + (month <= 2 ? 1 : 0), 0, 4);
        text[4] = '-';
        digits(month, 5, 2);
        text[7] = '-';
        digits(doy - (153 * mp + 2) / 5 + 1, 8, 2);
        text[10] = 'T';
        digits(second / 3600, 11, 2);
        text[13] = ':';
        digits(second / 60 % 60, 14, 2);
        text[16] = ':';
        digits(second % 60, 17, 2);
        int at = 19;
        int nano = t.getNano();
        if (nano > 0) {
            // as ISO_INSTANT: the fraction in groups of three digits, as many as it needs
            text[at++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(nano / 1_000_000, at, 3);
                at += 3;
            } else if (nano % 1000 == 0) {
                digits(nano / 1000, at, 6);
                at += 6;
            } else {
                digits(nano, at, 9);
                at += 9;
            }
        }
        text[at++] = 'Z';
        return at;
    }

    /** The text {@link #format} wrote, valid until its next call. */
    char[] chars() {
        return text;
    }

    private void digits(int n, int at, int width) {
        for (int i = at + width - 1; i >= at; i--, n /= 10) {
            text[i] = (char) ('0' + n % 10);
        }
    }
}
