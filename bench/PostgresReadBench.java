import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.postgresql.PGConnection;

/**
 * Issue 14's measurement: how fast a table comes out of PostgreSQL as CSV text, read the way the
 * exporter reads it, {@code COPY (SELECT * FROM t) TO STDOUT (FORMAT csv, HEADER)} through pgjdbc's
 * CopyManager, against a cursor (autocommit off, fetch size 10 000, forward only, read only) whose
 * rows are written as the same CSV text, one column at a time with {@code getString} (decoded to
 * Java strings and encoded again, as a reader of strings would) or {@code getBytes} (the server's
 * text bytes as they came, as a byte-level reader would). Every way delivers into the same consumer,
 * which counts the bytes and checksums them: the runs of a table must deliver the same bytes, or the
 * faster way did less work and the program fails.
 *
 * <p>Each table is read REPS times (default 3) in each way, the ways taking turns (each round
 * starting with the next way); prints each run,
 * then per table and way the rows, bytes and median seconds.
 *
 * <pre>java -cp postgresql.jar bench/PostgresReadBench.java URL USER TABLE... [REPS=n]</pre>
 *
 * The password, if the server needs one, comes from the environment variable PGPASSWORD.
 */
public class PostgresReadBench {

    private static final int FETCH_SIZE = 10_000;
    private static final List<String> WAYS = List.of("copy", "cursor-getString", "cursor-getBytes");

    /** What the reader would be handed: counted and checksummed, nothing kept. */
    static final class Consumer extends OutputStream {
        long bytes;
        final CRC32 crc = new CRC32();

        @Override
        public void write(int b) {
            bytes++;
            crc.update(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            crc.update(b, off, len);
        }
    }

    record Run(long rows, long bytes, long crc, double seconds) {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int reps = 3;
        List<String> tables = new ArrayList<>();
        for (String a : Arrays.asList(args).subList(2, args.length)) {
            if (a.startsWith("REPS=")) {
                reps = Integer.parseInt(a.substring(5));
            } else {
                tables.add(a);
            }
        }
        String password = System.getenv().getOrDefault("PGPASSWORD", "");
        Map<String, List<Run>> runs = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            for (String table : tables) {
                for (int r = 1; r <= reps; r++) {
                    for (int w = 0; w < WAYS.size(); w++) {
                        // each run starts with another way: none is always first after the one before
                        String way = WAYS.get((w + r - 1) % WAYS.size());
                        Run run = way.equals("copy") ? copy(c, table) : cursor(c, table, way.endsWith("getBytes"));
                        System.out.printf(
                                "run %-14s %-17s %d/%d rows %,12d  bytes %,15d  crc %08x  %8.2f s%n",
                                table, way, r, reps, run.rows, run.bytes, run.crc, run.seconds);
                        runs.computeIfAbsent(table + " " + way, k -> new ArrayList<>()).add(run);
                        Run first = runs.get(table + " copy").get(0);
                        if (run.bytes != first.bytes || run.crc != first.crc || run.rows != first.rows) {
                            throw new AssertionError(table + ": " + way + " delivered other bytes than copy");
                        }
                    }
                }
            }
        }
        System.out.printf("%n%-14s %-17s %12s %15s %10s %10s %10s%n", "table", "way", "rows", "bytes", "median s",
                "Mrows/s", "MB/s");
        for (String table : tables) {
            for (String way : WAYS) {
                List<Run> rs = runs.get(table + " " + way);
                double[] s = rs.stream().mapToDouble(Run::seconds).sorted().toArray();
                double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
                Run first = rs.get(0);
                System.out.printf("%-14s %-17s %,12d %,15d %10.2f %10.2f %10.1f%n", table, way, first.rows, first.bytes,
                        median, first.rows / median / 1e6, first.bytes / median / 1e6);
            }
        }
    }

    /** The exporter's way: one COPY, the server writes the CSV. Rows are counted as the lines the header is not. */
    static Run copy(Connection c, String table) throws SQLException, IOException {
        c.setAutoCommit(true);
        Consumer out = new Consumer();
        long start = System.nanoTime();
        long rows = c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyOut("COPY (SELECT * FROM " + quote(table) + ") TO STDOUT (FORMAT csv, HEADER)", out);
        return new Run(rows, out.bytes, out.crc.getValue(), (System.nanoTime() - start) / 1e9);
    }

    /** A cursor: the server sends rows in batches of FETCH_SIZE, the client writes the CSV. */
    static Run cursor(Connection c, String table, boolean bytes) throws SQLException, IOException {
        c.setAutoCommit(false);
        Consumer out = new Consumer();
        long rows = 0;
        long start = System.nanoTime();
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + quote(table))) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                if (bytes) {
                    BytesCsv csv = new BytesCsv(out);
                    for (int i = 1; i <= n; i++) {
                        csv.field(md.getColumnName(i).getBytes(StandardCharsets.UTF_8), i == 1);
                    }
                    csv.end();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            csv.field(rs.getBytes(i), i == 1);
                        }
                        csv.end();
                        rows++;
                    }
                    csv.flush();
                } else {
                    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                    for (int i = 1; i <= n; i++) {
                        field(w, md.getColumnName(i), i == 1);
                    }
                    w.write('\n');
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            field(w, rs.getString(i), i == 1);
                        }
                        w.write('\n');
                        rows++;
                    }
                    w.flush();
                }
            }
        } finally {
            c.commit();
        }
        return new Run(rows, out.bytes, out.crc.getValue(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * A value as COPY's CSV writes it: NULL as nothing, quoted when it is empty, is {@code \.}, or
     * holds the delimiter, a quote or a line break; a quote inside doubled.
     */
    static void field(Writer w, String v, boolean first) throws IOException {
        if (!first) {
            w.write(',');
        }
        if (v == null) {
            return;
        }
        boolean quote = v.isEmpty() || v.equals("\\.");
        for (int i = 0; i < v.length() && !quote; i++) {
            char ch = v.charAt(i);
            quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
        }
        if (!quote) {
            w.write(v);
            return;
        }
        w.write('"');
        w.write(v.replace("\"", "\"\""));
        w.write('"');
    }

    /** {@link #field} on the bytes of UTF-8 text, into a buffer of its own. */
    static final class BytesCsv {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int len;

        BytesCsv(OutputStream out) {
            this.out = out;
        }

        void field(byte[] v, boolean first) throws IOException {
            if (!first) {
                put((byte) ',');
            }
            if (v == null) {
                return;
            }
            boolean quote = v.length == 0 || (v.length == 2 && v[0] == '\\' && v[1] == '.');
            for (int i = 0; i < v.length && !quote; i++) {
                byte b = v[i];
                quote = b == ',' || b == '"' || b == '\n' || b == '\r';
            }
            if (!quote) {
                if (len + v.length > buf.length) {
                    flush();
                }
                if (v.length > buf.length) {
                    out.write(v);
                } else {
                    System.arraycopy(v, 0, buf, len, v.length);
                    len += v.length;
                }
                return;
            }
            put((byte) '"');
            for (byte b : v) {
                if (b == '"') {
                    put(b);
                }
                put(b);
            }
            put((byte) '"');
        }

        void end() throws IOException {
            put((byte) '\n');
        }

        private void put(byte b) throws IOException {
            if (len == buf.length) {
                flush();
            }
            buf[len++] = b;
        }

        void flush() throws IOException {
            out.write(buf, 0, len);
            len = 0;
        }
    }

    static String quote(String table) {
        return '"' + table.replace("\"", "\"\"") + '"';
    }
}
