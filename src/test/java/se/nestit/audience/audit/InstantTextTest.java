package se.nestit.audience.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    private final InstantText text = new InstantText();

    private String format(Instant t) {
        return new String(text.chars(), 0, text.format(t));
    }

    @Test
    void writesTheFractionInGroupsOfThreeAsInstantToStringDoes() {
        assertEquals("2026-11-22T03:04:05Z", format(Instant.parse("2026-11-22T03:04:05Z")));
        assertEquals("2026-11-22T03:04:05.600Z", format(Instant.parse("2026-11-22T03:04:05.6Z")));
        assertEquals("2026-11-22T03:04:05.000600Z", format(Instant.parse("2026-11-22T03:04:05.0006Z")));
        assertEquals("2026-11-22T03:04:05.000000006Z", format(Instant.parse("2026-11-22T03:04:05.000000006Z")));
        assertEquals("2024-02-29T23:59:59.999Z", format(Instant.parse("2024-02-29T23:59:59.999Z")));
    }

    @Test
    void timesOutsideFourDigitYearsAfter1970AreWrittenAsTheJdkWritesThem() {
        for (Instant t : new Instant[] {
            Instant.EPOCH.minusNanos(1),
            Instant.parse("1969-07-20T20:17:40Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.MIN,
            Instant.MAX
        }) {
            assertEquals(t.toString(), format(t));
        }
        assertEquals("1970-01-01T00:00:00Z", format(Instant.EPOCH));
        assertEquals("9999-12-31T23:59:59.999999999Z", format(Instant.parse("9999-12-31T23:59:59.999999999Z")));
    }

    @Test
    void everyDayFrom1970To2400HasItsCalendarDate() {
        for (long day = 0; day < 157_000; day++) {
            Instant t = Instant.ofEpochSecond(day * 86_400 + 86_399);
            assertEquals(t.toString(), format(t));
        }
    }

    @Property
    void equalsInstantToString(
            @ForAll @LongRange(min = -100_000_000_000L, max = 300_000_000_000L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
            @ForAll @IntRange(min = 0, max = 2) int rounding) {
        int nano = rounding == 0 ? nanos / 1_000_000 * 1_000_000 : rounding == 1 ? nanos / 1000 * 1000 : nanos;
        Instant t = Instant.ofEpochSecond(seconds, nano);
        assertEquals(t.toString(), format(t));
    }
}
