package se.nestit.audience.source;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** java.time's own ISO formatter and zone rules are the independent oracle. */
class TimestampsPropertiesTest {

    private static final DateTimeFormatter ISO_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    @Property
    boolean anyInstantWrittenWithAnyOffsetReadsBack(
            // 1970-01-01 .. 2100-01-01
            @ForAll @LongRange(min = 0, max = 4_102_444_800L) long epochSecond,
            @ForAll @IntRange(min = 0, max = 999_999) int micros,
            @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 900);
        Instant instant = Instant.ofEpochSecond(epochSecond, micros * 1_000L);
        String text = OffsetDateTime.ofInstant(instant, offset).format(ISO_OFFSET);
        return new Timestamps(ZoneId.of("UTC")).micros(text) == epochSecond * 1_000_000L + micros;
    }

    @Property
    boolean localTimesInStockholmFollowJavaTimeZoneRules(
            @ForAll @LongRange(min = 0, max = 4_102_444_800L) long localEpochSecond) {
        var local = LocalDateTime.ofEpochSecond(localEpochSecond, 0, ZoneOffset.UTC);
        ZoneId zone = ZoneId.of("Europe/Stockholm");
        long expected = local.atZone(zone).toEpochSecond() * 1_000_000L;
        String text = local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
        return new Timestamps(zone).micros(text) == expected;
    }
}
