package se.nestit.audience.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import se.nestit.audience.consent.GateVerdict;

/**
 * The report's counts of one partition's customers, in one array: per audience the customers its
 * rule selects and their verdicts, then every customer's verdict, then the duplicate rows.
 */
@SuppressWarnings("EnumOrdinal") // one flat long[] for Spark to add up, laid out by verdict
final class Tally implements FlatMapFunction<Iterator<CustomerOutcome>, long[]> {

    private static final long serialVersionUID = 1L;
    private static final int VERDICTS = GateVerdict.values().length;
    private static final int PER_AUDIENCE = 1 + VERDICTS;

    private final int audiences;

    Tally(int audiences) {
        this.audiences = audiences;
    }

    static int inSegment(int audience) {
        return audience * PER_AUDIENCE;
    }

    static int verdict(int audience, GateVerdict v) {
        return audience * PER_AUDIENCE + 1 + v.ordinal();
    }

    static int customers(int audiences, GateVerdict v) {
        return audiences * PER_AUDIENCE + v.ordinal();
    }

    @Override
    public Iterator<long[]> call(Iterator<CustomerOutcome> outcomes) {
        long[] t = new long[audiences * PER_AUDIENCE + VERDICTS + 1];
        while (outcomes.hasNext()) {
            CustomerOutcome o = outcomes.next();
            for (int a = 0; a < audiences; a++) {
                if (o.selected()[a]) {
                    t[inSegment(a)]++;
                    t[verdict(a, o.verdict())]++;
                }
            }
            t[customers(audiences, o.verdict())]++;
            t[t.length - 1] += o.duplicates();
        }
        return List.of(t).iterator();
    }

    static long[] add(long[] a, long[] b) {
        long[] sum = a.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += b[i];
        }
        return sum;
    }
}
