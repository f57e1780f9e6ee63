package se.nestit.audience.segment;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An audience rule as a marketer writes it in {@code audiences/*.yaml}: combinators over three
 * kinds of facts about one customer (their purchases, their behaviour events, their own row).
 */
public sealed interface Rule {

    /** True when every rule is. */
    record All(List<Rule> rules) implements Rule {
        public All {
            rules = nonEmpty(rules, "all");
        }
    }

    /** True when at least one rule is. */
    record Any(List<Rule> rules) implements Rule {
        public Any {
            rules = nonEmpty(rules, "any");
        }
    }

    record Not(Rule rule) implements Rule {
        public Not {
            Objects.requireNonNull(rule, "rule");
        }
    }

    /**
     * The customer's order lines that match {@code where} within the window number at least
     * {@code atLeast} and their amounts add up to at least {@code minAmount} (in millionths).
     */
    record Purchased(Where where, OptionalInt withinDays, int atLeast, long minAmount) implements Rule {
        public Purchased {
            Objects.requireNonNull(where, "where");
            checkWindow(withinDays);
            checkAtLeast(atLeast);
            if (minAmount < 0) {
                throw new IllegalArgumentException("min_amount must not be negative but was " + minAmount);
            }
        }
    }

    /** The customer's behaviour events that match within the window number at least {@code atLeast}. */
    record Event(Where where, OptionalInt withinDays, int atLeast) implements Rule {
        public Event {
            Objects.requireNonNull(where, "where");
            checkWindow(withinDays);
            checkAtLeast(atLeast);
        }
    }

    /** The customer's own customers.csv row matches. */
    record Customer(Where where) implements Rule {
        public Customer {
            Objects.requireNonNull(where, "where");
        }
    }

    private static List<Rule> nonEmpty(List<Rule> rules, String name) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one rule");
        }
        return List.copyOf(rules);
    }

    private static void checkWindow(OptionalInt withinDays) {
        if (withinDays.isPresent() && withinDays.getAsInt() < 1) {
            throw new IllegalArgumentException("within_days must be at least 1 but was " + withinDays.getAsInt());
        }
    }

    private static void checkAtLeast(int atLeast) {
        if (atLeast < 1) {
            throw new IllegalArgumentException("at_least must be at least 1 but was " + atLeast);
        }
    }
}
