package se.nestit.audience.pipeline;

import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.config.SourceSettings;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.Rejects;
import se.nestit.audience.source.Timestamps;
import se.nestit.audience.source.postgres.PostgresSource;

/** Opens the inputs where the config's {@code source:} says they are: CSV files, or a PostgreSQL database. */
final class InputData {

    private InputData() {}

    /** @throws se.nestit.audience.source.InputException when an input or its header cannot be read */
    static DataSet open(ExporterConfig config) {
        Timestamps timestamps = new Timestamps(config.zone());
        if (config.source() instanceof SourceSettings.Postgres pg) {
            PostgresSource.Login login = new PostgresSource.Login(pg.url(), pg.user(), pg.password());
            return PostgresSource.open(login, pg.tables(), pg.queries(), config.columns(), timestamps, new Rejects());
        }
        return DataSet.open(config.data(), config.columns(), config.dialects(), timestamps, new Rejects());
    }
}
