package se.nestit.audience.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Writes a synthetic data set in the input contract's five files, for trying the tool, for tests
 * and for benchmarks: a Swedish book and IT shop group with several brands, skewed category and
 * author popularity, about 55% granted consent and every other consent state, and a few percent of
 * padded, mixed-case, Gmail-variant, invalid, missing and shared emails, plus suppressions by id
 * and by email.
 *
 * <p>Deterministic: each customer draws from its own random stream seeded by the seed and its
 * index, so the same seed gives the same bytes however the work is split across threads. Customers
 * appear in a scrambled order in orders.csv and events.csv, as rows of many customers interleave in
 * a real export.
 */
public final class DataGenerator {

    /** What to generate. */
    public record Settings(int customers, long seed, Instant asOf) {
        public Settings {
            if (customers < 1) {
                throw new IllegalArgumentException("customers must be at least 1 but was " + customers);
            }
            Objects.requireNonNull(asOf, "asOf");
        }
    }

    private static final int CHUNK = 20_000;
    private static final long DAY = 86_400;

    private final Settings settings;
    private final long asOf;
    private final Population population;

    public DataGenerator(Settings settings) {
        this.settings = settings;
        this.asOf = settings.asOf().getEpochSecond();
        this.population = new Population(settings.seed());
    }

    /**
     * Writes the five files into {@code dir}.
     *
     * @param progress receives the number of customers done per file, for progress bars
     */
    public void write(Path dir, LongConsumer progress) throws IOException {
        Files.createDirectories(dir);
        write(
                dir.resolve("customers.csv"),
                "customer_id,email,first_name,last_name,country,postal_code,brand,created_at",
                false,
                this::customer,
                progress);
        write(
                dir.resolve("consents.csv"),
                "customer_id,purpose,status,recorded_at,source,brand",
                false,
                this::consents,
                progress);
        write(
                dir.resolve("suppressions.csv"),
                "customer_id,email,reason,recorded_at",
                false,
                this::suppressions,
                progress);
        write(
                dir.resolve("orders.csv"),
                "order_id,customer_id,ordered_at,product_id,category,author,quantity,amount,currency",
                true,
                this::orders,
                progress);
        write(
                dir.resolve("events.csv"),
                "customer_id,occurred_at,event,product_id,category,url",
                true,
                this::events,
                progress);
    }

    /** Writes one customer's lines of a file. */
    @FunctionalInterface
    private interface Lines {
        void write(int customer, SplittableRandom random, Csv out);
    }

    /** Generates chunks of customers on all cores and writes them in order. */
    private void write(Path file, String header, boolean scrambled, Lines lines, LongConsumer progress)
            throws IOException {
        int n = settings.customers();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "generate");
            t.setDaemon(true);
            return t;
        });
        long salt = file.getFileName().toString().hashCode();
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write((header + "\n").getBytes(StandardCharsets.UTF_8));
            List<Future<byte[]>> window = new ArrayList<>();
            for (int from = 0; from < n || !window.isEmpty(); ) {
                while (from < n && window.size() < threads * 2) {
                    int start = from;
                    int end = Math.min(n, from + CHUNK);
                    window.add(pool.submit(() -> chunk(start, end, scrambled, salt, lines)));
                    from = end;
                }
                out.write(window.remove(0).get());
                progress.accept(Math.min(CHUNK, n));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("generating " + file + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating " + file, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private byte[] chunk(int from, int to, boolean scrambled, long salt, Lines lines) {
        Csv csv = new Csv();
        for (int k = from; k < to; k++) {
            int customer = scrambled ? scramble(k) : k;
            lines.write(customer, random(customer, salt), csv);
        }
        return csv.bytes();
    }

    /** A fixed permutation of the customers, so activity rows are not grouped in customer order. */
    private int scramble(int k) {
        int n = settings.customers();
        long stride = 1_000_003L;
        while (gcd(stride, n) != 1) {
            stride += 2;
        }
        return (int) ((k * stride + settings.seed()) % n + n) % n;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private SplittableRandom random(int customer, long salt) {
        return new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + customer * 0xBF58476D1CE4E5B9L + salt);
    }

    private void customer(int i, SplittableRandom r, Csv out) {
        Person p = population.person(i);
        out.field(p.customerId())
                .field(p.emailCell())
                .field(p.firstName())
                .field(p.lastName())
                .field(p.country())
                .field(p.postalCode())
                .field(p.brand())
                .time(asOf - DAY * (30 + r.nextInt(2000)))
                .end();
    }

    private void consents(int i, SplittableRandom r, Csv out) {
        Person p = population.person(i);
        String id = p.customerId();
        String brand = p.brand();
        double x = r.nextDouble();
        if (x < 0.55) { // fresh grant, sometimes after an older decision
            if (r.nextDouble() < 0.2) {
                consent(out, id, "marketing", "denied", asOf - DAY * (400 + r.nextInt(300)), r, brand);
            }
            consent(out, id, "marketing", "granted", asOf - DAY * r.nextInt(394) - r.nextInt(86_400), r, brand);
        } else if (x < 0.70) { // no marketing consent at all; maybe another purpose
            if (r.nextBoolean()) {
                consent(out, id, "analytics", "granted", asOf - DAY * r.nextInt(300), r, brand);
            }
        } else if (x < 0.80) {
            consent(out, id, "marketing", "denied", asOf - DAY * r.nextInt(700), r, brand);
        } else if (x < 0.88) {
            long granted = asOf - DAY * (100 + r.nextInt(300));
            consent(out, id, "marketing", "granted", granted, r, brand);
            consent(out, id, "marketing", "withdrawn", granted + DAY * (1 + r.nextInt(90)), r, brand);
        } else if (x < 0.96) {
            consent(out, id, "marketing", "granted", asOf - DAY * (396 + r.nextInt(600)), r, brand);
        } else if (x < 0.98) { // re-granted after a withdrawal: exportable again
            consent(out, id, "marketing", "withdrawn", asOf - DAY * (200 + r.nextInt(100)), r, brand);
            consent(out, id, "marketing", "granted", asOf - DAY * r.nextInt(150), r, brand);
        } else { // granted after as_of: not yet valid at as_of
            consent(out, id, "marketing", "granted", asOf + DAY * (1 + r.nextInt(10)), r, brand);
        }
    }

    private static final String[] CONSENT_SOURCES = {
        "checkout", "cookie-banner", "account-settings", "newsletter-signup"
    };

    private static void consent(
            Csv out, String id, String purpose, String status, long at, SplittableRandom r, String brand) {
        out.field(id)
                .field(purpose)
                .field(status)
                .time(at)
                .field(CONSENT_SOURCES[r.nextInt(CONSENT_SOURCES.length)])
                .field(brand)
                .end();
    }

    private static final String[] SUPPRESSION_REASONS = {"erasure", "objection", "marketing_opt_out", "restriction"};

    private void suppressions(int i, SplittableRandom r, Csv out) {
        double x = r.nextDouble();
        if (x >= 0.014) {
            return;
        }
        Person p = population.person(i);
        String reason = SUPPRESSION_REASONS[r.nextInt(SUPPRESSION_REASONS.length)];
        long at = asOf - DAY * r.nextInt(800);
        if (x < 0.01) {
            out.field(p.customerId()).field("").field(reason).time(at).end();
        } else if (!p.email().isEmpty()) {
            // by email, written differently than in customers.csv
            out.field("")
                    .field(" " + p.email().toUpperCase(Locale.ROOT) + " ")
                    .field(reason)
                    .time(at)
                    .end();
        }
    }

    private void orders(int i, SplittableRandom r, Csv out) {
        Person p = population.person(i);
        int n = (int) Math.floor(-Math.log(1 - r.nextDouble()) * 5.0);
        for (int k = 0; k < n; k++) {
            Catalog.Product product = population.catalog().pick(r, p);
            int quantity = r.nextDouble() < 0.9 ? 1 : 2 + r.nextInt(3);
            long cents = product.priceCents() * quantity;
            // recent orders are more common than old ones: the group is growing
            long age = (long) (Math.pow(r.nextDouble(), 1.6) * 450 * DAY) + r.nextInt(86_400);
            out.field("O" + p.customerId().substring(1) + "-" + k)
                    .field(p.customerId())
                    .time(asOf - age)
                    .field(product.id())
                    .field(product.category())
                    .field(product.author())
                    .field(Integer.toString(quantity))
                    .money(cents)
                    .field("SEK")
                    .end();
        }
    }

    private static final String[] EVENTS = {
        "product_view",
        "product_view",
        "product_view",
        "product_view",
        "product_view",
        "product_view",
        "product_view",
        "add_to_cart",
        "search",
        "checkout_started"
    };

    private void events(int i, SplittableRandom r, Csv out) {
        Person p = population.person(i);
        int n = (int) Math.floor(-Math.log(1 - r.nextDouble()) * 30.0);
        for (int k = 0; k < n; k++) {
            Catalog.Product product = population.catalog().pick(r, p);
            String event = EVENTS[r.nextInt(EVENTS.length)];
            long age = (long) (r.nextDouble() * 90 * DAY);
            out.field(p.customerId())
                    .time(asOf - age)
                    .field(event)
                    .field(product.id())
                    .field(product.category())
                    .field(product.url(p.brand()))
                    .end();
        }
    }
}
