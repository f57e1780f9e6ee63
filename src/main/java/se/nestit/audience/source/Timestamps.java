package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import se.nestit.audience.identity.WhiteSpace;

/**
 * Reads the contract's timestamps: an ISO-8601 instant ({@code 2026-11-21T10:00:00Z}, or with an
 * offset such as {@code +01:00}), a local date-time ({@code 2026-11-21T10:00[:00[.fraction]]}, in
 * the configured zone) or a date (the start of that day in the configured zone). A space may stand
 * for the {@code T}, as SQL exports write it. Anything else is not a timestamp: never guessed.
 *
 * <p>Hand-written rather than {@code DateTimeFormatter} because it runs once per order line and
 * behaviour event (tens of millions a night) and must not throw on the hot path.
 */
public final class Timestamps {

    /** Returned by {@link #micros(String)} for a cell that is not a timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final int SECONDS_PER_DAY = 86_400;

    private final ZoneId zone;
    private final boolean fixedOffset;
    private final int fixedOffsetSeconds;

    public Timestamps(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
        ZoneOffset fixed = zone.getRules().isFixedOffset() ? zone.getRules().getOffset(Instant.EPOCH) : null;
        this.fixedOffset = fixed != null;
        this.fixedOffsetSeconds = fixed == null ? 0 : fixed.getTotalSeconds();
    }

    public ZoneId zone() {
        return zone;
    }

    /** Microseconds since the epoch (finer digits are cut off), or {@link #INVALID}. */
    public long micros(String cell) {
        Parsed p = parse(cell);
        return p == null ? INVALID : p.epochSecond * 1_000_000L + p.nanos / 1_000;
    }

    public Optional<Instant> instant(String cell) {
        Parsed p = parse(cell);
        return p == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(p.epochSecond, p.nanos));
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    public static long toMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private record Parsed(long epochSecond, int nanos) {}

    /**
     * Microseconds since the epoch of a cell held as bytes (UTF-8), or {@link #INVALID}; the hot
     * path for activity files, which builds no string unless the cell has non-ASCII bytes.
     */
    public long micros(byte[] bytes, int from, int to) {
        if (to - from == 20) {
            // the common form first: zulu checks every byte itself
            long zulu = zulu(bytes, from);
            if (zulu != INVALID) {
                return zulu;
            }
        }
        while (from < to && isAsciiSpace(bytes[from])) {
            from++;
        }
        while (to > from && isAsciiSpace(bytes[to - 1])) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                // a timestamp is ASCII; only Unicode white space around it is allowed
                return micros(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            }
        }
        Parsed p = parse(bytes, from, to);
        return p == null ? INVALID : p.epochSecond * 1_000_000L + p.nanos / 1_000;
    }

    /**
     * {@code 2026-11-21T10:00:00Z} exactly, the form nearly every export writes: read with one
     * check for all digits and separators instead of the general grammar.
     */
    private static long zulu(byte[] s, int i) {
        if (s[i + 4] != '-'
                || s[i + 7] != '-'
                || s[i + 10] != 'T'
                || s[i + 13] != ':'
                || s[i + 16] != ':'
                || s[i + 19] != 'Z') {
            return INVALID;
        }
        int y0 = s[i] - '0';
        int y1 = s[i + 1] - '0';
        int y2 = s[i + 2] - '0';
        int y3 = s[i + 3] - '0';
        int mo0 = s[i + 5] - '0';
        int mo1 = s[i + 6] - '0';
        int d0 = s[i + 8] - '0';
        int d1 = s[i + 9] - '0';
        int h0 = s[i + 11] - '0';
        int h1 = s[i + 12] - '0';
        int mi0 = s[i + 14] - '0';
        int mi1 = s[i + 15] - '0';
        int s0 = s[i + 17] - '0';
        int s1 = s[i + 18] - '0';
        // every digit is 0..9 exactly when their OR has no bit above 9's and none is negative
        if (((y0 | y1 | y2 | y3 | mo0 | mo1 | d0 | d1 | h0 | h1 | mi0 | mi1 | s0 | s1) & ~0xF) != 0
                || y0 > 9
                || y1 > 9
                || y2 > 9
                || y3 > 9
                || mo0 > 9
                || mo1 > 9
                || d0 > 9
                || d1 > 9
                || h0 > 9
                || h1 > 9
                || mi0 > 9
                || mi1 > 9
                || s0 > 9
                || s1 > 9) {
            return INVALID;
        }
        int year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
        int month = mo0 * 10 + mo1;
        int day = d0 * 10 + d1;
        int hour = h0 * 10 + h1;
        int minute = mi0 * 10 + mi1;
        int second = s0 * 10 + s1;
        if (month < 1
                || month > 12
                || day < 1
                || day > daysInMonth(year, month)
                || hour > 23
                || minute > 59
                || second > 59) {
            return INVALID;
        }
        long epochDay = year >= FIRST_CACHED_YEAR && year < FIRST_CACHED_YEAR + CACHED_YEARS
                ? MONTH_STARTS[(year - FIRST_CACHED_YEAR) * 12 + month - 1] + day - 1
                : epochDay(year, month, day);
        return (epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second) * 1_000_000L;
    }

    private static final int FIRST_CACHED_YEAR = 1900;
    private static final int CACHED_YEARS = 300;
    /** The epoch day of the first of each month from 1900 to 2199, to spare the hot path its divisions. */
    private static final int[] MONTH_STARTS = new int[CACHED_YEARS * 12];

    static {
        for (int y = 0; y < CACHED_YEARS; y++) {
            for (int m = 1; m <= 12; m++) {
                MONTH_STARTS[y * 12 + m - 1] = (int) epochDay(FIRST_CACHED_YEAR + y, m, 1);
            }
        }
    }

    private Parsed parse(String cell) {
        String s = WhiteSpace.strip(cell);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return null;
            }
        }
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return parse(b, 0, b.length);
    }

    private Parsed parse(byte[] s, int from, int to) {
        int n = to - from;
        if (n < 10 || s[from + 4] != '-' || s[from + 7] != '-') {
            return null;
        }
        int year = digits(s, from, 4);
        int month = digits(s, from + 5, 2);
        int day = digits(s, from + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return null;
        }
        long epochDay = epochDay(year, month, day);
        if (n == 10) {
            return local(epochDay, 0, 0, 0, 0);
        }
        byte sep = s[from + 10];
        if ((sep != 'T' && sep != 't' && sep != ' ') || n < 16 || s[from + 13] != ':') {
            return null;
        }
        int hour = digits(s, from + 11, 2);
        int minute = digits(s, from + 14, 2);
        int second = 0;
        int nanos = 0;
        int pos = from + 16;
        if (pos < to && s[pos] == ':') {
            if (to < pos + 3) {
                return null;
            }
            second = digits(s, pos + 1, 2);
            pos += 3;
            if (pos < to && (s[pos] == '.' || s[pos] == ',')) {
                int start = ++pos;
                while (pos < to && pos - start < 9 && isDigit(s[pos])) {
                    nanos = nanos * 10 + (s[pos++] - '0');
                }
                int count = pos - start;
                if (count == 0) {
                    return null;
                }
                for (int i = count; i < 9; i++) {
                    nanos *= 10;
                }
            }
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        if (pos == to) {
            return local(epochDay, hour, minute, second, nanos);
        }
        int offset = offsetSeconds(s, pos, to);
        if (offset == Integer.MIN_VALUE) {
            return null;
        }
        return new Parsed(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offset, nanos);
    }

    private Parsed local(long epochDay, int hour, int minute, int second, int nanos) {
        long localSecond = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        if (fixedOffset) {
            return new Parsed(localSecond - fixedOffsetSeconds, nanos);
        }
        // In a DST overlap this takes the earlier offset, as java.time does; in a gap, the later.
        try {
            LocalDateTime ldt = LocalDateTime.ofEpochSecond(localSecond, nanos, ZoneOffset.UTC);
            return new Parsed(ZonedDateTime.ofLocal(ldt, zone, null).toEpochSecond(), nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code Z}, {@code +HH}, {@code +HHMM} or {@code +HH:MM} from {@code pos} to {@code to}. */
    private static int offsetSeconds(byte[] s, int pos, int to) {
        byte c = s[pos];
        if ((c == 'Z' || c == 'z') && pos + 1 == to) {
            return 0;
        }
        if (c != '+' && c != '-') {
            return Integer.MIN_VALUE;
        }
        int rest = to - pos - 1;
        int hours;
        int minutes;
        if (rest == 2) {
            hours = digits(s, pos + 1, 2);
            minutes = 0;
        } else if (rest == 4) {
            hours = digits(s, pos + 1, 2);
            minutes = digits(s, pos + 3, 2);
        } else if (rest == 5 && s[pos + 3] == ':') {
            hours = digits(s, pos + 1, 2);
            minutes = digits(s, pos + 4, 2);
        } else {
            return Integer.MIN_VALUE;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59 || (hours == 18 && minutes > 0)) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3600 + minutes * 60;
        return c == '-' ? -seconds : seconds;
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(byte[] s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            byte c = s[i];
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiSpace(byte c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0D);
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
