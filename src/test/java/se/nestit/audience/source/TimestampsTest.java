package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values are epoch seconds computed outside the code under test with
 * {@code date -u -d <instant> +%s}; the microsecond part is appended by hand.
 */
class TimestampsTest {

    private static final long S_2026_11_21T10Z = 1_795_255_200L; // date -u -d 2026-11-21T10:00:00Z +%s
    private static final long S_2026_11_21T09Z = 1_795_251_600L; // 2026-11-21T09:00:00Z
    private static final long S_2026_11_21T1530Z = 1_795_275_000L; // 2026-11-21T15:30:00Z
    private static final long S_2026_11_21T00Z = 1_795_219_200L; // 2026-11-21T00:00:00Z
    private static final long S_2026_11_20T23Z = 1_795_215_600L; // 2026-11-20T23:00:00Z
    private static final long S_2026_07_01T08Z = 1_782_892_800L; // 2026-07-01T08:00:00Z
    private static final long S_2026_06_30T22Z = 1_782_856_800L; // 2026-06-30T22:00:00Z
    private static final long S_2026_03_29T0130Z = 1_774_747_800L; // 2026-03-29T01:30:00Z
    private static final long S_2026_10_25T0030Z = 1_792_888_200L; // 2026-10-25T00:30:00Z
    private static final long S_2024_02_29T00Z = 1_709_164_800L; // 2024-02-29T00:00:00Z

    private static final Timestamps UTC = new Timestamps(ZoneId.of("UTC"));
    private static final Timestamps STOCKHOLM = new Timestamps(ZoneId.of("Europe/Stockholm"));

    private static long micros(long epochSecond) {
        return epochSecond * 1_000_000L;
    }

    @Nested
    class InstantsWithOffset {

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    "2026-11-21T10:00:00Z",
                    "2026-11-21t10:00:00z", // lowercase t and z
                    "2026-11-21 10:00:00Z", // SQL exports use a space
                    "2026-11-21T10:00Z", // seconds may be left out
                    "2026-11-21T11:00:00+01:00",
                    "2026-11-21T11:00:00+0100",
                    "2026-11-21T11:00:00+01",
                    "2026-11-21T04:30:00-05:30",
                    "2026-11-21T10:00:00+00:00",
                    "  2026-11-21T10:00:00Z\t", // cells are trimmed
                })
        void readsTheSameInstantWhateverTheOffsetNotation(String cell) {
            assertEquals(micros(S_2026_11_21T10Z), UTC.micros(cell));
        }

        @Test
        void anOffsetIsAppliedInTheRightDirection() {
            // 10:00 at +01:00 is 09:00 UTC; 10:00 at -05:30 is 15:30 UTC
            assertEquals(micros(S_2026_11_21T09Z), UTC.micros("2026-11-21T10:00:00+01:00"));
            assertEquals(micros(S_2026_11_21T1530Z), UTC.micros("2026-11-21T10:00:00-05:30"));
        }

        @Test
        void anExplicitOffsetWinsOverTheConfiguredZone() {
            assertEquals(micros(S_2026_11_21T10Z), STOCKHOLM.micros("2026-11-21T10:00:00Z"));
            assertEquals(micros(S_2026_11_21T09Z), STOCKHOLM.micros("2026-11-21T10:00:00+01:00"));
        }

        @Test
        void theLargestOffsetJavaTimeKnowsIsAccepted() {
            // +18:00 is ZoneOffset.MAX; 10:00+18:00 is 16:00 the day before
            assertEquals(micros(S_2026_11_21T10Z - 18 * 3600), UTC.micros("2026-11-21T10:00:00+18:00"));
        }
    }

    @Nested
    class Fractions {

        @ParameterizedTest(name = "{0} -> +{1} µs")
        @CsvSource({
            "2026-11-21T10:00:00.1Z,          100000",
            "2026-11-21T10:00:00.12Z,         120000",
            "2026-11-21T10:00:00.123Z,        123000",
            "2026-11-21T10:00:00.1234Z,       123400",
            "2026-11-21T10:00:00.12345Z,      123450",
            "2026-11-21T10:00:00.123456Z,     123456",
            "2026-11-21T10:00:00.1234567Z,    123456", // finer than a microsecond is cut off
            "2026-11-21T10:00:00.12345678Z,   123456",
            "2026-11-21T10:00:00.999999999Z,  999999", // truncated, never rounded up to the next second
            "2026-11-21T10:00:00.000001Z,     1",
        })
        void fractionsOfOneToNineDigitsAreReadAndMicrosTruncate(String cell, long extraMicros) {
            assertEquals(micros(S_2026_11_21T10Z) + extraMicros, UTC.micros(cell));
        }

        @Test
        void aFractionWorksWithAnOffsetAndInLocalTime() {
            assertEquals(micros(S_2026_11_21T09Z) + 500_000, UTC.micros("2026-11-21T10:00:00.5+01:00"));
            assertEquals(micros(S_2026_11_21T10Z) + 250_000, UTC.micros("2026-11-21T10:00:00.25"));
        }

        @Test
        void instantKeepsNanosecondsThatMicrosCutOff() {
            assertEquals(
                    Optional.of(Instant.ofEpochSecond(S_2026_11_21T10Z, 123_456_789)),
                    UTC.instant("2026-11-21T10:00:00.123456789Z"));
        }
    }

    @Nested
    class LocalDateTimesAndDates {

        @Test
        void localDateTimeIsReadInUtcByDefault() {
            assertEquals(micros(S_2026_11_21T10Z), UTC.micros("2026-11-21T10:00:00"));
            assertEquals(micros(S_2026_11_21T10Z), UTC.micros("2026-11-21T10:00"));
            assertEquals(micros(S_2026_11_21T10Z), UTC.micros("2026-11-21 10:00"));
        }

        @Test
        void dateIsStartOfDayInUtc() {
            assertEquals(micros(S_2026_11_21T00Z), UTC.micros("2026-11-21"));
        }

        @Test
        void localDateTimeInStockholmWinterIsPlusOne() {
            assertEquals(micros(S_2026_11_21T09Z), STOCKHOLM.micros("2026-11-21T10:00:00"));
        }

        @Test
        void localDateTimeInStockholmSummerIsPlusTwo() {
            assertEquals(micros(S_2026_07_01T08Z), STOCKHOLM.micros("2026-07-01T10:00:00"));
        }

        @Test
        void dateIsStartOfThatDayInStockholm() {
            assertEquals(micros(S_2026_11_20T23Z), STOCKHOLM.micros("2026-11-21"));
            assertEquals(micros(S_2026_06_30T22Z), STOCKHOLM.micros("2026-07-01"));
        }

        @Test
        void aFixedOffsetZoneIsAppliedToLocalTimes() {
            Timestamps plusOne = new Timestamps(ZoneId.of("+01:00"));
            assertEquals(micros(S_2026_11_21T09Z), plusOne.micros("2026-11-21T10:00:00"));
        }

        @Test
        void localTimeInTheSpringGapIsMovedForwardByTheGap() {
            // 2026-03-29 02:00-03:00 does not exist in Stockholm (clocks jump 02:00 CET -> 03:00 CEST).
            // java.time (ZonedDateTime.ofLocal) moves 02:30 forward by the gap's length: 03:30 CEST = 01:30Z.
            assertEquals(micros(S_2026_03_29T0130Z), STOCKHOLM.micros("2026-03-29T02:30:00"));
        }

        @Test
        void localTimeInTheAutumnOverlapTakesTheEarlierOffset() {
            // 2026-10-25 02:30 happens twice in Stockholm (CEST +02, then CET +01). java.time takes the
            // earlier offset, +02:00, so 02:30 is 00:30Z (not 01:30Z).
            assertEquals(micros(S_2026_10_25T0030Z), STOCKHOLM.micros("2026-10-25T02:30:00"));
        }

        @Test
        void leapDayExistsIn2024() {
            assertEquals(micros(S_2024_02_29T00Z), UTC.micros("2024-02-29"));
        }
    }

    @Nested
    class Invalid {

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(
                strings = {
                    "",
                    "   ",
                    "2026-13-01", // month 13
                    "2026-00-10", // month 0
                    "2026-02-30", // February never has 30 days
                    "2026-02-29", // 2026 is not a leap year
                    "2026-04-31", // April has 30 days
                    "2026-11-00", // day 0
                    "2026-11-21T24:00", // 24:00 is not accepted
                    "2026-11-21T10:60",
                    "2026-11-21T10:00:60", // no leap seconds
                    "2026-11-21T10", // hour without minutes
                    "2026-11-21T10:",
                    "2026-11-21T10:00:",
                    "2026-11-21T10:00:00.", // a point without digits
                    "2026-11-21T10:00:00.1234567890Z", // ten fraction digits
                    "2026/11/21",
                    "21.11.2026",
                    "11/21/2026",
                    "20261121",
                    "2026-1-21",
                    "2026-11-21X10:00", // unknown separator
                    "2026-11-21T10:00:00Zjunk", // trailing garbage
                    "2026-11-21 junk",
                    "2026-11-21T10:00:00 +01:00", // space before the offset
                    "2026-11-21T10:00:00+19:00", // beyond ZoneOffset.MAX
                    "2026-11-21T10:00:00+18:01",
                    "2026-11-21T10:00:00+01:60",
                    "2026-11-21T10:00:00+1",
                    "2026-11-21T10:00:00+01:0",
                    "2026-11-21T10:00:00+010",
                    "2026-11-21T10:00:00UTC",
                    "2026-11-21T10:00:00Z[Europe/Stockholm]",
                    "-2026-11-21",
                    "yesterday",
                })
        void isRejectedNeverGuessed(String cell) {
            assertEquals(Timestamps.INVALID, UTC.micros(cell));
            assertEquals(Optional.empty(), UTC.instant(cell));
            assertEquals(Timestamps.INVALID, STOCKHOLM.micros(cell));
        }
    }

    @Nested
    class InstantAndMicrosAgree {

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    "2026-11-21T10:00:00Z",
                    "2026-11-21T10:00:00.123456+01:00",
                    "2026-11-21T10:00:00.123456789-05:30",
                    "2026-11-21T10:00",
                    "2026-11-21",
                    "1969-12-31T23:59:59.5Z", // before the epoch: floor, not truncation toward zero
                    "2026-10-25T02:30:00",
                })
        void instantEqualsMicros(String cell) {
            for (Timestamps t : new Timestamps[] {UTC, STOCKHOLM}) {
                Instant instant = t.instant(cell).orElseThrow();
                long micros = t.micros(cell);
                assertEquals(micros, Timestamps.toMicros(instant));
                assertEquals(instant.truncatedTo(ChronoUnit.MICROS), Timestamps.toInstant(micros));
            }
        }

        @Test
        void aMomentBeforeTheEpochIsHalfASecondBeforeIt() {
            assertEquals(-500_000L, UTC.micros("1969-12-31T23:59:59.5Z"));
            assertEquals(Instant.ofEpochSecond(-1, 500_000_000), Timestamps.toInstant(-500_000L));
        }
    }
}
