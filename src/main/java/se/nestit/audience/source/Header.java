package se.nestit.audience.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A file's header row under the contract's column names: names are matched case-insensitively,
 * and the config's column mapping renames the user's export columns onto contract names.
 */
public final class Header {

    private final InputFile file;
    private final Path path;
    private final Map<String, Integer> index;
    private final int width;

    private Header(InputFile file, Path path, Map<String, Integer> index, int width) {
        this.file = file;
        this.path = path;
        this.index = index;
        this.width = width;
    }

    /**
     * @param cells the header row as read
     * @param mapping contract name to the name in the user's export, for this file
     * @param delimiter the delimiter the row was split on, to tell when another would have found a missing column
     * @throws InputException when a required or mapped column is missing, or a name appears twice
     */
    public static Header of(InputFile file, Path path, String[] cells, Map<String, String> mapping, char delimiter) {
        Map<String, String> contractNameOf = new HashMap<>();
        mapping.forEach((contract, exported) -> contractNameOf.put(lower(exported), lower(contract)));

        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, String> writtenAs = new HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            String raw = lower(cells[i]);
            String name = contractNameOf.getOrDefault(raw, raw);
            if (name.isEmpty()) {
                continue;
            }
            Integer previous = index.putIfAbsent(name, i);
            if (previous != null) {
                // in a file without a header line these cells are a customer's: name positions, and
                // only the config's names
                String columns = path + ": line 1, columns " + (previous + 1) + " and " + (i + 1);
                String other = writtenAs.get(name);
                throw new InputException(
                        name.equals(raw) && name.equals(other)
                                ? columns + " have the same name"
                                : columns + " would both be read as '" + name + "' ('" + exportedName(mapping, name)
                                        + "' is mapped to it under 'columns:' in the config)");
            }
            writtenAs.put(name, raw);
        }
        for (Map.Entry<String, String> m : mapping.entrySet()) {
            if (!index.containsKey(lower(m.getKey()))) {
                throw new InputException(path + ": column '" + m.getValue() + "' (mapped to '" + m.getKey()
                        + "' in the config) is missing from the header"
                        + delimiterHint(cells, delimiter, m.getValue()));
            }
        }
        for (String required : file.requiredColumns()) {
            if (!index.containsKey(required)) {
                String hint = delimiterHint(cells, delimiter, mapping.getOrDefault(required, required));
                throw new InputException(path + ": required column '" + required + "' is missing from the header"
                        + (hint.isEmpty() ? mappingHint(mapping, required) : hint));
            }
        }
        if (file == InputFile.SUPPRESSIONS && !index.containsKey("customer_id") && !index.containsKey("email")) {
            throw new InputException(path + ": needs a 'customer_id' or an 'email' column");
        }
        return new Header(file, path, Collections.unmodifiableMap(index), cells.length);
    }

    /** An empty header for an optional file that does not exist. */
    public static Header absent(InputFile file, Path path) {
        return new Header(file, path, Map.of(), 0);
    }

    /**
     * Every input file's header from header rows read elsewhere (a Spark build's), for runs that
     * do not read the files themselves.
     *
     * @param path per file, its name in messages
     * @param cells per file, its header row as read, or null for a file that does not exist
     * @param columns per file, the config's column mapping
     */
    public static Map<InputFile, Header> all(
            Function<InputFile, Path> path,
            Function<InputFile, String[]> cells,
            Map<InputFile, Map<String, String>> columns) {
        Map<InputFile, Header> headers = new EnumMap<>(InputFile.class);
        for (InputFile f : InputFile.values()) {
            String[] row = cells.apply(f);
            headers.put(
                    f,
                    row == null
                            ? absent(f, path.apply(f))
                            : of(
                                    f,
                                    path.apply(f),
                                    row,
                                    columns.getOrDefault(f, Map.of()),
                                    CsvDialect.DEFAULT.delimiter()));
        }
        return headers;
    }

    public InputFile file() {
        return file;
    }

    public Path path() {
        return path;
    }

    /** The number of fields every row must have: the header's, named or not. */
    public int width() {
        return width;
    }

    /** Whether the file exists; an absent optional file reads as empty. */
    public boolean present() {
        return width > 0;
    }

    public boolean has(String column) {
        return index.containsKey(lower(column));
    }

    /** The column's position, or -1 when the file has no such column. */
    public int indexOf(String column) {
        return index.getOrDefault(lower(column), -1);
    }

    public Optional<Integer> find(String column) {
        return Optional.ofNullable(index.get(lower(column)));
    }

    public List<String> columns() {
        return new ArrayList<>(index.keySet());
    }

    /** A name as columns are matched: the form {@code where} values are compared in. */
    private static String lower(String name) {
        return ValueSet.comparable(name);
    }

    private static String exportedName(Map<String, String> mapping, String contractName) {
        return mapping.entrySet().stream()
                .filter(m -> lower(m.getKey()).equals(contractName))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    /**
     * When the header row, split on another delimiter, has the column: a file saved with ';' (as
     * Excel does where the decimal mark is a comma) read with ',' is one long column. Names only the
     * option, never the row (a file without a header line starts with a customer's cells).
     */
    private static String delimiterHint(String[] cells, char delimiter, String column) {
        String row = String.join(String.valueOf(delimiter), cells);
        for (Map.Entry<String, Character> other : CsvDialect.DELIMITERS.entrySet()) {
            char d = other.getValue();
            if (d != delimiter
                    && Arrays.stream(row.split(Pattern.quote(String.valueOf(d)), -1))
                            .map(Header::lower)
                            .anyMatch(lower(column)::equals)) {
                String name = d == '\t' ? other.getKey() : "'" + other.getKey() + "'";
                return " (the header has it when split on " + name + ": set source.delimiter: " + name
                        + " in the config)";
            }
        }
        return "";
    }

    private static String mappingHint(Map<String, String> mapping, String column) {
        return mapping.containsKey(column)
                ? ""
                : " (if your export names it differently, map it under 'columns:' in the config)";
    }
}
