package se.nestit.audience.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import se.nestit.audience.identity.WhiteSpace;

/**
 * A reading thread's lookup that remembers its last cell answers every cell as the index itself
 * does, for rows in any order: the id's own string, trimmed, is the oracle.
 */
class CustomerIndexPropertiesTest {

    /** Known ids: short and long (past the remembered cell's first size), one with a non-ASCII letter. */
    private static final List<String> IDS =
            List.of("C0000001", "C0000002", "C1", "c1", "Ö7", "K-" + "x".repeat(40), "K-" + "x".repeat(39) + "y");

    @Property(tries = 2000)
    void theRememberingLookupAnswersAsTheIndex(@ForAll("cells") List<String> cells) {
        CustomerIndex index = new CustomerIndex();
        IDS.forEach(index::add);
        CustomerLookup lookup = index.remembering();
        for (String cell : cells) {
            // the cell amid other bytes, as a row holds it
            byte[] row = ("x," + cell + ",y").getBytes(UTF_8);
            int from = 2;
            int to = row.length - 2;
            int expected = IDS.indexOf(WhiteSpace.strip(cell));
            assertEquals(expected, lookup.indexOf(row, from, to), cell);
            assertEquals(expected, index.indexOf(row, from, to), cell);
        }
    }

    /**
     * Adding answers the new index, or -1 minus the index the id already had, whether or not the
     * table was sized up front (and whether that size was too small, so that it still grows): a
     * list of the ids in the order they first came is the oracle.
     */
    @Property(tries = 500)
    void addingFindsEveryIdItAddedBefore(
            @ForAll("added") List<String> ids, @ForAll("room") long expected, @ForAll boolean expectFirst) {
        CustomerIndex index = new CustomerIndex();
        if (expectFirst) {
            index.expect(expected);
        }
        List<String> oracle = new java.util.ArrayList<>();
        for (int k = 0; k < ids.size(); k++) {
            String id = ids.get(k);
            int known = oracle.indexOf(id);
            if (k == ids.size() / 2) {
                // sized again half-way: the ids already in must be found from their new places
                index.expect(expected);
            }
            if (known >= 0) {
                assertEquals(-1 - known, index.addOrFind(id), id);
            } else {
                oracle.add(id);
                assertEquals(oracle.size() - 1, index.addOrFind(id), id);
            }
        }
        assertEquals(oracle.size(), index.size());
        for (int i = 0; i < oracle.size(); i++) {
            assertEquals(i, index.indexOf(oracle.get(i)));
            assertEquals(oracle.get(i), index.id(i));
            assertEquals(-1, index.add(oracle.get(i)));
        }
    }

    /** Up to thousands of ids from a small alphabet, short and long, so that many repeat and the table grows. */
    @Provide
    Arbitrary<List<String>> added() {
        return Arbitraries.strings()
                .withChars("AB7Ö")
                .ofMinLength(1)
                .ofMaxLength(12)
                .list()
                .ofMaxSize(5000);
    }

    @Provide
    Arbitrary<Long> room() {
        return Arbitraries.of(-1L, 0L, 1L, 100L, 4096L, 100_000L);
    }

    @Property(tries = 1000)
    void anotherIndexsIdIsFoundAsItsString(@ForAll("cells") List<String> cells) {
        CustomerIndex index = new CustomerIndex();
        IDS.forEach(index::add);
        CustomerIndex other = new CustomerIndex();
        cells.stream().map(WhiteSpace::strip).distinct().forEach(other::add);
        for (int i = 0; i < other.size(); i++) {
            assertEquals(IDS.indexOf(other.id(i)), index.indexOf(other, i), other.id(i));
        }
    }

    /** Ids, unknown ids of the same length, and the same with white space around them, often repeated. */
    @Provide
    Arbitrary<List<String>> cells() {
        Arbitrary<String> id = Arbitraries.of(
                "C0000001",
                "C0000002",
                "C0000003",
                "C1",
                "c1",
                "Ö7",
                "Ö8",
                "K-" + "x".repeat(40),
                "K-" + "x".repeat(39) + "y",
                "K-" + "x".repeat(39) + "z");
        Arbitrary<String> cell = Arbitraries.of(" ", "", "\t", "\u00A0")
                .flatMap(before -> Arbitraries.of(" ", "", "\u2003").flatMap(after -> id.map(i -> before + i + after)));
        // each cell one to three times in a row, as rows grouped by customer repeat it
        return cell.flatMap(c -> Arbitraries.integers().between(1, 3).map(n -> Collections.nCopies(n, c)))
                .list()
                .ofMaxSize(8)
                .map(runs -> runs.stream().flatMap(List::stream).toList());
    }
}
