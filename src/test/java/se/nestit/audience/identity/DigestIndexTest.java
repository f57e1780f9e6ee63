package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static se.nestit.audience.identity.TestDigests.digest;
import static se.nestit.audience.identity.TestDigests.digestAt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DigestIndexTest {

    private static final byte[] A = digest(0x80, 0x01);
    private static final byte[] B = digest(0x7f);
    private static final byte[] C = digest(0xff, 0xff, 0xff, 0xff);

    private static byte[] flat(List<byte[]> digests) {
        byte[] flat = new byte[digests.size() * 32];
        for (int i = 0; i < digests.size(); i++) {
            System.arraycopy(digests.get(i), 0, flat, i * 32, 32);
        }
        return flat;
    }

    private static DigestIndex index(List<byte[]> digests) {
        return DigestIndex.of(flat(digests), digests.size());
    }

    @Test
    void findReturnsEveryPositionOfTheDigestAscending() {
        DigestIndex index = index(List.of(A, B, A, C, A));
        assertArrayEquals(new int[] {0, 2, 4}, index.find(A.clone()));
        assertArrayEquals(new int[] {1}, index.find(B));
        assertArrayEquals(new int[] {3}, index.find(C));
    }

    @Test
    void findReturnsEmptyForAbsentDigest() {
        DigestIndex index = index(List.of(A, B, C));
        assertArrayEquals(new int[0], index.find(digest(0x80, 0x02)));
        assertArrayEquals(new int[0], index.find(digest(0x00)));
    }

    @Test
    void findDistinguishesDigestsSharingTheFirstFourBytes() {
        int p = 0x01020304;
        byte[] x = digestAt(p, 4, 0x80);
        byte[] y = digestAt(p, 4, 0x7f);
        byte[] z = digestAt(p, 31, 0xff);
        DigestIndex index = index(List.of(x, y, z, y, x));
        assertArrayEquals(new int[] {0, 4}, index.find(x));
        assertArrayEquals(new int[] {1, 3}, index.find(y));
        assertArrayEquals(new int[] {2}, index.find(z));
        assertArrayEquals(new int[0], index.find(digestAt(p, 31, 0x01)));
    }

    @Test
    void emptyIndexFindsNothing() {
        assertArrayEquals(new int[0], DigestIndex.of(new byte[0], 0).find(A));
    }

    @Test
    void onlyTheFirstCountDigestsAreIndexed() {
        DigestIndex index = DigestIndex.of(flat(List.of(A, B, C)), 2);
        assertArrayEquals(new int[0], index.find(C));
        assertArrayEquals(new int[] {1}, index.find(B));
    }

    @Test
    void findRejectsWrongLength() {
        DigestIndex index = index(List.of(A));
        assertThrows(IllegalArgumentException.class, () -> index.find(new byte[31]));
    }

    @Property(tries = 1000)
    void findAgreesWithALinearScan(@ForAll("digestLists") List<byte[]> digests, @ForAll("probe") byte[] absentOrNot) {
        DigestIndex index = index(digests);
        List<byte[]> probes = new ArrayList<>(digests);
        probes.add(absentOrNot);
        for (byte[] probe : probes) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < digests.size(); i++) {
                if (Arrays.equals(digests.get(i), probe)) {
                    expected.add(i);
                }
            }
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), index.find(probe));
        }
    }

    /** A cursor asked in ascending order (a sorted set's walk), then out of it, answers as a linear scan does. */
    @Property(tries = 1000)
    void aCursorAgreesWithALinearScanInOrderAndOutOfIt(
            @ForAll("digestLists") List<byte[]> digests, @ForAll("digestLists") List<byte[]> others) {
        DigestIndex index = index(digests);
        List<byte[]> probes = new ArrayList<>(digests);
        probes.addAll(others);
        probes.sort(Arrays::compareUnsigned);
        // the same walk asked again from the start, and in reverse: each out of order once or more
        List<byte[]> walk = new ArrayList<>(probes);
        walk.addAll(probes);
        List<byte[]> reversed = new ArrayList<>(probes);
        Collections.reverse(reversed);
        walk.addAll(reversed);
        DigestIndex.Cursor cursor = index.cursor();
        for (byte[] probe : walk) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < digests.size(); i++) {
                if (Arrays.equals(digests.get(i), probe)) {
                    expected.add(i);
                }
            }
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), cursor.find(probe));
        }
    }

    /** The places run through the digests ascending, equal ones by entry; a seek names the places of what find gives. */
    @Property(tries = 1000)
    void placesAreTheDigestsInOrderAndASeekNamesTheEntriesFindGives(
            @ForAll("digestLists") List<byte[]> digests, @ForAll("digestLists") List<byte[]> others) {
        DigestIndex index = index(digests);
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < digests.size(); i++) {
            entries.add(i);
        }
        entries.sort((x, y) -> {
            int c = Arrays.compareUnsigned(digests.get(x), digests.get(y));
            return c != 0 ? c : Integer.compare(x, y);
        });
        assertEquals(digests.size(), index.size());
        for (int k = 0; k < index.size(); k++) {
            assertEquals(entries.get(k), index.entryAt(k), "place " + k);
        }
        List<byte[]> probes = new ArrayList<>(digests);
        probes.addAll(others);
        probes.sort(Arrays::compareUnsigned);
        DigestIndex.Cursor cursor = index.cursor();
        for (byte[] probe : probes) {
            int[] expected = index.find(probe);
            int n = cursor.seek(probe);
            int[] named = new int[n];
            for (int i = 0; i < n; i++) {
                named[i] = index.entryAt(cursor.place() + i);
            }
            assertArrayEquals(expected, named);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> digestLists() {
        return TestDigests.collidingDigestLists();
    }

    @Provide
    Arbitrary<byte[]> probe() {
        return TestDigests.collidingDigests();
    }
}
