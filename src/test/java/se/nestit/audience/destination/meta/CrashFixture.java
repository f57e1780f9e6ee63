package se.nestit.audience.destination.meta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import se.nestit.audience.cli.ExporterJar;

/**
 * A data set, three audiences and a config for runs of the packaged jar against the loopback Graph
 * API: a {@code meta} destination and a {@code files} destination. The data comes in two versions
 * that differ in who withdrew consent, so that a run after a run of the other version has adds and
 * removes to send. What each audience should hold is worked out here from the rows, with
 * {@link MessageDigest}, independently of the code under test.
 */
final class CrashFixture {

    static final List<String> AUDIENCES = List.of("buyers", "crime", "poetry");
    static final String PREFIX = "crash-";
    static final String AS_OF = "2026-11-22";
    private static final String[] CATEGORIES = {"crime", "poetry", "cooking"};

    final Path root;
    final Path data;
    final Path audiences;
    final Path out;
    final Path state;
    final Path logs;
    final Path config;
    private final int customers;

    CrashFixture(Path root, int customers) {
        this.root = root;
        this.customers = customers;
        this.data = root.resolve("data");
        this.audiences = root.resolve("audiences");
        this.out = root.resolve("out");
        this.state = root.resolve("state");
        this.logs = root.resolve("logs");
        this.config = root.resolve("exporter.yaml");
    }

    /** The audience definitions and a config whose meta destination sends {@code perRequest} hashes a request. */
    CrashFixture write(String endpoint, int perRequest) throws IOException {
        Files.createDirectories(audiences);
        Files.writeString(audiences.resolve("buyers.yaml"), """
                description: Bought anything
                min_size: 1
                rule:
                  purchased: {}
                """);
        for (String category : List.of("crime", "poetry")) {
            Files.writeString(audiences.resolve(category + ".yaml"), """
                    description: Bought %s
                    min_size: 1
                    rule:
                      purchased: { where: { category: %s } }
                    """.formatted(category, category));
        }
        Files.writeString(config, """
                destinations:
                  meta:
                    type: meta
                    ad_account_id: act_%s
                    access_token: ${%s}
                    app_secret: ${%s}
                    audience_prefix: "%s"
                    endpoint: %s
                    records_per_request: %d
                    retry: { max_attempts: 3, initial_backoff: 1ms, max_backoff: 5ms }
                    rate_limit: { per_second: 10000 }
                    timeout: 20s
                  files: { type: file, normalization: basic }
                """.formatted(
                        FakeGraphApi.ACCOUNT,
                        FakeGraphApi.TOKEN_VARIABLE,
                        FakeGraphApi.SECRET_VARIABLE,
                        PREFIX,
                        endpoint,
                        perRequest));
        return this;
    }

    /** Customers 1..n; version 0 and 1 differ in who withdrew consent. */
    void writeData(int version) throws IOException {
        Files.createDirectories(data);
        StringBuilder customerRows = new StringBuilder("customer_id,email\n");
        StringBuilder consentRows = new StringBuilder("customer_id,purpose,status,recorded_at\n");
        StringBuilder orderRows = new StringBuilder("customer_id,ordered_at,category,amount\n");
        for (int i = 1; i <= customers; i++) {
            customerRows.append("C").append(i).append(',').append(email(i)).append('\n');
            if (i % 10 != 0) { // every tenth never consented
                consentRows.append("C").append(i).append(",marketing,granted,2026-06-01T09:00:00Z\n");
            }
            if (withdrawn(i, version)) {
                consentRows.append("C").append(i).append(",marketing,withdrawn,2026-11-15T08:00:00Z\n");
            }
            orderRows
                    .append("C")
                    .append(i)
                    .append(",2026-10-01T10:00:00Z,")
                    .append(category(i))
                    .append(",100.00\n");
        }
        Files.writeString(data.resolve("customers.csv"), customerRows);
        Files.writeString(data.resolve("consents.csv"), consentRows);
        Files.writeString(data.resolve("orders.csv"), orderRows);
        Files.writeString(data.resolve("suppressions.csv"), "customer_id,email,reason,recorded_at\n");
    }

    /** Mixed case and white space around it, which Meta's normalization (trim, lowercase) removes. */
    private static String email(int i) {
        return switch (i % 3) {
            case 0 -> "  Kund" + i + ".Test@Example.SE";
            case 1 -> "kund" + i + "@example.se ";
            default -> "KUND" + i + "@Butik.Example.com";
        };
    }

    private static String category(int i) {
        return CATEGORIES[(i / 2) % 3];
    }

    private static boolean withdrawn(int i, int version) {
        return i % 4 == 1 + version;
    }

    private static boolean consented(int i, int version) {
        return i % 10 != 0 && !withdrawn(i, version);
    }

    /** The SHA-256 hex of the trimmed, lowercased emails of the audience's consented customers. */
    Set<String> desired(String audience, int version) {
        Set<String> hashes = new TreeSet<>();
        for (int i = 1; i <= customers; i++) {
            boolean member = switch (audience) {
                case "buyers" -> true;
                case "crime", "poetry" -> category(i).equals(audience);
                default -> throw new IllegalArgumentException(audience);
            };
            if (member && consented(i, version)) {
                hashes.add(sha256(email(i).strip().toLowerCase(Locale.ROOT)));
            }
        }
        return hashes;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command line of a run on this fixture. */
    List<String> args(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--config",
                config.toString(),
                "--data",
                data.toString(),
                "--audiences",
                audiences.toString(),
                "--out",
                out.toString(),
                "--state",
                state.toString(),
                "--as-of",
                AS_OF,
                "--no-progress"));
        args.addAll(List.of(more));
        return args;
    }

    /** Starts the jar on this fixture, with the secrets the config names in its environment. */
    ExporterJar start(String name, String shell, String command, String... more) {
        return ExporterJar.start(
                logs,
                name,
                Map.of(
                        FakeGraphApi.TOKEN_VARIABLE,
                        FakeGraphApi.TOKEN,
                        FakeGraphApi.SECRET_VARIABLE,
                        FakeGraphApi.APP_SECRET),
                shell,
                args(command, more));
    }

    static String audienceName(String audience) {
        return PREFIX + audience;
    }
}
