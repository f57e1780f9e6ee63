package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Amounts are millionths in a long: 1 unit = 1_000_000. */
class AmountsTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "12.50        | 12500000",
                "-3           | -3000000",
                "+4.5         | 4500000",
                ".5           | 500000",
                "-.5          | -500000",
                "0.000001     | 1",
                "199          | 199000000",
                "0            | 0",
                "-0           | 0",
                "007.10       | 7100000",
                "999999999999 | 999999999999000000", // 12 integer digits: the largest allowed
                "1999.999999  | 1999999999",
            })
    void readsPlainDecimalsExactly(String cell, long expected) {
        assertEquals(expected, Amounts.micros(cell));
    }

    @Test
    void emptyOrBlankCellIsZero() {
        assertEquals(0, Amounts.micros(""));
        assertEquals(0, Amounts.micros("  "));
    }

    @Test
    void surroundingWhiteSpaceIncludingNoBreakSpaceIsIgnored() {
        assertEquals(12_500_000, Amounts.micros(" 12.50\u00A0"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
            strings = {
                "12,50", // decimal comma
                "1e3", // exponent
                "1E3",
                "1.", // point without decimals
                "-",
                "+",
                ".",
                "-.",
                "1 000", // thousands separator (space)
                "1,000",
                "1'000",
                "0.0000001", // seven decimals
                "1.1234567",
                "1234567890123", // thirteen integer digits
                "--1",
                "+-1",
                "1-",
                "12.5.0",
                "kr 12",
                "12 SEK",
                "0x10",
                "١٢", // Arabic-Indic digits are not ASCII digits
                "NaN",
                "Infinity",
            })
    void refusesAnythingButAPlainDecimal(String cell) {
        assertEquals(Amounts.INVALID, Amounts.micros(cell));
    }

    @Test
    void sumsAreExactWhereDoublesAreNot() {
        // the reason for millionths: in binary floating point 0.1 + 0.2 != 0.3
        assertEquals(Amounts.micros("0.3"), Amounts.micros("0.1") + Amounts.micros("0.2"));
        assertEquals(Amounts.micros("2000"), Amounts.micros("1999.99") + Amounts.micros("0.01"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "  ", "0", "1", "12", "-1", "+3", " 7 ", "999999999999999999"})
    void acceptsWholeNumbersAndEmptyAsQuantity(String cell) {
        assertTrue(Amounts.isIntegerOrEmpty(cell));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
            strings = {
                "1.0",
                "1.5",
                "-",
                "+",
                "1e3",
                "1 000",
                "1,000",
                "two",
                "--1",
                "1-",
                "9999999999999999999" /* 19 digits */
            })
    void refusesAnythingElseAsQuantity(String cell) {
        assertFalse(Amounts.isIntegerOrEmpty(cell));
    }
}
