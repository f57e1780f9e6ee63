package se.nestit.audience.spark;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import se.nestit.audience.consent.Suppressions;

/** What an executor keeps of the suppressions broadcast to it: it lives on after the build. */
class DecideTest {

    @Test
    void anExecutorKeepsOnlyTheSuppressionsOfTheLatestBroadcast() {
        JavaSparkContext jsc =
                JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        List<String[]> rows = List.<String[]>of(new String[] {"c1", "a@example.com"});
        Broadcast<List<String[]>> first = jsc.broadcast(rows);
        Broadcast<List<String[]>> second = jsc.broadcast(rows);
        try {
            Suppressions built = Decide.suppressions(first);
            assertSame(built, Decide.suppressions(first), "built again for another partition of the same build");

            Decide.suppressions(second);

            assertNotSame(built, Decide.suppressions(first), "the earlier build's suppressions are still held");
        } finally {
            first.destroy();
            second.destroy();
        }
    }
}
