package se.nestit.audience.source;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import se.nestit.audience.identity.WhiteSpace;

/**
 * How one input file is written beyond RFC 4180's grammar: what Excel saves in Sweden, say, is
 * ';'-separated Windows-1252 with amounts like {@code 199,00}.
 *
 * @param delimiter the character between fields
 * @param encoding the file's character encoding; one other than UTF-8 is transcoded as it is read
 * @param decimalComma whether amounts are written {@code 199,00} rather than {@code 199.00}
 * @param statuses the file's own consent status words (trimmed, lower case) to the contract's
 */
public record CsvDialect(char delimiter, Charset encoding, boolean decimalComma, Map<String, ConsentStatus> statuses) {

    /** The delimiters a file may use, as the config names them. */
    public static final Map<String, Character> DELIMITERS;

    /** The encodings a file may use, as the config names them (case-insensitively). */
    public static final Map<String, Charset> ENCODINGS;

    static {
        Map<String, Character> delimiters = new LinkedHashMap<>();
        delimiters.put(",", ',');
        delimiters.put(";", ';');
        delimiters.put("tab", '\t');
        delimiters.put("|", '|');
        DELIMITERS = Collections.unmodifiableMap(delimiters);
        Map<String, Charset> encodings = new LinkedHashMap<>();
        encodings.put("utf-8", StandardCharsets.UTF_8);
        encodings.put("windows-1252", Charset.forName("windows-1252"));
        encodings.put("iso-8859-1", StandardCharsets.ISO_8859_1);
        ENCODINGS = Collections.unmodifiableMap(encodings);
    }

    /** RFC 4180 as the contract reads it: UTF-8, commas, decimal points, the contract's status words. */
    public static final CsvDialect DEFAULT = new CsvDialect(',', StandardCharsets.UTF_8, false, Map.of());

    public CsvDialect {
        if (!DELIMITERS.containsValue(delimiter)) {
            throw new IllegalArgumentException("not a supported delimiter: " + (int) delimiter);
        }
        if (!ENCODINGS.containsValue(encoding)) {
            throw new IllegalArgumentException("not a supported encoding: " + encoding);
        }
        statuses = Map.copyOf(statuses);
        for (String word : statuses.keySet()) {
            if (!word.equals(key(word)) || ConsentStatus.parse(word).isPresent()) {
                throw new IllegalArgumentException("a status word must be trimmed, lower case and not the contract's");
            }
        }
    }

    /** The delimiter as one byte: every delimiter is ASCII, in every supported encoding. */
    public byte delimiterByte() {
        return (byte) delimiter;
    }

    /** A status cell read with the contract's words, then with this file's own (both trimmed, any case). */
    public Optional<ConsentStatus> status(String cell) {
        Optional<ConsentStatus> contract = ConsentStatus.parse(cell);
        return contract.isPresent() ? contract : Optional.ofNullable(statuses.get(key(cell)));
    }

    /** A status word as {@link #statuses} holds it. */
    public static String key(String word) {
        return WhiteSpace.strip(word).toLowerCase(Locale.ROOT);
    }

    public CsvDialect withDelimiter(char d) {
        return new CsvDialect(d, encoding, decimalComma, statuses);
    }

    public CsvDialect withEncoding(Charset e) {
        return new CsvDialect(delimiter, e, decimalComma, statuses);
    }

    public CsvDialect withDecimalComma(boolean comma) {
        return new CsvDialect(delimiter, encoding, comma, statuses);
    }

    public CsvDialect withStatuses(Map<String, ConsentStatus> words) {
        return new CsvDialect(delimiter, encoding, decimalComma, words);
    }
}
