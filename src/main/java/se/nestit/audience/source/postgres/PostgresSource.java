package se.nestit.audience.source.postgres;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.source.CsvStream;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputException;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.Rejects;
import se.nestit.audience.source.Timestamps;

/**
 * The five inputs read straight from PostgreSQL, each a table or a query. Each is streamed with
 * {@code COPY (...) TO STDOUT WITH (FORMAT csv, HEADER)} into the reader CSV files go through, so a
 * row is accepted or rejected exactly as the same row in a file. All five are read on one
 * connection, one after the other, in one {@code REPEATABLE READ, READ ONLY} transaction: consents
 * and customers are read as of the same moment, and nothing can be written.
 */
public final class PostgresSource {

    /** How to connect; the password is never shown. */
    public record Login(String url, String user, Optional<String> password) {
        @Override
        public String toString() {
            return "Login[url=" + url + ", user=" + user + "]";
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PostgresSource.class);

    private final Connection connection;
    /** One COPY at a time: customers and consents are read by threads of their own. */
    private final ReentrantLock copying = new ReentrantLock();
    /** The first input that failed, and why: the transaction is aborted, and every later read says so. */
    private volatile String failed;

    private PostgresSource(Connection connection) {
        this.connection = connection;
    }

    /**
     * Connects, begins the transaction and reads every input's header; the rows are read when the
     * data set reads them, and the connection is closed when it is closed.
     *
     * @param tables per input file, a table ({@code shop.customers}) to read instead of the one named after the file
     * @param queries per input file, a query to read instead of a table
     * @param columns per input file, contract column name to the name in the user's export
     * @throws InputException naming the input and the database's message when the server cannot be
     *     reached, refuses the login, or a table or query cannot be read
     */
    public static DataSet open(
            Login login,
            Map<InputFile, String> tables,
            Map<InputFile, String> queries,
            Map<InputFile, Map<String, String>> columns,
            Timestamps timestamps,
            Rejects rejects) {
        PostgresSource source = new PostgresSource(connect(login));
        try {
            source.begin();
            Map<InputFile, CsvStream> inputs = new EnumMap<>(InputFile.class);
            for (InputFile f : InputFile.values()) {
                inputs.put(f, source.input(f, tables.get(f), queries.get(f), columns.getOrDefault(f, Map.of())));
            }
            return DataSet.of(inputs, timestamps, rejects, source::close);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private static Connection connect(Login login) {
        Properties p = new Properties();
        p.setProperty("user", login.user());
        login.password().ifPresent(password -> p.setProperty("password", password));
        p.setProperty("ApplicationName", "audience-exporter");
        try {
            Connection c = new Driver().connect(login.url(), p);
            if (c == null) {
                throw new InputException(
                        "postgres: " + login.url() + " is not a PostgreSQL JDBC URL (jdbc:postgresql://host/database)");
            }
            return c;
        } catch (SQLException e) {
            throw new InputException(
                    "postgres: cannot connect to " + login.url() + " as " + login.user() + ": " + message(e), e);
        }
    }

    private void begin() {
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        } catch (SQLException e) {
            throw new InputException("postgres: cannot begin a read-only transaction: " + message(e), e);
        }
    }

    private CsvStream input(InputFile file, String table, String query, Map<String, String> mapping) {
        String name = "postgres:" + file.stem();
        String select;
        String what;
        if (query != null) {
            select = query.strip().replaceFirst(";+$", "");
            what = "the query of source.queries." + file.stem();
        } else {
            String written = table != null ? table : file.stem();
            String quoted = quote(written);
            what = "table " + written;
            if (!exists(name, quoted)) {
                if (table == null && !file.mustExist()) {
                    return CsvStream.absent(file, name);
                }
                throw new InputException(name + ": " + what + " does not exist"
                        + (table != null
                                ? ""
                                : " (name its table under source.tables, or give a query under source.queries)"));
            }
            select = "SELECT * FROM " + quoted;
        }
        return CsvStream.of(file, name, header(name, what, select), mapping, () -> copy(name, what, select));
    }

    /**
     * A table name as written, {@code table} or {@code schema.table}, as quoted identifiers: taken
     * exactly as written, and nothing in it can end the name.
     */
    static String quote(String table) {
        return Stream.of(table.split("\\.", -1))
                .map(part -> '"' + part.replace("\"", "\"\"") + '"')
                .collect(Collectors.joining("."));
    }

    private boolean exists(String name, String quoted) {
        try (PreparedStatement s = connection.prepareStatement("SELECT to_regclass(?)")) {
            s.setString(1, quoted);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1) != null;
            }
        } catch (SQLException e) {
            throw new InputException(name + ": cannot look up the table: " + message(e), e);
        }
    }

    /** The columns of a query, asked of the server without running it. */
    private String[] header(String name, String what, String select) {
        try (PreparedStatement s = connection.prepareStatement(select)) {
            ResultSetMetaData columns = s.getMetaData();
            if (columns == null) {
                throw new InputException(name + ": " + what + " returns no rows (it must be a SELECT)");
            }
            String[] cells = new String[columns.getColumnCount()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = columns.getColumnLabel(i + 1);
            }
            return cells;
        } catch (SQLException e) {
            throw new InputException(name + ": " + what + " cannot be read: " + message(e), e);
        }
    }

    /** Starts the input's COPY once no other is running; closing the stream lets the next one start. */
    private InputStream copy(String name, String what, String select) throws IOException {
        try {
            copying.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted before the read began");
        }
        try {
            if (failed != null) {
                throw new IOException("not read, as the transaction ended when " + failed);
            }
            InputStream in = new PGCopyInputStream(
                    connection.unwrap(PGConnection.class), "COPY (" + select + ") TO STDOUT WITH (FORMAT csv, HEADER)");
            return new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw failure(name, what, e);
                    }
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        copying.unlock();
                    }
                }
            };
        } catch (SQLException | IOException | RuntimeException e) {
            copying.unlock();
            throw failure(name, what, e);
        }
    }

    private IOException failure(String name, String what, Exception e) {
        Throwable sql = e instanceof SQLException ? e : e.getCause();
        IOException failure = sql instanceof SQLException server
                ? new IOException(what + " cannot be read: " + message(server), e)
                : e instanceof IOException io ? io : new IOException(what + " cannot be read: " + e.getMessage(), e);
        if (failed == null) {
            failed = name + " failed: " + failure.getMessage();
        }
        return failure;
    }

    /**
     * The database's message without what may quote a row's values: a data exception (SQLSTATE
     * class 22) quotes the value it could not use, and details and context quote rows.
     */
    static String message(SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (server == null) {
            return e.getMessage();
        }
        String state = server.getSQLState();
        if (state != null && state.startsWith("22")) {
            return "a value in a row cannot be used (SQLSTATE " + state + "); the database's message is left out, "
                    + "as it quotes the value";
        }
        return server.getMessage() + (server.getHint() == null ? "" : " (" + server.getHint() + ")") + " [SQLSTATE "
                + state + "]";
    }

    private void close() {
        try {
            connection.close(); // the server rolls the read-only transaction back
        } catch (SQLException e) {
            log.warn("postgres: closing the connection failed: {}", message(e));
        }
    }
}
