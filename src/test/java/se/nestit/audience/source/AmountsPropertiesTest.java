package se.nestit.audience.source;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
            @ForAll @LongRange(min = 0, max = 999_999L) long whole,
            @ForAll @IntRange(min = 7, max = 12) int decimals) {
        return Amounts.micros(whole + "." + "0".repeat(decimals)) == Amounts.INVALID;
    }
}
