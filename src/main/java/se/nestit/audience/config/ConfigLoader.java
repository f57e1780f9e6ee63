package se.nestit.audience.config;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.guardrail.GuardrailLimits;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.CsvDialect;
import se.nestit.audience.source.InputFile;

/**
 * Reads the YAML config strictly (unknown keys and wrong types stop the run with the file and path)
 * and resolves {@code ${ENV_VAR}} references so that secrets live in the environment, not the file.
 */
public final class ConfigLoader {

    private static final List<String> TOP_KEYS = List.of(
            "data",
            "source",
            "audiences",
            "out",
            "state",
            "zone",
            "consent",
            "columns",
            "destinations",
            "audit",
            "guardrails",
            "history");
    /**
     * Audit files are kept as long as a network may hold what they prove consent for: Google's
     * longest membership life span is 540 days.
     */
    public static final int DEFAULT_AUDIT_KEEP_DAYS = 540;
    /** Past runs' reports are kept a little over a year, to compare a night with the same one last year. */
    public static final int DEFAULT_HISTORY_KEEP_DAYS = 400;

    private static final List<String> CONSENT_KEYS = List.of("purpose", "max_age_days", "brand", "signals");
    /** How a CSV file is written: in {@code source:} for every file, in {@code source.files.<name>:} for one. */
    private static final List<String> CSV_KEYS = List.of("delimiter", "encoding", "decimal", "statuses");

    private static final List<String> CSV_SOURCE_KEYS = Stream.concat(
                    Stream.of("type", "threads", "files"), CSV_KEYS.stream())
            .toList();
    /** More reading threads than this only queue for the cores and hold chunk buffers. */
    private static final int MAX_THREADS = 256;

    private static final List<String> POSTGRES_KEYS = List.of("type", "url", "user", "password", "tables", "queries");
    /** {@code table} or {@code schema.table}, each part as written (it is quoted, so case and any character count). */
    private static final Pattern TABLE = Pattern.compile("[^.]+(\\.[^.]+)?");

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final UnaryOperator<String> environment;

    /** @param environment looks up an environment variable, null when unset */
    public ConfigLoader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public ExporterConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DefinitionException(file + ": config file not found (give another with --config)");
        }
        YamlNode root = YamlNode.read(file);
        root.fields(TOP_KEYS);
        Secrets.warnAboutLiterals(file, root);
        ConsentPolicy consent = consent(root.get("consent"));
        Path base = file.toAbsolutePath().normalize().getParent();
        return new ExporterConfig(
                file,
                path(root.get("data"), base, "conf/sample-data"),
                source(root.get("source")),
                path(root.get("audiences"), base, "audiences"),
                path(root.get("out"), base, "out"),
                path(root.get("state"), base, "state"),
                zone(root.get("zone")),
                consent,
                columns(root.get("columns")),
                dialects(root.get("source")),
                destinations(root.get("destinations")),
                keepDays(root.get("audit"), DEFAULT_AUDIT_KEEP_DAYS),
                guardrails(root.get("guardrails")),
                keepDays(root.get("history"), DEFAULT_HISTORY_KEEP_DAYS));
    }

    /**
     * Replaces each {@code ${NAME}} in a config string with the variable's value.
     *
     * @throws DefinitionException naming the variable (never a value) when it is not set
     */
    public String resolve(YamlNode node) {
        String value = node.string();
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = environment.apply(m.group(1));
            if (resolved == null) {
                throw node.error("environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A path written in the config file is relative to the file's directory, so that the file means
     * the same from any working directory (a scheduler's is rarely the project's); a key left out
     * takes its default relative to the working directory, as command-line paths are.
     */
    private static Path path(YamlNode node, Path base, String fallback) {
        try {
            Optional<String> written = node.optionalString();
            return written.isPresent() ? base.resolve(written.get()).normalize() : Path.of(fallback);
        } catch (InvalidPathException e) {
            throw node.error("not a path (" + e.getReason() + ")");
        }
    }

    private SourceSettings source(YamlNode node) {
        if (node.isNullOrMissing()) {
            return new SourceSettings.Csv();
        }
        YamlNode type = node.get("type");
        String name = type.optionalString().orElse("csv");
        if (name.equals("csv")) {
            node.fields(CSV_SOURCE_KEYS);
            YamlNode threads = node.get("threads");
            return threads.isNullOrMissing()
                    ? new SourceSettings.Csv()
                    : new SourceSettings.Csv(threads.integer(1, MAX_THREADS));
        }
        if (name.equals("postgres")) {
            return postgres(node);
        }
        throw type.error("unknown source type '" + name + "' (expected csv or postgres)");
    }

    private SourceSettings.Postgres postgres(YamlNode node) {
        node.fields(POSTGRES_KEYS);
        YamlNode url = node.get("url");
        if (url.isNullOrMissing()) {
            throw url.error("missing: the database's JDBC URL, e.g. jdbc:postgresql://db.example.com:5432/shop");
        }
        String resolvedUrl = resolve(url);
        if (!resolvedUrl.startsWith("jdbc:postgresql:")) {
            throw url.error("not a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/database)");
        }
        if (Pattern.compile("(?i)[?&]password=").matcher(resolvedUrl).find()) {
            throw url.error("holds a password: give it under source.password, as ${ENV_VAR}");
        }
        YamlNode user = node.get("user");
        if (user.isNullOrMissing()) {
            throw user.error("missing: the database user to read as");
        }
        YamlNode password = node.get("password");
        if (!password.isNullOrMissing() && !Secrets.isReference(password.scalarText())) {
            throw password.error("write it as ${ENV_VAR} and put the password in that environment variable; "
                    + "secrets do not belong in the config file");
        }
        Map<InputFile, String> tables = perInput(node.get("tables"), "a table name");
        Map<InputFile, String> queries = perInput(node.get("queries"), "a query");
        tables.forEach((file, table) -> {
            YamlNode t = node.get("tables").get(file.stem());
            if (!TABLE.matcher(table).matches()) {
                throw t.error("not a table name (table or schema.table)");
            }
            if (queries.containsKey(file)) {
                throw t.error(file.stem() + " has a table and a query; give one");
            }
        });
        return new SourceSettings.Postgres(
                resolvedUrl,
                resolve(user),
                password.isNullOrMissing() ? Optional.empty() : Optional.of(resolve(password)),
                tables,
                queries);
    }

    /** A mapping of input file names ({@code customers}, ...) to non-empty strings. */
    private static Map<InputFile, String> perInput(YamlNode node, String what) {
        Map<InputFile, String> values = new EnumMap<>(InputFile.class);
        if (node.isNullOrMissing()) {
            return values;
        }
        for (YamlNode entry : node.fields(
                        Stream.of(InputFile.values()).map(InputFile::stem).toList())
                .values()) {
            String value = entry.string().strip();
            if (value.isEmpty()) {
                throw entry.error("must be " + what);
            }
            values.put(InputFile.forKey(entry.key()).orElseThrow(), value);
        }
        return values;
    }

    private static ZoneId zone(YamlNode node) {
        Optional<String> zone = node.optionalString();
        if (zone.isEmpty()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(zone.get());
        } catch (DateTimeException e) {
            throw node.error("not a time zone (e.g. UTC, Europe/Stockholm)");
        }
    }

    private static ConsentPolicy consent(YamlNode node) {
        if (node.isNullOrMissing()) {
            return ConsentPolicy.DEFAULT;
        }
        node.fields(CONSENT_KEYS);
        String purpose = node.get("purpose").optionalString().orElse(ConsentPolicy.DEFAULT.purpose());
        if (purpose.isBlank()) {
            throw node.get("purpose").error("must not be empty");
        }
        int maxAge = node.get("max_age_days").isNullOrMissing()
                ? ConsentPolicy.DEFAULT.maxAgeDays()
                : node.get("max_age_days").integer(1, 36_500);
        return new ConsentPolicy(purpose, maxAge, node.get("brand").optionalString(), signals(node.get("signals")));
    }

    /** Each Google consent signal's purpose; one not given follows {@code consent.purpose}. */
    private static Map<ConsentSignal, String> signals(YamlNode node) {
        Map<ConsentSignal, String> signals = new EnumMap<>(ConsentSignal.class);
        if (node.isNullOrMissing()) {
            return signals;
        }
        node.fields(Stream.of(ConsentSignal.values()).map(ConsentSignal::code).toList());
        for (ConsentSignal s : ConsentSignal.values()) {
            YamlNode purpose = node.get(s.code());
            if (!purpose.isNullOrMissing()) {
                if (purpose.string().isBlank()) {
                    throw purpose.error("must not be empty (leave it out to use consent.purpose)");
                }
                signals.put(s, purpose.string());
            }
        }
        return signals;
    }

    /** {@code audit} and {@code history}: {@code { keep_days: N }}. */
    private static int keepDays(YamlNode node, int fallback) {
        if (node.isNullOrMissing()) {
            return fallback;
        }
        node.fields(List.of("keep_days"));
        YamlNode days = node.get("keep_days");
        return days.isNullOrMissing() ? fallback : days.integer(1, 36_500);
    }

    private static GuardrailLimits guardrails(YamlNode node) {
        GuardrailLimits limits = GuardrailLimits.DEFAULT;
        if (node.isNullOrMissing()) {
            return limits;
        }
        for (YamlNode limit : node.fields(GuardrailLimits.NAMES).values()) {
            try {
                limits = limits.with(limit.key(), limit.scalarText());
            } catch (IllegalArgumentException e) {
                throw limit.error(e.getMessage());
            }
        }
        return limits;
    }

    private static Map<InputFile, Map<String, String>> columns(YamlNode node) {
        Map<InputFile, Map<String, String>> columns = new EnumMap<>(InputFile.class);
        if (node.isNullOrMissing()) {
            return columns;
        }
        for (YamlNode fileNode : node.fields().values()) {
            InputFile file = InputFile.forKey(fileNode.key())
                    .orElseThrow(() -> fileNode.error(
                            "unknown input file (expected one of customers, consents, suppressions, orders, events)"));
            Map<String, String> mapping = new LinkedHashMap<>();
            for (YamlNode column : fileNode.fields().values()) {
                if (!file.contractColumns().contains(column.key())) {
                    throw column.error("'" + column.key() + "' is not a column of " + file.fileName()
                            + " (expected one of " + String.join(", ", file.contractColumns()) + ")");
                }
                String exported = column.string();
                if (mapping.values().stream().anyMatch(exported::equalsIgnoreCase)) {
                    throw column.error("column '" + exported + "' is already mapped to another column");
                }
                mapping.put(column.key(), exported);
            }
            if (columns.put(file, mapping) != null) {
                throw fileNode.error("mapped twice");
            }
        }
        return columns;
    }

    /**
     * How each CSV file of the {@code source:} section is written (a database's COPY output is always
     * the default); {@link #source} has checked the section's keys.
     */
    private static Map<InputFile, CsvDialect> dialects(YamlNode node) {
        Map<InputFile, CsvDialect> dialects = new EnumMap<>(InputFile.class);
        if (node.isNullOrMissing()
                || !node.get("type").optionalString().orElse("csv").equals("csv")) {
            return dialects;
        }
        CsvDialect all = dialect(node, CsvDialect.DEFAULT);
        for (InputFile f : InputFile.values()) {
            dialects.put(f, all);
        }
        YamlNode files = node.get("files");
        if (!files.isNullOrMissing()) {
            for (YamlNode fileNode : files.fields().values()) {
                InputFile file = InputFile.forKey(fileNode.key())
                        .orElseThrow(
                                () -> fileNode.error(
                                        "unknown input file (expected one of customers, consents, suppressions, orders, events)"));
                fileNode.fields(CSV_KEYS);
                dialects.put(file, dialect(fileNode, all));
            }
        }
        return dialects;
    }

    /** The CSV keys of {@code node}, each one left out taken from {@code inherited}. */
    private static CsvDialect dialect(YamlNode node, CsvDialect inherited) {
        CsvDialect d = inherited;
        YamlNode delimiter = node.get("delimiter");
        if (!delimiter.isNullOrMissing()) {
            Character c = CsvDialect.DELIMITERS.get(delimiter.string().equals("\t") ? "tab" : delimiter.string());
            if (c == null) {
                throw delimiter.error("not a delimiter (expected one of ',', ';', tab, '|')");
            }
            d = d.withDelimiter(c);
        }
        YamlNode encoding = node.get("encoding");
        if (!encoding.isNullOrMissing()) {
            Charset e = CsvDialect.ENCODINGS.get(encoding.string().toLowerCase(Locale.ROOT));
            if (e == null) {
                throw encoding.error("not a supported encoding (expected one of "
                        + String.join(", ", CsvDialect.ENCODINGS.keySet()) + ")");
            }
            d = d.withEncoding(e);
        }
        YamlNode decimal = node.get("decimal");
        if (!decimal.isNullOrMissing()) {
            switch (decimal.string()) {
                case "comma" -> d = d.withDecimalComma(true);
                case "point" -> d = d.withDecimalComma(false);
                default -> throw decimal.error("expected comma (amounts like 199,00) or point (199.00)");
            }
        }
        YamlNode statuses = node.get("statuses");
        if (!statuses.isNullOrMissing()) {
            d = d.withStatuses(statuses(statuses));
        }
        return d;
    }

    /** The file's own consent status words, each to one of the contract's. */
    private static Map<String, ConsentStatus> statuses(YamlNode node) {
        Map<String, ConsentStatus> words = new LinkedHashMap<>();
        for (YamlNode word : node.fields().values()) {
            String key = CsvDialect.key(word.key());
            if (key.isEmpty() || ConsentStatus.parse(key).isPresent()) {
                throw word.error("not a status word of the file's own (granted, denied and withdrawn are always read)");
            }
            ConsentStatus status = ConsentStatus.parse(word.string())
                    .orElseThrow(() -> word.error("expected granted, denied or withdrawn"));
            if (words.put(key, status) != null) {
                throw word.error("given twice (words are compared trimmed, in any case)");
            }
        }
        return words;
    }

    private static List<DestinationSettings> destinations(YamlNode node) {
        List<DestinationSettings> list = new ArrayList<>();
        if (node.isNullOrMissing()) {
            return list;
        }
        for (YamlNode d : node.fields().values()) {
            if (!DestinationSettings.ID.matcher(d.key()).matches()) {
                throw d.error("a destination id is letters, digits, '-' and '_' (it names output files)");
            }
            YamlNode type = d.get("type");
            if (type.isNullOrMissing()) {
                throw type.error("missing: every destination needs a type");
            }
            list.add(new DestinationSettings(d.key(), type.string(), d));
        }
        return list;
    }
}
