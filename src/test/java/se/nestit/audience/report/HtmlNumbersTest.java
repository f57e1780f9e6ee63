package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** report.html's numbers read exactly as {@code String.format(Locale.ROOT, ...)} wrote them. */
class HtmlNumbersTest {

    @Property(tries = 5_000)
    void aCountIsGroupedAsFormatGroupsIt(@ForAll long n) {
        assertEquals(String.format(Locale.ROOT, "%,d", n), Html.count(n));
    }

    @Example
    void countsAtTheGroupsEdges() {
        for (long n :
                new long[] {0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(String.format(Locale.ROOT, "%,d", n), Html.count(n));
        }
    }

    @Property(tries = 5_000)
    void decimalsAreRoundedAsFormatRoundsThem(
            @ForAll("numbers") double v, @ForAll @IntRange(min = 1, max = 3) int places) {
        assertEquals(String.format(Locale.ROOT, "%." + places + "f", v), Html.decimals(v, places));
    }

    @Example
    void decimalsAtTheHalvesAndTheEdges() {
        double[] values = {
            0.05,
            0.15,
            0.25,
            0.35,
            1.15,
            2.675,
            1.0005,
            0.0005,
            123.45,
            -0.05,
            -0.04,
            -0.0,
            0.0,
            1e7,
            1.23456789e20,
            4.9e-324,
            Double.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        for (double v : values) {
            for (int places = 1; places <= 3; places++) {
                assertEquals(String.format(Locale.ROOT, "%." + places + "f", v), Html.decimals(v, places), v + "");
            }
        }
    }

    /** Chart coordinates, seconds and percentages: short decimals, many of them on a rounding half. */
    @Provide
    Arbitrary<Double> numbers() {
        Arbitrary<Double> halves = Combinators.combine(
                        Arbitraries.longs().between(-1_000_000, 1_000_000),
                        Arbitraries.integers().between(1, 4))
                .as((n, scale) -> (n * 10 + 5) / Math.pow(10, scale + 1));
        return Arbitraries.oneOf(
                halves,
                Arbitraries.doubles().between(-1e4, 1e4),
                Arbitraries.doubles(),
                Arbitraries.doubles().between(0, 1));
    }
}
