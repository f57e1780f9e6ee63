package se.nestit.audience.privacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import se.nestit.audience.privacy.ContractOracle.Verdict;

/**
 * A small generated data set (the five CSV files but events) and the contract's answer for it,
 * worked out here row by row: which customers.csv rows are accepted, each one's gate verdict, and
 * so which hashes may leave under each normalization profile.
 *
 * @param asOf the run's as_of
 * @param asOfArgument how it is given on the command line
 */
record World(
        Instant asOf,
        String asOfArgument,
        int maxAgeDays,
        List<Customer> customers,
        List<Consent> consents,
        List<Suppression> suppressions,
        List<Order> orders) {

    /** A customers.csv row. */
    record Customer(String id, String email, String country) {}

    /**
     * A consents.csv row; {@code at} is null when {@code atText} is not a timestamp (the row is
     * rejected, as is one with another status than granted, denied or withdrawn).
     */
    record Consent(String customerId, String purpose, String status, Instant at, String atText) {
        Consent withCustomerId(String id) {
            return new Consent(id, purpose, status, at, atText);
        }
    }

    /** A suppressions.csv row; recorded_at is empty or a valid date (they apply whatever their date). */
    record Suppression(String customerId, String email, String reason, String recordedAt) {}

    /** An orders.csv row. */
    record Order(String customerId, String orderedAt, String category, String amount) {}

    static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    /** One instant written in one of the forms the contract accepts. */
    static String render(Instant t, int form) {
        return switch (form % 4) {
            case 1 -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.ofHours(2)));
            // a local date-time is read in the configured zone, which is UTC here
            case 2 -> LOCAL.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
            // a date is the start of that day
            case 3 ->
                t.atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay() == 0 && t.getNano() == 0
                        ? t.atOffset(ZoneOffset.UTC).toLocalDate().toString()
                        : t.toString();
            default -> t.toString();
        };
    }

    /**
     * The rows of every history and the strays in one file order, chosen by {@code seed}: rows of
     * different customers interleave, each history keeps its own order (which decides ties).
     */
    static List<Consent> interleave(List<List<Consent>> histories, List<Consent> strays, int seed) {
        List<Iterator<Consent>> open = new ArrayList<>();
        histories.forEach(h -> open.add(h.iterator()));
        open.add(strays.iterator());
        Random random = new Random(seed);
        List<Consent> out = new ArrayList<>();
        open.removeIf(it -> !it.hasNext());
        while (!open.isEmpty()) {
            Iterator<Consent> it = open.get(random.nextInt(open.size()));
            out.add(it.next());
            if (!it.hasNext()) {
                open.remove(it);
            }
        }
        return out;
    }

    // ---- the contract's answer ----

    /** The accepted customers.csv rows: the first of each customer_id (a later duplicate is rejected). */
    List<Customer> accepted() {
        Set<String> seen = new HashSet<>();
        return customers.stream().filter(c -> seen.add(c.id())).toList();
    }

    /** Per accepted customer_id, the gate's verdict by the contract. */
    Map<String, Verdict> verdicts() {
        Map<String, Verdict> out = new LinkedHashMap<>();
        for (Customer c : accepted()) {
            out.put(c.id(), verdict(c));
        }
        return out;
    }

    private Verdict verdict(Customer c) {
        String email = ContractOracle.basic(c.email());
        if (email.isEmpty()) {
            return Verdict.NO_EMAIL;
        }
        if (!ContractOracle.isValid(email)) {
            return Verdict.INVALID_EMAIL;
        }
        // a suppression by customer_id follows the person: the emails of the suppressed records count too,
        // those of its rows rejected as duplicates included
        List<String> suppressedEmails = new ArrayList<>();
        for (Suppression s : suppressions) {
            if (!s.customerId().isEmpty() && s.customerId().equals(c.id())) {
                return Verdict.SUPPRESSED;
            }
            suppressedEmails.add(ContractOracle.basic(s.email()));
            customers.stream()
                    .filter(other -> other.id().equals(s.customerId()))
                    .forEach(other -> suppressedEmails.add(ContractOracle.basic(other.email())));
        }
        for (String by : suppressedEmails) {
            if (!by.isEmpty()
                    && (by.equals(email)
                            || ContractOracle.gmailMailbox(by).equals(ContractOracle.gmailMailbox(email)))) {
                return Verdict.SUPPRESSED;
            }
        }
        // a rejected row of the purpose, or of no readable purpose, whatever its date: it cannot be read
        for (Consent r : consents) {
            if (r.customerId().equals(c.id())
                    && (r.at() == null || status(r) == null)
                    && (r.purpose().isEmpty() || r.purpose().equalsIgnoreCase("marketing"))) {
                return Verdict.CONSENT_UNREADABLE;
            }
        }
        // the latest usable marketing record at or before as_of; on equal timestamps the most
        // restrictive, whatever the row order
        List<String> restrictiveness = List.of("granted", "denied", "withdrawn");
        Consent deciding = null;
        for (Consent r : consents) {
            if (!r.customerId().equals(c.id())
                    || r.at() == null
                    || status(r) == null
                    || !r.purpose().equalsIgnoreCase("marketing")
                    || r.at().isAfter(asOf)) {
                continue;
            }
            if (deciding == null
                    || r.at().isAfter(deciding.at())
                    || (r.at().equals(deciding.at())
                            && restrictiveness.indexOf(status(r)) > restrictiveness.indexOf(status(deciding)))) {
                deciding = r;
            }
        }
        if (deciding == null) {
            return Verdict.CONSENT_MISSING;
        }
        return switch (status(deciding)) {
            case "denied" -> Verdict.CONSENT_DENIED;
            case "withdrawn" -> Verdict.CONSENT_WITHDRAWN;
            default ->
                deciding.at().isAfter(asOf.minus(Duration.ofDays(maxAgeDays)))
                        ? Verdict.EXPORTABLE
                        : Verdict.CONSENT_EXPIRED;
        };
    }

    private static String status(Consent r) {
        String s = r.status().toLowerCase(Locale.ROOT);
        return Set.of("granted", "denied", "withdrawn").contains(s) ? s : null;
    }

    List<Customer> exportable() {
        Map<String, Verdict> v = verdicts();
        return accepted().stream()
                .filter(c -> v.get(c.id()) == Verdict.EXPORTABLE)
                .toList();
    }

    /** Every hash that may leave under a profile: one of some exportable customer's email. */
    Set<String> mayLeave(String profile) {
        return exportable().stream()
                .map(c -> ContractOracle.hash(profile, c.email()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The hashes an audience that selects everyone must hold under a profile: those of exportable
     * customers whose email still looks like one in the profile's form (Google's form of
     * {@code +news@gmail.com} is {@code @gmail.com}, which no network could match, so it may be
     * left out without harm).
     */
    Set<String> everyoneMustHold(String profile) {
        return exportable().stream()
                .map(c -> ContractOracle.normalize(profile, c.email()))
                .filter(ContractOracle::isValid)
                .map(ContractOracle::sha256Hex)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** For a failure message: the accepted customers whose email has this hash in some profile, with their verdicts. */
    String whoHas(String hash) {
        Map<String, Verdict> v = verdicts();
        List<String> who = new ArrayList<>();
        for (Customer c : accepted()) {
            for (String profile : List.of("basic", "google")) {
                if (ContractOracle.hash(profile, c.email()).equals(hash)) {
                    who.add(c.id() + " " + v.get(c.id()).code() + " (" + profile + ")");
                }
            }
        }
        return hash + " <- " + (who.isEmpty() ? "no customer of this world" : String.join(", ", who));
    }

    Map<Verdict, Long> verdictCounts() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        verdicts().values().forEach(v -> counts.merge(v, 1L, Long::sum));
        return counts;
    }

    // ---- changes between two runs ----

    World withdraw(String customerId) {
        List<Consent> more = new ArrayList<>(consents);
        // at as_of itself and as the last row, so that it decides even against a grant of the same instant
        more.add(new Consent(customerId, "marketing", "withdrawn", asOf, render(asOf, 0)));
        return new World(asOf, asOfArgument, maxAgeDays, customers, more, suppressions, orders);
    }

    World suppress(Suppression s) {
        List<Suppression> more = new ArrayList<>(suppressions);
        more.add(s);
        return new World(asOf, asOfArgument, maxAgeDays, customers, consents, more, orders);
    }

    /** An erasure done at the source: the customer's rows are gone from customers.csv. */
    World delete(String customerId) {
        List<Customer> fewer =
                customers.stream().filter(c -> !c.id().equals(customerId)).toList();
        return new World(asOf, asOfArgument, maxAgeDays, fewer, consents, suppressions, orders);
    }

    // ---- files ----

    void write(Path data) throws IOException {
        Files.createDirectories(data);
        Files.writeString(
                data.resolve("customers.csv"),
                "customer_id,email,country\n"
                        + customers.stream()
                                .map(c -> c.id() + "," + quote(c.email()) + "," + c.country() + "\n")
                                .collect(Collectors.joining()));
        Files.writeString(
                data.resolve("consents.csv"),
                "customer_id,purpose,status,recorded_at\n"
                        + consents.stream()
                                .map(r ->
                                        r.customerId() + "," + r.purpose() + "," + r.status() + "," + r.atText() + "\n")
                                .collect(Collectors.joining()));
        Files.writeString(
                data.resolve("suppressions.csv"),
                "customer_id,email,reason,recorded_at\n"
                        + suppressions.stream()
                                .map(s -> s.customerId() + "," + quote(s.email()) + "," + s.reason() + ","
                                        + s.recordedAt() + "\n")
                                .collect(Collectors.joining()));
        Files.writeString(
                data.resolve("orders.csv"),
                "customer_id,ordered_at,category,amount\n"
                        + orders.stream()
                                .map(o -> o.customerId() + "," + o.orderedAt() + "," + o.category() + "," + o.amount()
                                        + "\n")
                                .collect(Collectors.joining()));
    }

    /** RFC 4180: every email cell quoted, so commas, line breaks and padding survive as written. */
    static String quote(String cell) {
        return "\"" + cell.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("World as_of " + asOfArgument + ", max_age_days " + maxAgeDays + "\n");
        Map<String, Verdict> v = verdicts();
        List<Customer> accepted = accepted();
        customers.forEach(c -> s.append("  customer ")
                .append(c.id())
                .append(' ')
                .append(escape(c.email()))
                .append(" -> ")
                .append(accepted.stream().anyMatch(a -> a == c) ? v.get(c.id()) : "duplicate id, rejected")
                .append('\n'));
        consents.forEach(r -> s.append("  consent ").append(r).append('\n'));
        suppressions.forEach(r -> s.append("  suppression ")
                .append(r.customerId())
                .append(' ')
                .append(escape(r.email()))
                .append('\n'));
        orders.forEach(o -> s.append("  order ").append(o).append('\n'));
        return s.toString();
    }

    /** Invisible characters made visible in failure reports. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder("'");
        for (char ch : s.toCharArray()) {
            out.append(
                    ch >= 0x20 && ch < 0x7F || Character.isLetterOrDigit(ch)
                            ? String.valueOf(ch)
                            : String.format("\\u%04X", (int) ch));
        }
        return out.append('\'').toString();
    }
}
