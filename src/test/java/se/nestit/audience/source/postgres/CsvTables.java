package se.nestit.audience.source.postgres;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads CSV files into tables as a shop's database would hold them: one text column per header
 * cell, named as written, an empty cell as NULL, rows in file order. It parses with opencsv, not
 * the exporter's reader, so that what the tables hold is known independently of the code under test.
 */
final class CsvTables {

    private CsvTables() {}

    /**
     * Creates a table per {@code <name>.csv} in {@code dir}, in {@code schema}.
     *
     * @return per file, the lines of the records left out because their number of fields is not the
     *     header's: a table cannot hold such a row
     */
    static Map<String, List<Long>> load(String database, Path dir, String schema) throws IOException, SQLException {
        Map<String, List<Long>> leftOut = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        try (Connection c = TestPostgres.admin(database)) {
            for (Path file : files) {
                String table = quote(schema) + "."
                        + quote(file.getFileName().toString().replace(".csv", ""));
                leftOut.put(file.getFileName().toString(), load(c, file, table));
            }
        }
        return leftOut;
    }

    private static List<Long> load(Connection c, Path file, String table) throws IOException, SQLException {
        List<Long> leftOut = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVReader csv = new CSVReaderBuilder(in)
                        .withCSVParser(new RFC4180ParserBuilder().build())
                        .build()) {
            String[] header = csv.readNext();
            header[0] = header[0].replace("\uFEFF", "");
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " ("
                        + Stream.of(header).map(h -> quote(h) + " text").collect(Collectors.joining(", ")) + ")");
            }
            String insert = "INSERT INTO " + table + " VALUES ("
                    + String.join(", ", Collections.nCopies(header.length, "?")) + ")";
            try (PreparedStatement s = c.prepareStatement(insert)) {
                long line = csv.getLinesRead() + 1;
                for (String[] row = csv.readNext(); row != null; row = csv.readNext()) {
                    if (row.length != header.length) {
                        leftOut.add(line);
                    } else {
                        for (int i = 0; i < row.length; i++) {
                            s.setString(i + 1, row[i].isEmpty() ? null : row[i]);
                        }
                        s.executeUpdate();
                    }
                    line = csv.getLinesRead() + 1;
                }
            }
        } catch (CsvValidationException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return leftOut;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
