package se.nestit.audience.source;

/**
 * One accepted customers.csv record, its customer_id (stripped) and raw email cell as UTF-8 bytes.
 * The email is normalized by the consent gate and must never be logged. {@code cells} gives every
 * column, for rules on the customer's own row. The reader refills the same one for every record:
 * it is valid only while the row is handled.
 */
public final class CustomerRow {

    private final Utf8Cell id = new Utf8Cell();
    private final Utf8Cell email = new Utf8Cell();
    private long line;
    private RowView cells;

    CustomerRow() {}

    void set(long line, RowView cells) {
        this.line = line;
        this.cells = cells;
    }

    public long line() {
        return line;
    }

    public Utf8Cell id() {
        return id;
    }

    public String customerId() {
        return id.text();
    }

    /** The raw email cell. */
    public Utf8Cell emailCell() {
        return email;
    }

    public String email() {
        return email.text();
    }

    public RowView cells() {
        return cells;
    }
}
