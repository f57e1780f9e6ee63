package se.nestit.audience.segment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RequiredCells;
import se.nestit.audience.source.RowView;
import se.nestit.audience.source.Timestamps;

/**
 * Audience rules compiled for one run: the counters and customer filters they need, computed in one
 * streaming pass over the data, and per audience a predicate over those {@link Facts}. Pure: no
 * I/O, no threads; runners feed it rows and ask it questions.
 */
public final class SegmentProgram {

    /** A counter's identity: rules that need the same rows share one. */
    private record CounterKey(InputFile file, Where where, long after) {}

    private final long asOf;
    private final List<ActivityCounter> counters;
    private final List<RowFilter> customerFilters;
    private final Map<String, Predicate<Facts>> audiences;
    private final Map<InputFile, List<ValueProbe.Column>> probed;
    private final RequiredCells requiredCells;

    private SegmentProgram(
            long asOf,
            List<ActivityCounter> counters,
            List<RowFilter> customerFilters,
            Map<String, Predicate<Facts>> audiences,
            Map<InputFile, List<ValueProbe.Column>> probed,
            RequiredCells requiredCells) {
        this.asOf = asOf;
        this.counters = counters;
        this.customerFilters = customerFilters;
        this.audiences = audiences;
        this.probed = probed;
        this.requiredCells = requiredCells;
    }

    /**
     * @param headers the header of each input file, to bind column names to positions
     * @param asOf the instant the run evaluates at; windows end here and later rows never count
     */
    public static SegmentProgram compile(
            List<AudienceDefinition> definitions, Function<InputFile, Header> headers, Instant asOf) {
        return new Compiler(headers, Timestamps.toMicros(asOf)).compile(definitions);
    }

    /** {@code as_of} in microseconds; rows after it never count. */
    public long asOf() {
        return asOf;
    }

    public List<ActivityCounter> counters() {
        return counters;
    }

    /** The counters fed by one file; empty when no rule needs the file. */
    public List<ActivityCounter> counters(InputFile file) {
        return counters.stream().filter(c -> c.file() == file).toList();
    }

    /**
     * The cells of order lines that a rule reads: amounts with a {@code min_amount} or a range,
     * quantities with a range. An order line whose required cell cannot be read is rejected, where
     * otherwise it counts without it.
     */
    public RequiredCells requiredCells() {
        return requiredCells;
    }

    public int customerFilterCount() {
        return customerFilters.size();
    }

    /** Whether a customers.csv row passes customer filter {@code slot}. */
    public boolean customerMatches(int slot, RowView row) {
        return customerFilters.get(slot).matches(row);
    }

    /** Whether an activity row at {@code at} can count at all: it happened at or before {@code as_of}. */
    public boolean inTime(long at) {
        return at <= asOf;
    }

    /** A new probe for the values the rules ask of a file's columns (one per reading thread). */
    public ValueProbe probe(InputFile file) {
        return new ValueProbe(file, probed.getOrDefault(file, List.of()));
    }

    public boolean selects(String audienceId, Facts facts) {
        return rule(audienceId).test(facts);
    }

    /** The audience's rule, for asking it of every customer without finding it by id each time. */
    public Predicate<Facts> rule(String audienceId) {
        Predicate<Facts> p = audiences.get(audienceId);
        if (p == null) {
            throw new IllegalArgumentException("no audience '" + audienceId + "' in this program");
        }
        return p;
    }

    private static final class Compiler {
        private final Function<InputFile, Header> headers;
        private final long asOf;
        private final Map<CounterKey, ActivityCounter> counters = new LinkedHashMap<>();
        private final Map<Where, Integer> customerSlots = new LinkedHashMap<>();
        private final List<RowFilter> customerFilters = new ArrayList<>();
        /** Per file, per column, the values equality asks of it. */
        private final Map<InputFile, Map<String, Set<String>>> probed = new EnumMap<>(InputFile.class);

        private boolean amountNeeded;
        private boolean quantityNeeded;

        Compiler(Function<InputFile, Header> headers, long asOf) {
            this.headers = headers;
            this.asOf = asOf;
        }

        SegmentProgram compile(List<AudienceDefinition> definitions) {
            Map<String, Predicate<Facts>> audiences = new LinkedHashMap<>();
            for (AudienceDefinition d : definitions) {
                audiences.put(d.id(), predicate(d.rule()));
            }
            Map<InputFile, List<ValueProbe.Column>> columns = new EnumMap<>(InputFile.class);
            probed.forEach((file, values) -> {
                Header header = headers.apply(file);
                columns.put(
                        file,
                        values.entrySet().stream()
                                .map(e -> new ValueProbe.Column(
                                        e.getKey(), header.indexOf(e.getKey()), List.copyOf(e.getValue())))
                                .toList());
            });
            return new SegmentProgram(
                    asOf,
                    List.copyOf(counters.values()),
                    List.copyOf(customerFilters),
                    Map.copyOf(audiences),
                    columns,
                    new RequiredCells(amountNeeded, quantityNeeded));
        }

        /** Notes the values a filter's equality asks of columns that may be printed. */
        private void probe(InputFile file, Where where) {
            where.columns().forEach((column, condition) -> {
                if (condition instanceof Condition.OneOf oneOf && !ValueProbe.personal(column)) {
                    probed.computeIfAbsent(file, f -> new LinkedHashMap<>())
                            .computeIfAbsent(column, c -> new TreeSet<>())
                            .addAll(oneOf.values());
                }
            });
        }

        private Predicate<Facts> predicate(Rule rule) {
            if (rule instanceof Rule.All all) {
                List<Predicate<Facts>> parts =
                        all.rules().stream().map(this::predicate).toList();
                return f -> {
                    for (Predicate<Facts> p : parts) {
                        if (!p.test(f)) {
                            return false;
                        }
                    }
                    return true;
                };
            }
            if (rule instanceof Rule.Any any) {
                List<Predicate<Facts>> parts =
                        any.rules().stream().map(this::predicate).toList();
                return f -> {
                    for (Predicate<Facts> p : parts) {
                        if (p.test(f)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            if (rule instanceof Rule.Not not) {
                return predicate(not.rule()).negate();
            }
            if (rule instanceof Rule.Purchased p) {
                // the sum counts even without min_amount (default 0): lines that are all refunds are no purchase
                int slot = counter(
                        InputFile.ORDERS,
                        p.where(),
                        p.withinDays().isPresent() ? p.withinDays().getAsInt() : -1,
                        true);
                int atLeast = p.atLeast();
                long minAmount = p.minAmount();
                amountNeeded |= minAmount > 0;
                return f -> f.count(slot) >= atLeast && f.amount(slot) >= minAmount;
            }
            if (rule instanceof Rule.Event e) {
                int slot = counter(
                        InputFile.EVENTS,
                        e.where(),
                        e.withinDays().isPresent() ? e.withinDays().getAsInt() : -1,
                        false);
                int atLeast = e.atLeast();
                return f -> f.count(slot) >= atLeast;
            }
            if (rule instanceof Rule.Customer c) {
                probe(InputFile.CUSTOMERS, c.where());
                int slot = customerSlots.computeIfAbsent(c.where(), w -> {
                    customerFilters.add(RowFilter.compile(w, headers.apply(InputFile.CUSTOMERS)));
                    return customerFilters.size() - 1;
                });
                return f -> f.customer(slot);
            }
            throw new IllegalStateException("unknown rule " + rule);
        }

        private static boolean rangesOn(Where where, String column) {
            return where.columns().get(column) instanceof Condition.Range;
        }

        /** @param withinDays the window, or -1 for all rows up to as_of */
        private int counter(InputFile file, Where where, int withinDays, boolean sumsAmounts) {
            probe(file, where);
            // a range reads its column on every row: a line whose amount or quantity cannot be read is
            // rejected, not guessed at (it might have matched)
            amountNeeded |= file == InputFile.ORDERS && rangesOn(where, "amount");
            quantityNeeded |= file == InputFile.ORDERS && rangesOn(where, "quantity");
            long after = withinDays < 0
                    ? Long.MIN_VALUE
                    : asOf - Duration.ofDays(withinDays).toNanos() / 1_000;
            CounterKey key = new CounterKey(file, where, after);
            ActivityCounter existing = counters.get(key);
            if (existing != null) {
                if (sumsAmounts && !existing.sumsAmounts()) {
                    ActivityCounter summing =
                            new ActivityCounter(existing.slot(), file, existing.filter(), after, true);
                    counters.put(key, summing);
                }
                return existing.slot();
            }
            ActivityCounter c = new ActivityCounter(
                    counters.size(), file, RowFilter.compile(where, headers.apply(file)), after, sumsAmounts);
            counters.put(key, c);
            return c.slot();
        }
    }
}
