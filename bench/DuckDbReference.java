import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The DuckDB yardstick of bench/run.sh: runs bench/duckdb/audiences.sql on a data set with two
 * threads, writes each audience and destination as the exporter's file destination does
 * ({@code <out>/<audience>/<destination>.csv}, header {@code email_sha256}, sorted), prints the wall
 * seconds, and with a fourth argument checks that every file equals the exporter's, byte for byte:
 * a yardstick that does less work than the job would flatter it.
 *
 * <pre>java -cp duckdb_jdbc.jar bench/DuckDbReference.java DATA OUT AS_OF [EXPORTER_OUT]</pre>
 */
public class DuckDbReference {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).toAbsolutePath();
        Path out = Path.of(args[1]).toAbsolutePath();
        String asOf = args[2] + " 00:00:00+00";
        String sql = Files.readString(Path.of("bench/duckdb/audiences.sql"))
                .replace("${DATA}", data.toString())
                .replace("${AS_OF}", asOf);
        long start = System.nanoTime();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement()) {
            st.execute("SET threads = 2");
            st.execute("SET preserve_insertion_order = false");
            for (String statement : sql.replaceAll("(?m)--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
            List<String[]> files = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT audience, destination FROM hashes ORDER BY ALL")) {
                while (rs.next()) {
                    files.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] f : files) {
                Path dir = Files.createDirectories(out.resolve(f[0]));
                st.execute("COPY (SELECT email_sha256 FROM hashes WHERE audience = '" + f[0] + "' AND destination = '"
                        + f[1] + "' ORDER BY email_sha256) TO '" + dir.resolve(f[1] + ".csv")
                        + "' (HEADER, QUOTE '', NEW_LINE E'\\n')");
            }
        }
        System.out.printf("%.2f%n", (System.nanoTime() - start) / 1e9);
        if (args.length > 3) {
            Path exporter = Path.of(args[3]);
            List<Path> ours;
            try (Stream<Path> walk = Files.walk(exporter)) {
                ours = walk.filter(p -> p.toString().endsWith(".csv") && !p.getFileName().toString().equals("rejects.csv")
                                && !exporter.relativize(p).startsWith("runs"))
                        .sorted().toList();
            }
            for (Path p : ours) {
                Path theirs = out.resolve(exporter.relativize(p).toString());
                if (!Files.exists(theirs) || Files.mismatch(p, theirs) != -1) {
                    throw new AssertionError("DuckDB's " + theirs + " differs from the exporter's " + p);
                }
            }
            if (ours.isEmpty()) {
                throw new AssertionError("no audience files under " + exporter);
            }
        }
    }
}
