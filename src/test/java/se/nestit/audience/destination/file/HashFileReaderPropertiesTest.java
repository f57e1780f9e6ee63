package se.nestit.audience.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import se.nestit.audience.sync.TestHashes;

/**
 * The reader against a plain reading of the same text, line by line as strings, for files a hand
 * edit may leave (CRLF, blank lines, uppercase, any order, a line that is no digest) handed over
 * in reads of any length: a line split between two reads reads as one that is not.
 */
class HashFileReaderPropertiesTest {

    @Property(tries = 300)
    void readsWhatALineByLineReadingReads(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 400) int lines,
            @ForAll @IntRange(min = 1, max = 300) int maxRead) {
        Random random = new Random(seed);
        String text = file(random, lines);
        assertEquals(expected(text), actual(text, random, maxRead));
    }

    /** A header, then digests, mostly canonical lines in order; now and then something a hand edit leaves. */
    private static String file(Random random, int lines) {
        StringBuilder s = new StringBuilder(random.nextInt(20) == 0 ? "email" : "email_sha256");
        s.append(random.nextInt(10) == 0 ? "\r\n" : "\n");
        byte[] digest = new byte[32];
        List<String> hex = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            random.nextBytes(digest);
            hex.add(HexFormat.of().formatHex(digest));
        }
        if (random.nextBoolean()) {
            hex = new ArrayList<>(new TreeSet<>(hex));
        }
        int odd = random.nextInt(4) == 0 ? 100 : 2000;
        for (String h : hex) {
            int r = random.nextInt(odd);
            if (r == 0) {
                s.append(h.toUpperCase(Locale.ROOT)).append('\n');
            } else if (r == 1) {
                s.append(h).append("\r\n");
            } else if (r == 2) {
                s.append('\n').append(h).append('\n');
            } else if (r == 3) {
                s.append(h, 0, 63).append("g\n");
            } else if (r == 4) {
                s.append(h).append(h, 0, 1).append('\n');
            } else if (r == 5) {
                s.append(h, 0, 30).append("\n\n").append(h, 0, 31).append('\n');
            } else if (r == 6 && !hex.isEmpty()) {
                s.append(hex.get(0)).append('\n');
            } else {
                s.append(h).append('\n');
            }
        }
        if (random.nextInt(10) == 0 && s.charAt(s.length() - 1) == '\n') {
            s.setLength(s.length() - 1);
        }
        return s.toString();
    }

    /** The hashes in order and whether canonical, or the failure's class and message. */
    private static String expected(String text) {
        boolean canonical = true;
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        } else {
            canonical = false;
        }
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                canonical = false;
                line = line.substring(0, line.length() - 1);
            }
            if (i == 0) {
                if (!line.equals("email_sha256") && !line.equals("email") && !line.equals("Email")) {
                    return "IOException";
                }
                canonical &= line.equals("email_sha256");
            } else if (line.isEmpty()) {
                canonical = false;
            } else if (line.length() != 64 || !line.matches("[0-9a-fA-F]*")) {
                return "IllegalArgumentException: line " + (i + 1) + " is not a SHA-256 hex digest";
            } else {
                canonical &= line.equals(line.toLowerCase(Locale.ROOT));
                digests.add(line.toLowerCase(Locale.ROOT));
            }
        }
        boolean ascending = true;
        for (int i = 1; i < digests.size(); i++) {
            ascending &= digests.get(i - 1).compareTo(digests.get(i)) < 0;
        }
        return new ArrayList<>(new TreeSet<>(digests)) + " " + (canonical && ascending);
    }

    private static String actual(String text, Random random, int maxRead) {
        InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(maxRead)));
            }
        };
        try {
            HashFileReader.Contents c = HashFileReader.read(in, FileFormat.PLAIN);
            return TestHashes.hex(c.hashes()) + " " + c.canonical();
        } catch (IOException e) {
            return "IOException";
        } catch (IllegalArgumentException e) {
            return "IllegalArgumentException: " + e.getMessage();
        }
    }
}
