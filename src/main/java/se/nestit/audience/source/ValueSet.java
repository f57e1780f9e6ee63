package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The values a {@code where} filter allows for one column, in the form cells are compared in
 * (trimmed, lowercase, Unicode NFC), kept also as UTF-8 bytes so that rows read as bytes can be compared
 * without building a string.
 */
public final class ValueSet {

    /** Bounds {@link #COMPOSED}: at most this many entries of at most this many chars, a few MB. */
    private static final int MAX_CACHED = 10_000;

    private static final int MAX_CACHED_LENGTH = 100;
    /** Text not in NFC, and its NFC, as met: shared by every reading thread of the run. */
    private static final Map<String, String> COMPOSED = new ConcurrentHashMap<>();

    private final Set<String> values;
    private final byte[][] utf8;
    /** The values that are their own comparable form, as UTF-8 bytes. */
    private final byte[][] settled;

    public ValueSet(Collection<String> values) {
        Set<String> comparable = new LinkedHashSet<>();
        values.forEach(v -> comparable.add(comparable(v)));
        this.values = Set.copyOf(comparable);
        this.utf8 =
                comparable.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.settled = comparable.stream()
                .filter(v -> comparable(v).equals(v))
                .map(v -> v.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
    }

    /**
     * The form in which cells and values are compared: trimmed of Unicode white space, lowercase,
     * and composed (NFC), so that {@code ä} typed as {@code a} plus a combining diaeresis (as macOS
     * file names and some exports write it) equals the single character.
     */
    public static String comparable(String value) {
        return nfc(WhiteSpace.strip(value).toLowerCase(Locale.ROOT));
    }

    /**
     * Text in Unicode normalization form C. Text without a character from U+0300 (where the
     * combining marks begin) up is already in it, which a loop over its chars finds far more cheaply
     * than the normalizer: the Swedish and other Latin letters of real data are all below. Other
     * text is looked up in {@link #COMPOSED} first: a filtered column repeats a few values millions
     * of times, and a lookup costs a tenth of the normalizer.
     */
    static String nfc(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u0300') {
                return composed(text);
            }
        }
        return text;
    }

    private static String composed(String text) {
        String known = COMPOSED.get(text);
        if (known != null) {
            return known;
        }
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        if (text.length() <= MAX_CACHED_LENGTH && COMPOSED.size() < MAX_CACHED) {
            COMPOSED.put(text, nfc);
        }
        return nfc;
    }

    /** Whether a cell, once in comparable form, is one of the values. */
    public boolean contains(String cell) {
        return values.contains(comparable(cell));
    }

    public Set<String> values() {
        return values;
    }

    /** The values' UTF-8 bytes, for {@link RowView} implementations that compare bytes. */
    byte[][] utf8() {
        return utf8;
    }

    /**
     * The UTF-8 bytes of the values that are their own comparable form: a cell that is one of them
     * but for the case of its ASCII letters is in the set whatever else it holds (lowercasing it
     * gives the value, and the value is already lowercase and composed).
     */
    byte[][] settledUtf8() {
        return settled;
    }
}
