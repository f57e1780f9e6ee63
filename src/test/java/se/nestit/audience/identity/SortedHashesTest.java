package se.nestit.audience.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.nestit.audience.identity.TestDigests.digest;
import static se.nestit.audience.identity.TestDigests.digestAt;
import static se.nestit.audience.identity.TestDigests.hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

class SortedHashesTest {

    private static final byte[] D00 = digest(0x00, 0x11);
    private static final byte[] D7F = digest(0x7f, 0xff);
    private static final byte[] D80 = digest(0x80);
    private static final byte[] DFF = digest(0xff, 0x01);

    private static List<String> hexes(SortedHashes s) throws IOException {
        List<String> out = new ArrayList<>();
        s.forEachHex(out::add);
        return out;
    }

    @Test
    void eachDigestAndItsHexAreWrittenIntoTheCallersArrays() {
        SortedHashes s = SortedHashes.of(List.of(DFF, D00, D80));
        byte[] line = new byte[70];
        line[2 + 64] = '!';
        byte[] into = new byte[Sha256.LENGTH];
        for (int i = 0; i < s.size(); i++) {
            s.hex(i, line, 2);
            s.get(i, into);
            assertEquals(hex(s.get(i)), new String(line, 2, 64, StandardCharsets.US_ASCII));
            assertArrayEquals(s.get(i), into);
        }
        s.hex(0, line, 2);
        assertEquals("0011" + "00".repeat(30), new String(line, 2, 64, StandardCharsets.US_ASCII));
        assertEquals('!', line[2 + 64], "nothing written past the 64 hex digits");
        assertThrows(IndexOutOfBoundsException.class, () -> s.hex(3, line, 0));
    }

    @Test
    void ofSortsByUnsignedBytes() throws IOException {
        // A signed comparison would put 0x80 and 0xff before 0x00.
        SortedHashes s = SortedHashes.of(List.of(DFF, D80, D00, D7F));
        assertEquals(List.of(hex(D00), hex(D7F), hex(D80), hex(DFF)), hexes(s));
    }

    @Test
    void ofHexSortsByUnsignedBytes() throws IOException {
        SortedHashes s = SortedHashes.ofHex(List.of(hex(D80), hex(DFF), hex(D7F), hex(D00)));
        assertEquals(List.of(hex(D00), hex(D7F), hex(D80), hex(DFF)), hexes(s));
    }

    @Test
    void equalFourBytePrefixesAreOrderedByTheFollowingBytesUnsigned() throws IOException {
        int p = 0x7f80ff00;
        byte[] at4x80 = digestAt(p, 4, 0x80);
        byte[] at4x7f = digestAt(p, 4, 0x7f);
        byte[] at4xff = digestAt(p, 4, 0xff);
        byte[] at31x80 = digestAt(p, 31, 0x80);
        byte[] at31x01 = digestAt(p, 31, 0x01);
        byte[] zero = digestAt(p, 31, 0x00);
        SortedHashes s = SortedHashes.of(List.of(at4xff, at31x80, at4x80, zero, at4x7f, at31x01));
        assertEquals(List.of(hex(zero), hex(at31x01), hex(at31x80), hex(at4x7f), hex(at4x80), hex(at4xff)), hexes(s));
    }

    @Test
    void duplicatesCollapse() {
        SortedHashes s = SortedHashes.of(List.of(D80, D00, D80.clone(), D00.clone(), D80));
        assertEquals(2, s.size());
        assertArrayEquals(D00, s.get(0));
        assertArrayEquals(D80, s.get(1));
    }

    @Test
    void ofHexAcceptsUppercaseAndCollapsesItWithLowercase() {
        SortedHashes s = SortedHashes.ofHex(List.of(hex(DFF).toUpperCase(), hex(DFF)));
        assertEquals(1, s.size());
        assertEquals(hex(DFF), s.hex(0));
    }

    @Test
    void emptyInputGivesEmptySet() throws IOException {
        assertTrue(SortedHashes.of(List.of()).isEmpty());
        assertEquals(SortedHashes.empty(), SortedHashes.ofHex(List.of()));
        assertEquals(List.of(), hexes(SortedHashes.empty()));
    }

    @Test
    void rejectsDigestOfWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.of(List.of(new byte[31])));
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.of(List.of(new byte[33])));
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.of(List.of(D00, new byte[0])));
    }

    @Test
    void rejectsHexOfWrongLengthOrAlphabet() {
        String good = hex(D7F);
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.ofHex(List.of(good.substring(2))));
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.ofHex(List.of(good + "00")));
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.ofHex(List.of(good.substring(1))));
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.ofHex(List.of("zz" + good.substring(2))));
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.ofHex(List.of("")));
    }

    @Test
    void decodeHexRejectsWithoutEchoingTheText() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SortedHashes.decodeHex("anna@example.com"));
        assertEquals("not a SHA-256 hex digest (16 characters)", e.getMessage());
    }

    @Test
    void fromUnsortedRejectsTooFewBytes() {
        assertThrows(IllegalArgumentException.class, () -> SortedHashes.fromUnsorted(new byte[63], 2));
    }

    @Test
    void containsFindsMembersOnly() {
        SortedHashes s = SortedHashes.of(List.of(D00, D80, DFF));
        assertTrue(s.contains(D00.clone()));
        assertTrue(s.contains(D80.clone()));
        assertTrue(s.contains(DFF.clone()));
        assertFalse(s.contains(D7F));
        assertFalse(s.contains(digest(0xff, 0x02)));
        assertFalse(SortedHashes.empty().contains(D00));
    }

    @Test
    void containsRejectsWrongLength() {
        SortedHashes s = SortedHashes.of(List.of(D00));
        assertThrows(IllegalArgumentException.class, () -> s.contains(new byte[16]));
    }

    @Test
    void minusDropsCommonDigests() {
        SortedHashes a = SortedHashes.of(List.of(D00, D7F, D80));
        SortedHashes b = SortedHashes.of(List.of(D7F, DFF));
        assertEquals(SortedHashes.of(List.of(D00, D80)), a.minus(b));
        assertEquals(SortedHashes.of(List.of(DFF)), b.minus(a));
        assertTrue(a.minus(a).isEmpty());
        assertTrue(a.minus(SortedHashes.of(List.of(D80, D00, D7F))).isEmpty(), "an equal set, not the same one");
        assertEquals(a, a.minus(SortedHashes.empty()));
        assertTrue(SortedHashes.empty().minus(a).isEmpty());
    }

    @Test
    void plusIsTheUnion() throws IOException {
        SortedHashes a = SortedHashes.of(List.of(DFF, D00));
        SortedHashes b = SortedHashes.of(List.of(D80, D00));
        assertEquals(List.of(hex(D00), hex(D80), hex(DFF)), hexes(a.plus(b)));
        assertEquals(a.plus(b), b.plus(a));
        assertEquals(a, a.plus(SortedHashes.empty()));
        assertEquals(a, SortedHashes.empty().plus(a));
    }

    @Test
    void sliceIsAContiguousSortedRange() throws IOException {
        SortedHashes s = SortedHashes.of(List.of(DFF, D80, D7F, D00));
        assertEquals(List.of(hex(D7F), hex(D80)), hexes(s.slice(1, 3)));
        assertEquals(s, s.slice(0, 4));
        assertTrue(s.slice(2, 2).isEmpty());
    }

    @Test
    void sliceRejectsBadBounds() {
        SortedHashes s = SortedHashes.of(List.of(D00, D80));
        assertThrows(IndexOutOfBoundsException.class, () -> s.slice(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.slice(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.slice(-1, 1));
    }

    @Test
    void getReturnsACopy() {
        SortedHashes s = SortedHashes.of(List.of(D00));
        s.get(0)[0] = 0x55;
        assertArrayEquals(D00, s.get(0));
    }

    @Test
    void getRejectsIndexOutOfRange() {
        SortedHashes s = SortedHashes.of(List.of(D00));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(1));
    }

    @Test
    void forEachHexOfRealHashesFollowsLexicographicHexOrder() throws IOException {
        Sha256 sha = new Sha256();
        List<byte[]> digests = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            digests.add(sha.digest("customer" + i + "@exempel.se"));
        }
        List<String> expected = digests.stream().map(TestDigests::hex).sorted().collect(Collectors.toList());
        assertEquals(expected, hexes(SortedHashes.of(digests)));
    }

    @Test
    void equalSetsFromDifferentInputOrdersAreEqual() {
        SortedHashes a = SortedHashes.of(List.of(D00, D80, DFF));
        SortedHashes b = SortedHashes.ofHex(List.of(hex(DFF), hex(D00), hex(D80), hex(D00)));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, SortedHashes.of(List.of(D00, D80)));
    }

    @Property(tries = 1000)
    void matchesTreeSetOfHex(@ForAll("digestLists") List<byte[]> left, @ForAll("digestLists") List<byte[]> right)
            throws IOException {
        TreeSet<String> l = left.stream().map(TestDigests::hex).collect(Collectors.toCollection(TreeSet::new));
        TreeSet<String> r = right.stream().map(TestDigests::hex).collect(Collectors.toCollection(TreeSet::new));
        SortedHashes a = SortedHashes.of(left);
        SortedHashes b = SortedHashes.ofHex(right.stream().map(TestDigests::hex).collect(Collectors.toList()));

        assertEquals(new ArrayList<>(l), hexes(a));
        assertEquals(new ArrayList<>(r), hexes(b));
        assertEquals(l.size(), a.size());

        TreeSet<String> lMinusR = new TreeSet<>(l);
        lMinusR.removeAll(r);
        assertEquals(new ArrayList<>(lMinusR), hexes(a.minus(b)));
        TreeSet<String> union = new TreeSet<>(l);
        union.addAll(r);
        assertEquals(new ArrayList<>(union), hexes(a.plus(b)));

        for (byte[] d : right) {
            assertEquals(l.contains(hex(d)), a.contains(d));
        }
        Statistics.label("duplicates").collect(l.size() < left.size());
        Statistics.label("duplicates").coverage(c -> c.check(true).percentage(p -> p > 20.0));
    }

    @Provide
    Arbitrary<List<byte[]>> digestLists() {
        return TestDigests.collidingDigestLists();
    }
}
