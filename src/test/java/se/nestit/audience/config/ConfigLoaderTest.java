package se.nestit.audience.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.guardrail.GuardrailLimits;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.CsvDialect;
import se.nestit.audience.source.InputFile;

class ConfigLoaderTest {

    /** The minimal config of DESIGN.md, "Command line (contract)". */
    private static final String MINIMAL = """
            data: conf/sample-data
            audiences: audiences
            out: out
            consent: { purpose: marketing, max_age_days: 395 }
            destinations:
              files: { type: file, normalization: basic }
            """;

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(name -> null);

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("exporter.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private DefinitionException refused(String yaml) throws IOException {
        Path file = write(yaml);
        return assertThrows(DefinitionException.class, () -> loader.load(file));
    }

    private String prefix() {
        return dir.resolve("exporter.yaml") + ": ";
    }

    @Test
    void minimalConfigFromTheDesignLoadsWithDefaults() throws IOException {
        Path file = write(MINIMAL);

        ExporterConfig config = loader.load(file);

        assertEquals(file, config.file());
        assertEquals(dir.resolve("conf/sample-data"), config.data(), "relative to the config file's directory");
        assertEquals(dir.resolve("audiences"), config.audiences());
        assertEquals(dir.resolve("out"), config.out());
        assertEquals(Path.of("state"), config.state(), "a default is relative to the working directory");
        assertEquals(ZoneId.of("UTC"), config.zone());
        assertEquals("marketing", config.consent().purpose());
        assertEquals(395, config.consent().maxAgeDays());
        assertEquals(Optional.empty(), config.consent().brand());
        assertEquals(Map.of(), config.columns());
        assertEquals(List.of("files"), config.destinationIds());
        assertEquals("file", config.destinations().get(0).type());
        assertEquals(
                "basic",
                config.destinations().get(0).node().get("normalization").string());
    }

    @Test
    void guardrailLimitsAreReadAsSharesOrPercentagesAndDefaultOneByOne() throws IOException {
        ExporterConfig config =
                loader.load(write(MINIMAL + "guardrails: { max_rejected_share: 5%, max_exportable_drop: 0.3 }\n"));

        assertEquals(new GuardrailLimits(0.05, 10, 0.5, 0.3), config.guardrails());
        assertEquals(GuardrailLimits.DEFAULT, loader.load(write(MINIMAL)).guardrails());
    }

    @Test
    void aGuardrailLimitOutOfRangeOrUnknownIsRefusedNamingItsPath() throws IOException {
        assertTrue(refused(MINIMAL + "guardrails: { max_audience_shrink: 150% }\n")
                .getMessage()
                .startsWith(prefix()
                        + "guardrails.max_audience_shrink: max_audience_shrink must be a share between 0 and 1"));
        assertTrue(refused(MINIMAL + "guardrails: { max_shrink: 10% }\n")
                .getMessage()
                .startsWith(prefix()
                        + "guardrails.max_shrink: unknown key (expected one of max_rejected_share, rejected_rows_allowed, "
                        + "max_audience_shrink, max_exportable_drop)"));
    }

    @Test
    void historyKeepDaysIsReadDefaultsTo400AndIsCheckedLikeTheAuditTrails() throws IOException {
        assertEquals(
                30, loader.load(write(MINIMAL + "history: { keep_days: 30 }\n")).historyKeepDays());
        ExporterConfig defaults = loader.load(write(MINIMAL));
        assertEquals(400, defaults.historyKeepDays());
        assertEquals(540, defaults.auditKeepDays(), "the audit trail keeps its own default");
        assertTrue(refused(MINIMAL + "history: { keep_days: 0 }\n")
                .getMessage()
                .startsWith(prefix() + "history.keep_days"));
        assertTrue(refused(MINIMAL + "history: { days: 30 }\n")
                .getMessage()
                .startsWith(prefix() + "history.days: unknown key"));
    }

    @Test
    void emptyConfigUsesEveryDefault() throws IOException {
        ExporterConfig config = loader.load(write(""));

        assertEquals(Path.of("state"), config.state());
        assertEquals(ZoneId.of("UTC"), config.zone());
        assertEquals("marketing", config.consent().purpose());
        assertEquals(395, config.consent().maxAgeDays());
        assertEquals(List.of(), config.destinationIds());
    }

    @Test
    void everySettingIsRead() throws IOException {
        ExporterConfig config = loader.load(write("""
                data: /srv/data
                audiences: aud
                out: /srv/out
                state: /var/lib/exporter
                zone: Europe/Stockholm
                consent: { purpose: Newsletter, max_age_days: 30, brand: nestit-books }
                columns:
                  customers: { email: billing_email }
                  Orders: { ordered_at: created }
                destinations:
                  files: { type: file }
                  google-files: { type: file, normalization: google }
                """));

        assertEquals(Path.of("/srv/data"), config.data());
        assertEquals(dir.resolve("aud"), config.audiences());
        assertEquals(Path.of("/var/lib/exporter"), config.state());
        assertEquals(ZoneId.of("Europe/Stockholm"), config.zone());
        assertEquals("Newsletter", config.consent().purpose());
        assertEquals(30, config.consent().maxAgeDays());
        assertEquals(Optional.of("nestit-books"), config.consent().brand());
        assertEquals(
                Map.of(
                        InputFile.CUSTOMERS,
                        Map.of("email", "billing_email"),
                        InputFile.ORDERS,
                        Map.of("ordered_at", "created")),
                config.columns());
        assertEquals(List.of("files", "google-files"), config.destinationIds(), "in config order");
    }

    @Test
    void pathsInTheFileMeanTheSameFromAnyWorkingDirectory() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc/exporter"));
        Path file = conf.resolve("exporter.yaml");
        Files.writeString(file, "data: ../../shop/export\naudiences: audiences\nout: ./out\n");

        ExporterConfig config = loader.load(file);

        assertEquals(dir.resolve("shop/export"), config.data());
        assertEquals(conf.resolve("audiences"), config.audiences());
        assertEquals(conf.resolve("out"), config.out());
    }

    @Test
    void missingConfigFileIsADefinitionError() {
        Path file = dir.resolve("nope.yaml");

        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.load(file));

        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    @Test
    void unknownTopLevelKeyIsRefusedNamingIt() throws IOException {
        DefinitionException e = refused(MINIMAL + "outt: x\n");

        assertTrue(
                e.getMessage()
                        .startsWith(
                                prefix() + "outt: unknown key (expected one of data, source, audiences, out, state, "
                                        + "zone, consent, columns, destinations, audit, guardrails, history)"),
                e.getMessage());
    }

    @Test
    void googleConsentSignalsFollowTheConsentPurposeUnlessMapped() throws IOException {
        ExporterConfig unmapped = loader.load(write("consent: { purpose: Marketing }\n"));
        assertEquals(
                Map.of(ConsentSignal.AD_USER_DATA, "Marketing", ConsentSignal.AD_PERSONALIZATION, "Marketing"),
                unmapped.consent().signals());
        assertTrue(unmapped.consent().signalsFollowPurpose());

        ExporterConfig mapped =
                loader.load(write("consent:\n  purpose: marketing\n  signals: { ad_personalization: ads_personal }\n"));
        assertEquals(
                Map.of(ConsentSignal.AD_USER_DATA, "marketing", ConsentSignal.AD_PERSONALIZATION, "ads_personal"),
                mapped.consent().signals());
        assertFalse(mapped.consent().signalsFollowPurpose());
        DefinitionException spark =
                assertThrows(DefinitionException.class, () -> mapped.requireSignalsOnTheGatePurpose("the Spark build"));
        assertTrue(spark.getMessage().contains("the Spark build does not decide yet"), spark.getMessage());
    }

    @Test
    void anUnknownOrEmptyConsentSignalIsRefused() throws IOException {
        DefinitionException unknown = refused("consent:\n  signals: { ad_storage: marketing }\n");
        assertTrue(
                unknown.getMessage().startsWith(prefix() + "consent.signals.ad_storage: unknown key"),
                unknown.getMessage());

        DefinitionException empty = refused("consent:\n  signals: { ad_user_data: \"\" }\n");
        assertTrue(
                empty.getMessage().startsWith(prefix() + "consent.signals.ad_user_data: must not be empty"),
                empty.getMessage());
    }

    @Test
    void unknownConsentKeyIsRefused() throws IOException {
        DefinitionException e = refused("consent: { purpose: marketing, max_age: 30 }\n");

        assertTrue(e.getMessage().startsWith(prefix() + "consent.max_age: unknown key"), e.getMessage());
    }

    @Test
    void aPathWithANulCharacterIsRefusedNamingTheKey() throws IOException {
        DefinitionException e = refused("state: \"st\\0ate\"\n");

        assertEquals(prefix() + "state: not a path (Nul character not allowed) (line 1)", e.getMessage());
    }

    @Test
    void badZoneIsRefused() throws IOException {
        DefinitionException e = refused("zone: Europe/Gothenburg\n");

        assertEquals(prefix() + "zone: not a time zone (e.g. UTC, Europe/Stockholm) (line 1)", e.getMessage());
    }

    @Test
    void zoneMustBeText() throws IOException {
        DefinitionException e = refused("zone: 1\n");

        assertEquals(prefix() + "zone: expected a string (line 1)", e.getMessage());
    }

    @Test
    void maxAgeDaysZeroIsRefused() throws IOException {
        DefinitionException e = refused("consent:\n  max_age_days: 0\n");

        assertEquals(prefix() + "consent.max_age_days: must be between 1 and 36500 but was 0 (line 2)", e.getMessage());
    }

    @Test
    void maxAgeDaysMustBeANumber() throws IOException {
        DefinitionException e = refused("consent:\n  max_age_days: thirteen months\n");

        assertEquals(prefix() + "consent.max_age_days: expected a number (line 2)", e.getMessage());
    }

    @Test
    void emptyPurposeIsRefused() throws IOException {
        DefinitionException e = refused("consent:\n  purpose: ''\n");

        assertTrue(e.getMessage().startsWith(prefix() + "consent.purpose: "), e.getMessage());
    }

    @Test
    void unknownColumnsFileIsRefused() throws IOException {
        DefinitionException e = refused("columns:\n  clients: { email: mail }\n");

        assertTrue(e.getMessage().startsWith(prefix() + "columns.clients: unknown input file"), e.getMessage());
    }

    @Test
    void columnsMayBeKeyedByFileName() throws IOException {
        ExporterConfig config = loader.load(write("columns:\n  orders.csv: { ordered_at: created }\n"));

        assertEquals(Map.of(InputFile.ORDERS, Map.of("ordered_at", "created")), config.columns());
    }

    @Test
    void unknownContractColumnInMappingIsRefused() throws IOException {
        DefinitionException e = refused("columns:\n  customers:\n    e_mail: mail\n");

        assertTrue(
                e.getMessage()
                        .startsWith(prefix() + "columns.customers.e_mail: 'e_mail' is not a column of customers.csv"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(line 3)"), e.getMessage());
    }

    @Test
    void aColumnOfAnotherFileIsNotMappable() throws IOException {
        // ordered_at belongs to orders.csv, not customers.csv
        DefinitionException e = refused("columns:\n  customers: { ordered_at: date }\n");

        assertTrue(e.getMessage().startsWith(prefix() + "columns.customers.ordered_at: "), e.getMessage());
    }

    @Test
    void sameFileMappedTwiceIsRefused() throws IOException {
        // file keys are case-insensitive, so these two name the same file
        DefinitionException e = refused("columns:\n  customers: { email: a }\n  Customers: { email: b }\n");

        assertTrue(e.getMessage().startsWith(prefix() + "columns.Customers: "), e.getMessage());
        assertTrue(e.getMessage().contains("mapped twice"), e.getMessage());
    }

    @Test
    void oneExportColumnMappedToTwoContractColumnsIsRefused() throws IOException {
        DefinitionException e = refused("columns:\n  customers: { email: mail, phone: MAIL }\n");

        assertTrue(
                e.getMessage().startsWith(prefix() + "columns.customers.phone: column 'MAIL' is already mapped"),
                e.getMessage());
    }

    @Test
    void destinationIdWithASlashIsRefused() throws IOException {
        DefinitionException e = refused("destinations:\n  a/b: { type: file }\n");

        assertTrue(
                e.getMessage().startsWith(prefix() + "destinations.a/b: a destination id is letters, digits"),
                e.getMessage());
    }

    @Test
    void destinationIdDotDotIsRefused() throws IOException {
        DefinitionException e = refused("destinations:\n  '..': { type: file }\n");

        assertTrue(e.getMessage().startsWith(prefix() + "destinations."), e.getMessage());
        assertTrue(e.getMessage().contains("a destination id is letters, digits"), e.getMessage());
    }

    @Test
    void destinationIdClimbingOutIsRefused() throws IOException {
        DefinitionException e = refused("destinations:\n  '../etc': { type: file }\n");

        assertTrue(e.getMessage().contains("a destination id is letters, digits"), e.getMessage());
    }

    @Test
    void destinationIdWithADotIsRefused() throws IOException {
        DefinitionException e = refused("destinations:\n  my.files: { type: file }\n");

        assertTrue(e.getMessage().contains("a destination id is letters, digits"), e.getMessage());
    }

    @Test
    void destinationWithoutTypeIsRefused() throws IOException {
        DefinitionException e = refused("destinations:\n  files: { normalization: basic }\n");

        assertEquals(
                prefix() + "destinations.files.type: missing: every destination needs a type (line 2)", e.getMessage());
    }

    @Test
    void destinationsMustBeAMap() throws IOException {
        DefinitionException e = refused("destinations: [files]\n");

        assertTrue(e.getMessage().startsWith(prefix() + "destinations: expected a map"), e.getMessage());
    }

    @Test
    void environmentReferenceIsReplacedByItsValue() {
        ConfigLoader withEnv = new ConfigLoader(Map.of("TOKEN", "t0k3n")::get);

        assertEquals(
                "t0k3n",
                withEnv.resolve(YamlNode.parse("c.yaml", "token: ${TOKEN}\n").get("token")));
    }

    @Test
    void embeddedAndRepeatedReferencesAreReplaced() {
        ConfigLoader withEnv = new ConfigLoader(Map.of("X", "mid", "Y_2", "two")::get);

        YamlNode node = YamlNode.parse("c.yaml", "v: \"prefix-${X}-suffix/${Y_2}/${X}\"\n")
                .get("v");

        assertEquals("prefix-mid-suffix/two/mid", withEnv.resolve(node));
    }

    @Test
    void aValueWithDollarsAndBackslashesIsInsertedLiterally() {
        // Matcher.appendReplacement would read $1 and \ as group references and escapes
        ConfigLoader withEnv = new ConfigLoader(Map.of("SECRET", "a$1\\b${X}")::get);

        assertEquals(
                "key=a$1\\b${X}",
                withEnv.resolve(YamlNode.parse("c.yaml", "v: key=${SECRET}\n").get("v")));
    }

    @Test
    void textWithoutReferencesIsUnchanged() {
        assertEquals(
                "$HOME and {x} and $",
                loader.resolve(
                        YamlNode.parse("c.yaml", "v: $HOME and {x} and $\n").get("v")));
    }

    @Test
    void unsetVariableIsAnErrorNamingItButNoValue() {
        ConfigLoader withEnv = new ConfigLoader(Map.of("APP_ID", "visible-app-id-123")::get);
        YamlNode node = YamlNode.parse(
                        "conf/exporter.yaml", "destinations:\n  meta:\n    token: \"${APP_ID}:${META_TOKEN}\"\n")
                .get("destinations")
                .get("meta")
                .get("token");

        DefinitionException e = assertThrows(DefinitionException.class, () -> withEnv.resolve(node));

        assertEquals(
                "conf/exporter.yaml: destinations.meta.token: environment variable META_TOKEN is not set (line 3)",
                e.getMessage());
        assertFalse(e.getMessage().contains("visible-app-id-123"), "a resolved value must never be shown");
    }

    @Test
    void emptyVariableIsSetAndResolvesToEmpty() {
        // unset and empty differ: an empty value is a value
        ConfigLoader withEnv = new ConfigLoader(Map.of("E", "")::get);

        assertEquals(
                "a--b",
                withEnv.resolve(YamlNode.parse("c.yaml", "v: a-${E}-b\n").get("v")));
    }

    @Test
    void withoutASourceSectionEveryFileIsUtf8WithCommas() throws IOException {
        ExporterConfig config = loader.load(write(MINIMAL));

        for (InputFile f : InputFile.values()) {
            assertEquals(CsvDialect.DEFAULT, config.dialect(f));
        }
    }

    @Test
    void theSourceSectionSetsEveryFileAndAFileOfItsOwnOverridesIt() throws IOException {
        ExporterConfig config = loader.load(write(MINIMAL + """
                source:
                  type: csv
                  delimiter: ';'
                  encoding: Windows-1252
                  decimal: comma
                  files:
                    consents: { statuses: { Ja: granted, nej: denied, återkallad: withdrawn } }
                    events: { delimiter: tab, encoding: utf-8 }
                """));

        CsvDialect excel = new CsvDialect(';', Charset.forName("windows-1252"), true, Map.of());
        assertEquals(excel, config.dialect(InputFile.CUSTOMERS));
        assertEquals(excel, config.dialect(InputFile.ORDERS));
        assertEquals(
                excel.withStatuses(Map.of(
                        "ja",
                        ConsentStatus.GRANTED,
                        "nej",
                        ConsentStatus.DENIED,
                        "återkallad",
                        ConsentStatus.WITHDRAWN)),
                config.dialect(InputFile.CONSENTS));
        assertEquals(excel.withDelimiter('\t').withEncoding(StandardCharsets.UTF_8), config.dialect(InputFile.EVENTS));
        assertEquals(
                Optional.of(ConsentStatus.WITHDRAWN),
                config.dialect(InputFile.CONSENTS).status(" ÅTERKALLAD "));
        assertEquals(
                Optional.of(ConsentStatus.GRANTED),
                config.dialect(InputFile.CONSENTS).status("granted"),
                "the contract's words are read too");
        assertEquals(Optional.empty(), config.dialect(InputFile.CUSTOMERS).status("ja"));
    }

    @Test
    void sourceKeysAreCheckedWithTheirPathAndLine() throws IOException {
        assertTrue(
                refused(MINIMAL + "source: { delimitr: ';' }\n")
                        .getMessage()
                        .startsWith(
                                prefix()
                                        + "source.delimitr: unknown key (expected one of type, threads, files, delimiter, encoding, decimal, statuses)"));
        assertTrue(refused(MINIMAL + "source: { files: { orders: { type: csv } } }\n")
                .getMessage()
                .startsWith(prefix() + "source.files.orders.type: unknown key"));
        assertTrue(refused(MINIMAL + "source: { files: { order: { delimiter: ';' } } }\n")
                .getMessage()
                .startsWith(prefix() + "source.files.order: unknown input file"));
        assertTrue(refused(MINIMAL + "source: { type: excel }\n")
                .getMessage()
                .startsWith(prefix() + "source.type: unknown source type 'excel' (expected csv or postgres)"));
        DefinitionException delimiter = refused(MINIMAL + "source: { delimiter: ':' }\n");
        assertTrue(
                delimiter
                        .getMessage()
                        .startsWith(
                                prefix() + "source.delimiter: not a delimiter (expected one of ',', ';', tab, '|')"),
                delimiter.getMessage());
        assertTrue(delimiter.getMessage().contains("line 7"), delimiter.getMessage());
        assertTrue(
                refused(MINIMAL + "source: { encoding: utf-16 }\n")
                        .getMessage()
                        .startsWith(
                                prefix()
                                        + "source.encoding: not a supported encoding (expected one of utf-8, windows-1252, iso-8859-1)"));
        assertTrue(refused(MINIMAL + "source: { decimal: dot }\n")
                .getMessage()
                .startsWith(prefix() + "source.decimal: expected comma"));
        assertTrue(refused(MINIMAL + "source: { statuses: { ja: maybe } }\n")
                .getMessage()
                .startsWith(prefix() + "source.statuses.ja: expected granted, denied or withdrawn"));
        assertTrue(refused(MINIMAL + "source: { statuses: { Granted: denied } }\n")
                .getMessage()
                .startsWith(prefix() + "source.statuses.Granted: not a status word of the file's own"));
    }

    @Test
    void theSparkBuildRefusesAFileItWouldReadWrong() throws IOException {
        ExporterConfig plain = loader.load(write(MINIMAL + "source: { type: csv }\n"));
        plain.requireDefaultDialect("the Spark build");

        ExporterConfig excel = loader.load(write(MINIMAL + "source: { files: { orders: { decimal: comma } } }\n"));
        DefinitionException e =
                assertThrows(DefinitionException.class, () -> excel.requireDefaultDialect("the Spark build"));
        assertTrue(e.getMessage().contains("source: sets how orders.csv is written"), e.getMessage());
    }
}
