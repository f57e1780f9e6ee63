package se.nestit.audience.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.guardrail.GuardrailLimits;
import se.nestit.audience.source.CsvDialect;
import se.nestit.audience.source.InputFile;

/**
 * The job's configuration after the config file and the command line's overrides are merged.
 *
 * @param source where the input files are read from; {@code data} is their directory when they are CSV files
 * @param columns per input file, contract column name to the column name in the user's export
 * @param dialects per input file, how a CSV file is written ({@code source:} in the config); a file
 *     left out is {@link CsvDialect#DEFAULT}
 * @param auditKeepDays how many days audit trail files are kept
 * @param guardrails how far a night may differ from the last before audiences are held
 * @param historyKeepDays how many days the reports of past runs are kept in {@code out/runs}
 */
public record ExporterConfig(
        Path file,
        Path data,
        SourceSettings source,
        Path audiences,
        Path out,
        Path state,
        ZoneId zone,
        ConsentPolicy consent,
        Map<InputFile, Map<String, String>> columns,
        Map<InputFile, CsvDialect> dialects,
        List<DestinationSettings> destinations,
        int auditKeepDays,
        GuardrailLimits guardrails,
        int historyKeepDays) {

    public ExporterConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(audiences, "audiences");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(guardrails, "guardrails");
        columns = Map.copyOf(columns);
        dialects = Map.copyOf(dialects);
        destinations = List.copyOf(destinations);
        if (auditKeepDays < 1) {
            throw new IllegalArgumentException("audit keep_days must be at least 1 but was " + auditKeepDays);
        }
        if (historyKeepDays < 1) {
            throw new IllegalArgumentException("history keep_days must be at least 1 but was " + historyKeepDays);
        }
    }

    /** How an input file is written. */
    public CsvDialect dialect(InputFile file) {
        return dialects.getOrDefault(file, CsvDialect.DEFAULT);
    }

    /**
     * Stops a run that reads the CSV files with a reader of its own (the Spark build) when a file
     * is not written as RFC 4180's UTF-8 with commas, rather than read it wrong.
     *
     * @param runner what cannot, for the message
     */
    public void requireDefaultDialect(String runner) {
        for (Map.Entry<InputFile, CsvDialect> d : dialects.entrySet()) {
            if (!d.getValue().equals(CsvDialect.DEFAULT)) {
                throw new DefinitionException(
                        file + ": source: sets how " + d.getKey().fileName() + " is written "
                                + "(delimiter, encoding, decimal or statuses), which " + runner
                                + " does not read yet; run sync "
                                + "on one machine, or save the files as UTF-8 with ',' and leave those keys out");
            }
        }
    }

    public List<String> destinationIds() {
        return destinations.stream().map(DestinationSettings::id).toList();
    }

    /**
     * Stops a run that cannot decide Google's consent signals on purposes of their own (the Spark
     * build and what it wrote) rather than send Google people who refused one of them.
     *
     * @param runner what cannot, for the message
     */
    public void requireSignalsOnTheGatePurpose(String runner) {
        if (!consent.signalsFollowPurpose()) {
            throw new DefinitionException(
                    file + ": consent.signals maps a Google consent signal to a purpose of its own "
                            + consent.signals() + ", which " + runner
                            + " does not decide yet; run sync on one machine, or leave "
                            + "consent.signals out");
        }
    }

    /**
     * Stops a run that reads input files only (the Spark build, and what it wrote) when the config
     * reads the inputs from a database: it would read other data than sync and verify read.
     *
     * @param runner what reads files only, for the message
     */
    public void requireFileSource(String runner) {
        if (!(source instanceof SourceSettings.Csv)) {
            throw new DefinitionException(file + ": source type postgres reads the inputs from a database, but "
                    + runner + " reads input files only");
        }
    }

    public ExporterConfig withPaths(Path data, Path audiences, Path out, Path state) {
        return new ExporterConfig(
                file,
                data,
                source,
                audiences,
                out,
                state,
                zone,
                consent,
                columns,
                dialects,
                destinations,
                auditKeepDays,
                guardrails,
                historyKeepDays);
    }

    public ExporterConfig withGuardrails(GuardrailLimits guardrails) {
        return new ExporterConfig(
                file,
                data,
                source,
                audiences,
                out,
                state,
                zone,
                consent,
                columns,
                dialects,
                destinations,
                auditKeepDays,
                guardrails,
                historyKeepDays);
    }
}
