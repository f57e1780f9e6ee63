package se.nestit.audience.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
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

    /**
     * The hot path reads a cell's bytes in place in the file's buffer: it must answer as the String
     * path does for the text those bytes decode to, valid or not, whatever surrounds the cell.
     */
    @Property(tries = 3000)
    boolean theBytePathReadsAnyCellAsTheStringPathDoes(
            @ForAll("timestampLike") String cell,
            @ForAll("zones") ZoneId zone,
            @ForAll byte[] before,
            @ForAll byte[] after) {
        byte[] utf8 = cell.getBytes(UTF_8);
        Timestamps timestamps = new Timestamps(zone);
        return timestamps.micros(CellVariants.inBuffer(before, utf8, after), before.length, before.length + utf8.length)
                == timestamps.micros(new String(utf8, UTF_8));
    }

    /** consents.csv keeps the instant, nanoseconds and all: read from bytes, it is the String path's. */
    @Property(tries = 3000)
    boolean theBytePathReadsAnyCellsInstantAsTheStringPathDoes(
            @ForAll("timestampLike") String cell,
            @ForAll("zones") ZoneId zone,
            @ForAll byte[] before,
            @ForAll byte[] after) {
        byte[] utf8 = cell.getBytes(UTF_8);
        Timestamps timestamps = new Timestamps(zone);
        return timestamps
                .instant(CellVariants.inBuffer(before, utf8, after), before.length, before.length + utf8.length)
                .equals(timestamps.instant(new String(utf8, UTF_8)));
    }

    @Property(tries = 1000)
    boolean theBytePathReadsAnyBytesAsTheStringPathDoes(@ForAll byte[] cell, @ForAll("zones") ZoneId zone) {
        Timestamps timestamps = new Timestamps(zone);
        return timestamps.micros(cell, 0, cell.length) == timestamps.micros(new String(cell, UTF_8));
    }

    /**
     * The zulu form is checked a word at a time: any byte in any of its twenty places, the values
     * just outside a digit's range and the separators' neighbours included, must read as the
     * general grammar reads it (through the String path, which never takes the shortcut).
     */
    @Property(tries = 3000)
    boolean theZuluShortcutReadsAnyOneByteChangedAsTheGeneralGrammarDoes(
            // 0001-01-01 .. 9999-12-31
            @ForAll @LongRange(min = -62_135_596_800L, max = 253_402_300_799L) long epochSecond,
            @ForAll @IntRange(min = 0, max = 19) int at,
            @ForAll byte value) {
        byte[] cell = OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssX"))
                .getBytes(UTF_8);
        cell[at] = value;
        Timestamps timestamps = new Timestamps(ZoneId.of("UTC"));
        return timestamps.micros(cell, 0, cell.length) == timestamps.micros(new String(cell, UTF_8));
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(
                ZoneId.of("UTC"),
                ZoneId.of("Europe/Stockholm"),
                ZoneId.of("America/New_York"),
                ZoneOffset.ofHoursMinutes(5, 30));
    }

    /** Timestamps in every form the contract reads, the same with one character changed, and noise. */
    @Provide
    Arbitrary<String> timestampLike() {
        Arbitrary<String> anyForm = Combinators.combine(
                        // 0001-01-01 .. 9999-12-31
                        Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L),
                        Arbitraries.integers().between(0, 999_999_999),
                        Arbitraries.integers().between(-18 * 4, 18 * 4),
                        Arbitraries.of(
                                "uuuu-MM-dd'T'HH:mm:ssXXX",
                                "uuuu-MM-dd'T'HH:mm:ss.SSSxxx",
                                "uuuu-MM-dd HH:mm:ss.SSSSSSSSSXXX",
                                "uuuu-MM-dd'T'HH:mm",
                                "uuuu-MM-dd HH:mm:ss",
                                "uuuu-MM-dd'T'HH:mm:ss.S",
                                "uuuu-MM-dd"))
                .as((second, nanos, quarterHours, pattern) -> OffsetDateTime.ofInstant(
                                Instant.ofEpochSecond(second, nanos), ZoneOffset.ofTotalSeconds(quarterHours * 900))
                        .format(DateTimeFormatter.ofPattern(pattern)));
        // 2026-11-21T10:00:00Z, which the byte path reads by a shortcut of its own
        Arbitrary<String> zulu = Arbitraries.longs()
                .between(-62_135_596_800L, 253_402_300_799L)
                .map(second -> OffsetDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssX")));
        Arbitrary<String> valid = Arbitraries.oneOf(anyForm, zulu);
        Arbitrary<Character> odd = Arbitraries.of(
                '0', '9', '-', ':', 'T', 't', ' ', 'Z', 'z', '+', '.', ',', '/', '\t', '\u00A0', '\u2003', '\uFEFF',
                '\u0663', '\u00E9');
        Arbitrary<String> changed = Combinators.combine(
                        valid, Arbitraries.integers().between(0, 40), odd, Arbitraries.of(0, 1, 2))
                .as((text, at, c, how) -> CellVariants.change(text, at, c, how));
        Arbitrary<String> padded = Combinators.combine(
                        valid,
                        Arbitraries.strings().withChars(" \t\u00A0\u2003\uFEFF").ofMaxLength(2),
                        Arbitraries.strings().withChars(" \t\u00A0\u2003\uFEFF").ofMaxLength(2))
                .as((text, l, r) -> l + text + r);
        Arbitrary<String> noise = odd.list().ofMaxSize(25).map(CellVariants::join);
        return Arbitraries.frequencyOf(
                Tuple.of(2, valid),
                Tuple.of(4, changed),
                Tuple.of(2, padded),
                Tuple.of(1, noise),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(25)));
    }
}
