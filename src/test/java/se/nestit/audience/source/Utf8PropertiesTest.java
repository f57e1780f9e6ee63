package se.nestit.audience.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Utf8.isValid answers as the JDK's strict UTF-8 decoder does, on any part of the bytes. */
class Utf8PropertiesTest {

    @Property(tries = 3000)
    boolean validExactlyWhenTheDecoderReadsIt(
            @ForAll("texts") byte[] b, @ForAll("cuts") int cutFrom, @ForAll("cuts") int cutTo) {
        int from = Math.min(cutFrom, b.length);
        int to = Math.max(from, b.length - Math.min(cutTo, b.length));
        return Utf8.isValid(b, from, to) == decodes(b, from, to);
    }

    private static boolean decodes(byte[] b, int from, int to) {
        try {
            UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 3);
    }

    /**
     * Runs of ASCII (longer than a word, so that whole words are skipped), characters of every
     * length, and bytes that make them malformed: lone continuations, overlong forms, surrogates,
     * and characters past U+10FFFF.
     */
    @Provide
    Arbitrary<byte[]> texts() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(19).map(s -> s.getBytes(UTF_8)),
                Arbitraries.of("ä", "€", "😀", "Läckberg Camilla").map(s -> s.getBytes(UTF_8)),
                Arbitraries.of(List.of(
                        new byte[] {(byte) 0x80},
                        new byte[] {(byte) 0xC0, (byte) 0xAF},
                        new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                        new byte[] {(byte) 0xF0, (byte) 0x9F},
                        new byte[] {(byte) 0xFF})));
        return piece.list().ofMaxSize(6).map(pieces -> {
            int n = pieces.stream().mapToInt(p -> p.length).sum();
            byte[] all = new byte[n];
            int at = 0;
            for (byte[] p : pieces) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        });
    }
}
