package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import se.nestit.audience.identity.Normalization;

class HashStageTest {

    @Test
    void theHashingBarReachesItsTotal() {
        CustomerTable customers = new CustomerTable();
        BitSet needed = new BitSet();
        // not a multiple of the 4096 customers a step counts
        for (int i = 0; i < 10_001; i++) {
            needed.set(customers.add("C" + i, "c" + i + "@example.se", i + 2));
        }
        AtomicLong total = new AtomicLong();
        AtomicLong advanced = new AtomicLong();
        Progress progress = (name, max) -> {
            total.set(max);
            return new Progress.Task() {
                @Override
                public void advance(long n) {
                    advanced.addAndGet(n);
                }

                @Override
                public void close() {}
            };
        };

        HashStage.hash(customers, Map.of(Normalization.BASIC, needed), progress);

        assertEquals(10_001, total.get());
        assertEquals(10_001, advanced.get());
    }
}
