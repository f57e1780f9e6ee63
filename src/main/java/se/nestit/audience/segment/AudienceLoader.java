package se.nestit.audience.segment;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.source.Amounts;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.ValueSet;

/**
 * Reads and validates audience definitions strictly: an unknown key, a wrong type, a column the
 * data does not have or a destination the config does not define stops the run with the file and
 * the path inside it, before any customer data is read.
 */
public final class AudienceLoader {

    private static final List<String> TOP_KEYS =
            List.of("id", "description", "destinations", "sync", "min_size", "adopt", "rule");
    private static final List<String> RULE_KEYS = List.of("all", "any", "not", "purchased", "event", "customer");
    private static final List<String> PURCHASED_KEYS = List.of("where", "within_days", "at_least", "min_amount");
    private static final List<String> EVENT_KEYS = List.of("type", "where", "within_days", "at_least");
    private static final List<String> CUSTOMER_KEYS = List.of("where");
    private static final List<String> TEXT_OPERATORS = List.of("in", "contains", "starts_with");
    private static final List<String> OPERATORS = List.of("in", "contains", "starts_with", "gte", "gt", "lte", "lt");
    /** The input contract's columns that hold numbers, all in orders.csv. */
    private static final List<String> NUMERIC_COLUMNS = List.of("amount", "quantity");

    private static final int MAX_WITHIN_DAYS = 36_500;

    private final List<String> destinationIds;
    private final Function<InputFile, Header> headers;

    /**
     * @param destinationIds the destinations the config defines, in config order
     * @param headers the data's header per input file, to check the columns rules name
     */
    public AudienceLoader(List<String> destinationIds, Function<InputFile, Header> headers) {
        this.destinationIds = List.copyOf(destinationIds);
        this.headers = headers;
    }

    /** Every {@code *.yaml} and {@code *.yml} file in {@code dir}, in file name order. */
    public List<AudienceDefinition> loadAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DefinitionException(dir + ": audiences directory not found");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> {
                        String name = p.getFileName().toString();
                        return (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(p);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DefinitionException(dir + ": cannot list the audiences directory (" + e.getMessage() + ")", e);
        }
        List<AudienceDefinition> audiences = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path file : files) {
            AudienceDefinition a = load(file);
            Path other = seen.putIfAbsent(a.id(), file);
            if (other != null) {
                throw new DefinitionException(file + ": id '" + a.id() + "' is already used by " + other);
            }
            audiences.add(a);
        }
        return List.copyOf(audiences);
    }

    public AudienceDefinition load(Path file) {
        return parse(YamlNode.read(file), file);
    }

    /** A definition whose file was read elsewhere: a Spark task gets the text, not the file. */
    public AudienceDefinition load(Path file, String content) {
        return parse(YamlNode.parse(file.toString(), content), file);
    }

    /**
     * The definitions {@code --only} names, in definition order; all of them when it names none.
     *
     * @throws DefinitionException when it names an audience that has no definition
     */
    public static List<AudienceDefinition> select(List<AudienceDefinition> all, Set<String> only) {
        if (only.isEmpty()) {
            return all;
        }
        List<String> known = all.stream().map(AudienceDefinition::id).toList();
        List<String> unknown =
                only.stream().filter(id -> !known.contains(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new DefinitionException("--only: unknown audience " + String.join(", ", unknown) + " (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
        List<AudienceDefinition> selected = new ArrayList<>();
        for (AudienceDefinition a : all) {
            if (only.contains(a.id())) {
                selected.add(a);
            }
        }
        return selected;
    }

    AudienceDefinition parse(YamlNode root, Path file) {
        Map<String, YamlNode> top = root.fields(TOP_KEYS);
        String id = top.containsKey("id") ? root.get("id").string() : idFromFileName(file);
        if (!AudienceDefinition.ID.matcher(id).matches()) {
            throw top.containsKey("id")
                    ? root.get("id").error("must be lowercase letters, digits and '-' only")
                    : new DefinitionException(file + ": the file name does not make a valid id (lowercase letters, "
                            + "digits and '-'); rename the file or set 'id:'");
        }
        String description = root.get("description").optionalString().orElse("");
        List<String> destinations = destinations(root.get("destinations"));
        SyncMode sync = syncMode(root.get("sync"));
        int minSize = root.get("min_size").isNullOrMissing()
                ? AudienceDefinition.DEFAULT_MIN_SIZE
                : root.get("min_size").integer(0, Integer.MAX_VALUE);
        boolean adopt =
                !root.get("adopt").isNullOrMissing() && root.get("adopt").bool();
        YamlNode ruleNode = root.get("rule");
        if (ruleNode.isNullOrMissing()) {
            throw ruleNode.error("missing: every audience needs a rule");
        }
        return new AudienceDefinition(id, description, destinations, sync, minSize, adopt, rule(ruleNode), file);
    }

    private static String idFromFileName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private List<String> destinations(YamlNode node) {
        if (node.isNullOrMissing()) {
            return destinationIds;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (YamlNode item : node.items()) {
            String id = item.string();
            if (!destinationIds.contains(id)) {
                throw item.error("unknown destination '" + id + "' (the config defines "
                        + (destinationIds.isEmpty() ? "none" : String.join(", ", destinationIds)) + ")");
            }
            if (!ids.add(id)) {
                throw item.error("destination '" + id + "' is listed twice");
            }
        }
        return List.copyOf(ids);
    }

    private static SyncMode syncMode(YamlNode node) {
        if (node.isNullOrMissing()) {
            return SyncMode.MIRROR;
        }
        String value = node.string();
        for (SyncMode mode : SyncMode.values()) {
            if (mode.configName().equals(value)) {
                return mode;
            }
        }
        throw node.error("expected mirror or add-only");
    }

    private Rule rule(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(RULE_KEYS);
        if (fields.size() != 1) {
            throw node.error("expected exactly one of " + String.join(", ", RULE_KEYS) + " but found "
                    + (fields.isEmpty() ? "none" : String.join(", ", fields.keySet())));
        }
        YamlNode body = fields.values().iterator().next();
        return switch (body.key()) {
            case "all" -> new Rule.All(rules(body));
            case "any" -> new Rule.Any(rules(body));
            case "not" -> new Rule.Not(rule(body));
            case "purchased" -> purchased(body);
            case "event" -> event(body);
            case "customer" -> customer(body);
            default -> throw new IllegalStateException("unreachable: " + body.key());
        };
    }

    private List<Rule> rules(YamlNode node) {
        List<YamlNode> items = node.items();
        if (items.isEmpty()) {
            throw node.error("expected at least one rule");
        }
        return items.stream().map(this::rule).toList();
    }

    private Rule purchased(YamlNode node) {
        Header orders = requireFile(node, InputFile.ORDERS);
        if (node.isNullOrMissing()) {
            return new Rule.Purchased(Where.ANY_ROW, OptionalInt.empty(), 1, 0);
        }
        node.fields(PURCHASED_KEYS);
        return new Rule.Purchased(
                where(node.get("where"), orders),
                withinDays(node.get("within_days")),
                atLeast(node.get("at_least")),
                minAmount(node.get("min_amount")));
    }

    private Rule event(YamlNode node) {
        Header events = requireFile(node, InputFile.EVENTS);
        if (node.isNullOrMissing()) {
            return new Rule.Event(Where.ANY_ROW, OptionalInt.empty(), 1);
        }
        node.fields(EVENT_KEYS);
        Where where = where(node.get("where"), events);
        YamlNode type = node.get("type");
        if (!type.isNullOrMissing()) {
            if (where.columns().containsKey("event")) {
                throw type.error("give the event type either as 'type' or as 'where: {event: ...}', not both");
            }
            where = where.and("event", type.scalarText());
        }
        return new Rule.Event(where, withinDays(node.get("within_days")), atLeast(node.get("at_least")));
    }

    private Rule customer(YamlNode node) {
        Header customers = headers.apply(InputFile.CUSTOMERS);
        if (node.isNullOrMissing()) {
            // every customer; the consent gate still decides who may be exported
            return new Rule.Customer(Where.ANY_ROW);
        }
        node.fields(CUSTOMER_KEYS);
        return new Rule.Customer(where(node.get("where"), customers));
    }

    private Header requireFile(YamlNode node, InputFile file) {
        Header header = headers.apply(file);
        if (!header.present()) {
            throw node.error(
                    "needs " + file.fileName() + ", which is not in the data directory (" + header.path() + ")");
        }
        return header;
    }

    private static Where where(YamlNode node, Header header) {
        if (node.isNullOrMissing()) {
            return Where.ANY_ROW;
        }
        Map<String, YamlNode> fields = node.fields();
        if (fields.isEmpty()) {
            throw node.error("expected at least one 'column: value'");
        }
        Map<String, Condition> columns = new LinkedHashMap<>();
        for (YamlNode column : fields.values()) {
            if (!header.has(column.key())) {
                throw column.error("column '" + column.key() + "' is not in "
                        + header.file().fileName() + " (its columns: " + String.join(", ", header.columns()) + ")");
            }
            if (columns.put(ValueSet.comparable(column.key()), condition(column, header)) != null) {
                throw column.error("column '" + column.key() + "' is filtered twice (names are case-insensitive)");
            }
        }
        return new Where(columns);
    }

    /** A value, a list of values, or one operator (two for a range) on a column. */
    private static Condition condition(YamlNode column, Header header) {
        if (column.isList()) {
            return new Condition.OneOf(values(column));
        }
        if (!column.isMap()) {
            return new Condition.OneOf(Set.of(column.scalarText()));
        }
        Map<String, YamlNode> operators = column.fields(OPERATORS);
        if (operators.isEmpty()) {
            throw column.error("expected a value, a list of values or one of " + String.join(", ", OPERATORS));
        }
        List<String> text =
                operators.keySet().stream().filter(TEXT_OPERATORS::contains).toList();
        if (!text.isEmpty()) {
            if (operators.size() > 1) {
                throw column.error("expected one of " + String.join(", ", TEXT_OPERATORS) + " alone but found "
                        + String.join(", ", operators.keySet()));
            }
            YamlNode operand = operators.get(text.get(0));
            try {
                return switch (text.get(0)) {
                    case "in" -> new Condition.OneOf(values(operand));
                    case "contains" -> new Condition.Contains(operand.scalarText());
                    case "starts_with" -> new Condition.StartsWith(operand.scalarText());
                    default -> throw new IllegalStateException("unreachable: " + text.get(0));
                };
            } catch (IllegalArgumentException e) {
                throw operand.error(e.getMessage());
            }
        }
        if (header.file() != InputFile.ORDERS || !NUMERIC_COLUMNS.contains(ValueSet.comparable(column.key()))) {
            throw column.error(String.join(", ", operators.keySet()) + " compares numbers, and only "
                    + String.join(" and ", NUMERIC_COLUMNS) + " of orders.csv hold numbers");
        }
        if ((operators.containsKey("gte") && operators.containsKey("gt"))
                || (operators.containsKey("lte") && operators.containsKey("lt"))) {
            throw column.error("expected at most one lower bound (gte, gt) and one upper bound (lte, lt)");
        }
        long min;
        long max;
        try {
            min = operators.containsKey("gte")
                    ? micros(operators.get("gte"))
                    : operators.containsKey("gt") ? Math.addExact(micros(operators.get("gt")), 1) : Long.MIN_VALUE;
            max = operators.containsKey("lte")
                    ? micros(operators.get("lte"))
                    : operators.containsKey("lt") ? Math.subtractExact(micros(operators.get("lt")), 1) : Long.MAX_VALUE;
        } catch (ArithmeticException e) {
            throw column.error("a bound is too large");
        }
        if (min > max) {
            throw column.error("no number is "
                    + String.join(
                            " and ",
                            operators.entrySet().stream()
                                    .map(o -> o.getKey() + " " + o.getValue().scalarText())
                                    .toList()));
        }
        return new Condition.Range(min, max);
    }

    private static Set<String> values(YamlNode list) {
        if (!list.isList()) {
            throw list.error("expected a list of values");
        }
        if (list.items().isEmpty()) {
            throw list.error("expected at least one value");
        }
        Set<String> values = new LinkedHashSet<>();
        list.items().forEach(v -> values.add(v.scalarText()));
        return values;
    }

    /** A number as written in a rule, exactly, in millionths as amounts are read ({@link Amounts}). */
    private static long micros(YamlNode node) {
        BigDecimal number = node.decimal();
        if (number.stripTrailingZeros().scale() > Amounts.MAX_DECIMALS) {
            throw node.error("has more than " + Amounts.MAX_DECIMALS + " decimals");
        }
        try {
            return number.movePointRight(Amounts.MAX_DECIMALS).longValueExact();
        } catch (ArithmeticException e) {
            throw node.error("is too large");
        }
    }

    private static OptionalInt withinDays(YamlNode node) {
        return node.isNullOrMissing() ? OptionalInt.empty() : OptionalInt.of(node.integer(1, MAX_WITHIN_DAYS));
    }

    private static int atLeast(YamlNode node) {
        return node.isNullOrMissing() ? 1 : node.integer(1, Integer.MAX_VALUE);
    }

    private static long minAmount(YamlNode node) {
        if (node.isNullOrMissing()) {
            return 0;
        }
        long micros = micros(node);
        if (micros < 0) {
            throw node.error("must not be negative");
        }
        return micros;
    }
}
