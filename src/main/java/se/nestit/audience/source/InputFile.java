package se.nestit.audience.source;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** The five CSV files of the input contract, with the columns each must and may have. */
@SuppressWarnings("ImmutableEnumChecker") // its lists are List.of, which cannot change
public enum InputFile {
    CUSTOMERS(
            true,
            List.of("customer_id", "email"),
            List.of("phone", "first_name", "last_name", "country", "postal_code", "brand", "created_at")),
    CONSENTS(true, List.of("customer_id", "purpose", "status", "recorded_at"), List.of("source", "brand")),
    /** Needs customer_id or email; {@link Header} checks that rule itself. */
    SUPPRESSIONS(true, List.of(), List.of("customer_id", "email", "reason", "recorded_at")),
    ORDERS(
            false,
            List.of("customer_id", "ordered_at"),
            List.of("order_id", "product_id", "category", "author", "quantity", "amount", "currency")),
    EVENTS(false, List.of("customer_id", "occurred_at", "event"), List.of("product_id", "category", "url"));

    private final boolean mustExist;
    private final List<String> requiredColumns;
    private final List<String> optionalColumns;

    InputFile(boolean mustExist, List<String> requiredColumns, List<String> optionalColumns) {
        this.mustExist = mustExist;
        this.requiredColumns = requiredColumns;
        this.optionalColumns = optionalColumns;
    }

    /** {@code customers.csv}, ... */
    public String fileName() {
        return stem() + ".csv";
    }

    /** {@code customers}, ...: the key of this file in the config's {@code columns:} mapping. */
    public String stem() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * customers.csv, consents.csv and suppressions.csv must exist; a missing other file counts as
     * empty. A missing suppression list is far more often a broken export than an empty one.
     */
    public boolean mustExist() {
        return mustExist;
    }

    /**
     * The message for a required file that is not there.
     *
     * @param name the file's name as looked for ({@code suppressions.csv}, {@code suppressions.parquet})
     */
    public String notFound(Object path, String name) {
        return path + ": file not found (" + name + " is required"
                + (this == SUPPRESSIONS ? "; a file with only the header row declares \"no suppressions\"" : "") + ")";
    }

    public List<String> requiredColumns() {
        return requiredColumns;
    }

    /** The columns the contract names for this file, required and optional. */
    public List<String> contractColumns() {
        return Stream.concat(requiredColumns.stream(), optionalColumns.stream()).toList();
    }

    public static Optional<InputFile> forKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return Stream.of(values())
                .filter(f -> f.stem().equals(k) || f.fileName().equals(k))
                .findFirst();
    }
}
