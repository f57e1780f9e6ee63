package se.nestit.audience.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
        Parsed p = parseCell(bytes, from, to);
        return p == null ? INVALID : p.epochSecond * 1_000_000L + p.nanos / 1_000;
    }

    /** {@link #instant(String)} of a cell held as bytes (UTF-8), building no string for an ASCII cell. */
    public Optional<Instant> instant(byte[] bytes, int from, int to) {
        long second = zuluSeconds(bytes, from, to);
        if (second != INVALID) {
            return Optional.of(Instant.ofEpochSecond(second));
        }
        Parsed p = parseCell(bytes, from, to);
        return p == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(p.epochSecond, p.nanos));
    }

    /**
     * Seconds since the epoch of a cell that is exactly {@code 2026-11-21T10:00:00Z}, the form nearly
     * every export writes, or {@link #INVALID} for any other cell (which may still be a timestamp).
     */
    public static long zuluSeconds(byte[] bytes, int from, int to) {
        if (to - from != 20) {
            return INVALID;
        }
        long zulu = zulu(bytes, from);
        return zulu == INVALID ? INVALID : zulu / 1_000_000L;
    }

    /** The general grammar over a cell's bytes, white space around it ignored; null when it is no timestamp. */
    private Parsed parseCell(byte[] bytes, int from, int to) {
        while (from < to && isAsciiSpace(bytes[from])) {
            from++;
        }
        while (to > from && isAsciiSpace(bytes[to - 1])) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                // a timestamp is ASCII; only Unicode white space around it is allowed
                return parse(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            }
        }
        return parse(bytes, from, to);
    }

    /**
     * {@code 2026-11-21T10:00:00Z} exactly, the form nearly every export writes: read as three
     * overlapping words, each checked for its digits and separators at once, instead of by the
     * general grammar. (Caching the last date seen does not pay: consecutive rows of the benchmark's
     * exports share their date about once in a hundred.)
     */
    private static long zulu(byte[] s, int i) {
        long date = (long) LONGS.get(s, i); // yyyy-MM-
        long day = (long) LONGS.get(s, i + 8); // ddTHH:mm
        long second = (long) LONGS.get(s, i + 12); // H:mm:ssZ, of which :ssZ is new
        if ((malformed(date, DATE_FORM, DATE_MASK, DATE_DIGITS)
                        | malformed(day, DAY_FORM, DAY_MASK, DAY_DIGITS)
                        | malformed(second, SECOND_FORM, SECOND_MASK, SECOND_DIGITS))
                != 0) {
            return INVALID;
        }
        long datePairs = pairs(date, DATE_DIGITS);
        long dayPairs = pairs(day, DAY_DIGITS);
        int year = pair(datePairs, 0) * 100 + pair(datePairs, 2);
        int month = pair(datePairs, 5);
        int dayOfMonth = pair(dayPairs, 0);
        int hour = pair(dayPairs, 3);
        int minute = pair(dayPairs, 6);
        int sec = pair(pairs(second, SECOND_DIGITS), 5);
        if (month < 1 || month > 12 || dayOfMonth < 1 || hour > 23 || minute > 59 || sec > 59) {
            return INVALID;
        }
        long epochDay;
        int cached = (year - FIRST_CACHED_YEAR) * 12 + month - 1;
        if (year >= FIRST_CACHED_YEAR && year < FIRST_CACHED_YEAR + CACHED_YEARS) {
            // the month's length is the distance to the next month's start
            if (dayOfMonth > MONTH_STARTS[cached + 1] - MONTH_STARTS[cached]) {
                return INVALID;
            }
            epochDay = MONTH_STARTS[cached] + dayOfMonth - 1L;
        } else {
            if (dayOfMonth > daysInMonth(year, month)) {
                return INVALID;
            }
            epochDay = epochDay(year, month, dayOfMonth);
        }
        return (epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + sec) * 1_000_000L;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // Per word of the zulu form (first byte lowest): its separators and the 3 of its digits (FORM),
    // the bits a byte must match (MASK: all of a separator, the high nibble of a digit) and where its
    // digits are (DIGITS); bytes the word before already checked are 0 in all three.
    private static final long DATE_FORM = 0x2D_30_30_2D_30_30_30_30L; // yyyy-MM-
    private static final long DATE_MASK = 0xFF_F0_F0_FF_F0_F0_F0_F0L;
    private static final long DATE_DIGITS = 0x00_F0_F0_00_F0_F0_F0_F0L;
    private static final long DAY_FORM = 0x30_30_3A_30_30_54_30_30L; // ddTHH:mm
    private static final long DAY_MASK = 0xF0_F0_FF_F0_F0_FF_F0_F0L;
    private static final long DAY_DIGITS = 0xF0_F0_00_F0_F0_00_F0_F0L;
    private static final long SECOND_FORM = 0x5A_30_30_3A_00_00_00_00L; // :ssZ
    private static final long SECOND_MASK = 0xFF_F0_F0_FF_00_00_00_00L;
    private static final long SECOND_DIGITS = 0x00_F0_F0_00_00_00_00_00L;

    /**
     * Zero exactly when {@code w} has the form's separators and a digit at each of its digit places:
     * high nibble 3, and still 3 once 6 is added (so 0 to 9). The addition cannot carry into the
     * next byte once the high nibbles are right, and when they are not the first term is not zero.
     */
    private static long malformed(long w, long form, long mask, long digits) {
        long threes = form & digits;
        return ((w & mask) ^ form) | (((w + (threes >>> 3)) & digits) ^ threes);
    }

    /**
     * Each byte of {@code w} that starts two digits becomes their value, all at once: ten times a
     * digit plus the next is at most 99, so no byte carries into another (separators count 0).
     */
    private static long pairs(long w, long digits) {
        long d = w & (digits >>> 4);
        return d * 10 + (d >>> 8);
    }

    /** The value of the two digits starting at byte {@code index} of a word of {@link #pairs}. */
    private static int pair(long pairs, int index) {
        return (int) (pairs >>> (8 * index)) & 0xFF;
    }

    private static final int FIRST_CACHED_YEAR = 1900;
    private static final int CACHED_YEARS = 300;
    /**
     * The epoch day of the first of each month from 1900 to 2199, and of 2200-01-01 after them, to
     * spare the hot path its divisions.
     */
    private static final int[] MONTH_STARTS = new int[CACHED_YEARS * 12 + 1];

    static {
        for (int y = 0; y < CACHED_YEARS; y++) {
            for (int m = 1; m <= 12; m++) {
                MONTH_STARTS[y * 12 + m - 1] = (int) epochDay(FIRST_CACHED_YEAR + y, m, 1);
            }
        }
        MONTH_STARTS[CACHED_YEARS * 12] = (int) epochDay(FIRST_CACHED_YEAR + CACHED_YEARS, 1, 1);
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
