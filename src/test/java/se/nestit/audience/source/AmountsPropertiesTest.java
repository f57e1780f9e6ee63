package se.nestit.audience.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** BigDecimal is the independent oracle: it prints and scales decimals exactly. */
class AmountsPropertiesTest {

    @Property
    boolean anyPlainDecimalWithAtMostSixDecimalsIsReadExactly(
            @ForAll @LongRange(min = -999_999_999_999_999_999L, max = 999_999_999_999_999_999L) long micros,
            @ForAll @IntRange(min = 0, max = 6) int shownDecimals) {
        // print the value with some decimals (trailing zeros only added, never digits lost)
        BigDecimal value = BigDecimal.valueOf(micros, 6);
        int needed = Math.max(0, value.stripTrailingZeros().scale());
        String text = value.setScale(Math.max(needed, shownDecimals)).toPlainString();
        return Amounts.micros(text) == micros;
    }

    @Property
    boolean sevenOrMoreDecimalsAreAlwaysRefused(
            @ForAll @LongRange(min = 0, max = 999_999L) long whole, @ForAll @IntRange(min = 7, max = 12) int decimals) {
        return Amounts.micros(whole + "." + "0".repeat(decimals)) == Amounts.INVALID;
    }

    /**
     * The hot path reads a cell's bytes in place in the file's buffer: it must answer as the String
     * path does for the text those bytes decode to, valid or not, whatever surrounds the cell.
     */
    @Property(tries = 3000)
    boolean theBytePathsReadAnyCellAsTheStringPathsDo(
            @ForAll("amountLike") String cell,
            @ForAll byte[] before,
            @ForAll byte[] after,
            @ForAll boolean decimalComma) {
        byte[] utf8 = cell.getBytes(UTF_8);
        byte[] buffer = CellVariants.inBuffer(before, utf8, after);
        int from = before.length;
        int to = from + utf8.length;
        String text = new String(utf8, UTF_8);
        return Amounts.micros(buffer, from, to, decimalComma) == Amounts.micros(text, decimalComma)
                && Amounts.isIntegerOrEmpty(buffer, from, to) == Amounts.isIntegerOrEmpty(text);
    }

    @Property(tries = 1000)
    boolean theBytePathsReadAnyBytesAsTheStringPathsDo(@ForAll byte[] cell, @ForAll boolean decimalComma) {
        String text = new String(cell, UTF_8);
        return Amounts.micros(cell, 0, cell.length, decimalComma) == Amounts.micros(text, decimalComma)
                && Amounts.isIntegerOrEmpty(cell, 0, cell.length) == Amounts.isIntegerOrEmpty(text);
    }

    /** Plain decimals and whole numbers, the same with one character changed, and noise. */
    @Provide
    Arbitrary<String> amountLike() {
        // every number of digits on either side, so that the limits (18 digits, 6 decimals) are reached
        Arbitrary<String> whole = Arbitraries.integers()
                .between(0, 20)
                .flatMap(n -> Arbitraries.strings().numeric().ofLength(n));
        Arbitrary<String> decimals = Arbitraries.integers()
                .between(0, 8)
                .flatMap(n -> Arbitraries.strings().numeric().ofLength(n));
        Arbitrary<String> valid = Combinators.combine(
                        Arbitraries.of("", "+", "-"), whole, Arbitraries.of("", "."), decimals)
                .as((sign, w, point, d) -> sign + w + (point.isEmpty() ? "" : point + d));
        Arbitrary<Character> odd = Arbitraries.of(
                '0', '1', '9', '.', ',', '-', '+', 'e', 'E', ' ', '_', '\t', '\u00A0', '\u2003', '\uFEFF', '\u0663',
                '\uFF11', '\u00E9');
        Arbitrary<String> changed = Combinators.combine(
                        valid, Arbitraries.integers().between(0, 30), odd, Arbitraries.of(0, 1, 2))
                .as((text, at, c, how) -> CellVariants.change(text, at, c, how));
        Arbitrary<String> padding =
                Arbitraries.strings().withChars(" \t\u00A0\u2003\uFEFF").ofMaxLength(2);
        Arbitrary<String> padded = Combinators.combine(padding, valid, padding).as((l, text, r) -> l + text + r);
        Arbitrary<String> noise = odd.list().ofMaxSize(25).map(CellVariants::join);
        return Arbitraries.frequencyOf(
                Tuple.of(2, valid),
                Tuple.of(4, changed),
                Tuple.of(2, padded),
                Tuple.of(1, noise),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(25)));
    }
}
