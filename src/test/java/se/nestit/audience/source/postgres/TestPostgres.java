package se.nestit.audience.source.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A real PostgreSQL for the tests, from Maven artifacts (nothing installed by hand), started once
 * per test JVM. Its superuser logs in without a password; the role the exporter reads as, {@value #USER},
 * needs the password failsafe puts in the environment (see pom.xml), as a user's config would.
 */
public final class TestPostgres {

    public static final String USER = "exporter";
    public static final String PASSWORD_VARIABLE = "EXPORTER_TEST_PG_PASSWORD";

    private static EmbeddedPostgres server;

    private TestPostgres() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path hba = Files.createTempFile(
                        "pg_hba",
                        ".conf",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                Files.write(
                        hba,
                        List.of(
                                "host all postgres 127.0.0.1/32 trust",
                                "host all postgres ::1/128 trust",
                                "host all all 127.0.0.1/32 scram-sha-256",
                                "host all all ::1/128 scram-sha-256"));
                EmbeddedPostgres started = EmbeddedPostgres.builder()
                        .setServerConfig("hba_file", hba.toString())
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is ending; the server's directory is temporary
                    }
                }));
                server = started;
                execute(
                        "postgres",
                        "CREATE ROLE " + USER + " LOGIN PASSWORD '" + password().replace("'", "''") + "'");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    public static String password() {
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null) {
            throw new IllegalStateException(PASSWORD_VARIABLE + " is not set: run the test with failsafe (mvn verify), "
                    + "whose configuration in pom.xml sets it");
        }
        return password;
    }

    /** A JDBC URL of a database of the server. */
    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
    }

    /** A connection as the superuser. */
    public static Connection admin(String database) throws SQLException {
        return server().getDatabase("postgres", database).getConnection();
    }

    /** Runs statements as the superuser. */
    public static void execute(String database, String... sql) {
        try (Connection c = admin(database);
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A new, empty database, whose schema public the exporter's role may read. */
    public static String createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + name);
        execute(
                name,
                "GRANT USAGE ON SCHEMA public TO " + USER,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + USER);
        return name;
    }
}
