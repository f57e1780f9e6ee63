package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Rejects keep lines and reasons compactly; what comes out is what went in, by file, in order. */
class RejectsPropertiesTest {

    @Provide
    Arbitrary<List<Rejects.Reject>> rejects() {
        Arbitrary<Rejects.Reject> reject = Combinators.combine(
                        Arbitraries.of(InputFile.class),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(1, 200)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, Long.MAX_VALUE))),
                        Arbitraries.of(
                                "customer_id is empty",
                                "expected 5 fields but found 6",
                                "field 2: text after the closing quote",
                                "k\u00f6p: \ud834\udd1e",
                                ""))
                .as(Rejects.Reject::new);
        return reject.list().ofMaxSize(300);
    }

    @Property(tries = 200)
    void allGivesBackEveryRejectByFileThenInTheOrderAdded(@ForAll("rejects") List<Rejects.Reject> added) {
        // a reader adds one file's rejects in line order
        List<Rejects.Reject> ordered = new ArrayList<>(added);
        ordered.sort(Comparator.comparing(Rejects.Reject::file).thenComparingLong(Rejects.Reject::line));
        Rejects rejects = new Rejects();
        for (Rejects.Reject r : ordered) {
            rejects.add(r.file(), r.line(), r.reason());
        }

        List<Rejects.Reject> all = rejects.all();
        rejects.add(InputFile.CUSTOMERS, Long.MAX_VALUE, "later");

        assertEquals(ordered, all);
        assertEquals(ordered, new ArrayList<>(all), "a second reading");
        assertEquals(ordered.size(), all.size());
        if (!ordered.isEmpty()) {
            assertEquals(ordered.get(ordered.size() / 2), all.get(ordered.size() / 2));
        }
        for (InputFile f : InputFile.values()) {
            assertEquals(
                    ordered.stream().filter(r -> r.file() == f).count() + (f == InputFile.CUSTOMERS ? 1 : 0),
                    rejects.count(f));
        }
    }

    @Property(tries = 200)
    void aChunksRejectsAreAddedFromItsFirstLine(@ForAll("rejects") List<Rejects.Reject> chunk) {
        RejectList list = new RejectList();
        for (Rejects.Reject r : chunk) {
            list.add(r.line(), r.reason());
        }
        Rejects rejects = new Rejects();
        rejects.add(InputFile.EVENTS, 1, "before");
        rejects.add(InputFile.EVENTS, 1000, list);

        List<Rejects.Reject> expected = new ArrayList<>(List.of(new Rejects.Reject(InputFile.EVENTS, 1, "before")));
        chunk.forEach(r -> expected.add(new Rejects.Reject(InputFile.EVENTS, 1000 + r.line(), r.reason())));
        assertEquals(expected, rejects.all());
    }
}
