package se.nestit.audience.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import se.nestit.audience.source.InputFile;

/** Where the input files are read from: the config's {@code source:} section, one record per source type. */
public sealed interface SourceSettings permits SourceSettings.Csv, SourceSettings.Postgres {

    /** How many threads read one of the large inputs (orders, events); a database streams each on one. */
    default int threads() {
        return 1;
    }

    /**
     * The default: CSV files in the directory {@code data:} or {@code --data} names.
     *
     * @param threads how many threads read orders and events at once ({@code source.threads})
     */
    record Csv(int threads) implements SourceSettings {

        /** Reading is CPU-bound: one thread a core, and two at least so that the two large files overlap. */
        public static final int DEFAULT_THREADS =
                Math.max(2, Runtime.getRuntime().availableProcessors());

        public Csv {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
            }
        }

        public Csv() {
            this(DEFAULT_THREADS);
        }
    }

    /**
     * A PostgreSQL database, every input a table or a query.
     *
     * @param url a JDBC URL, {@code jdbc:postgresql://host:5432/database}
     * @param password from the environment; never shown
     * @param tables per input file, the table read instead of the one named after the file
     * @param queries per input file, the query read instead of a table
     */
    record Postgres(
            String url,
            String user,
            Optional<String> password,
            Map<InputFile, String> tables,
            Map<InputFile, String> queries)
            implements SourceSettings {

        public Postgres {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            tables = Map.copyOf(tables);
            queries = Map.copyOf(queries);
        }

        @Override
        public String toString() {
            return "Postgres[url=" + url + ", user=" + user + ", tables=" + tables + ", queries=" + queries + "]";
        }
    }
}
