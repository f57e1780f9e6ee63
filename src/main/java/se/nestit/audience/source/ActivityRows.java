package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The rules an orders.csv or events.csv record must pass (a customer_id, a readable time, a plain
 * amount and a whole quantity where the file has them) and what is read from it. Rows parsed from
 * bytes are read without building strings for those cells; any other {@link RowView} (a Spark
 * row) gives the same answers through the cells' text.
 */
public final class ActivityRows {

    private static final int BLANK = -2;

    private final Timestamps timestamps;
    private final Header header;
    private final String timeColumn;
    private final int id;
    private final int at;
    private final int amount;
    private final int quantity;

    public ActivityRows(InputFile file, Header header, Timestamps timestamps) {
        if (file != InputFile.ORDERS && file != InputFile.EVENTS) {
            throw new IllegalArgumentException("expected orders or events but was " + file);
        }
        this.timestamps = timestamps;
        this.header = header;
        this.timeColumn = file == InputFile.ORDERS ? "ordered_at" : "occurred_at";
        this.id = header.indexOf("customer_id");
        this.at = header.indexOf(timeColumn);
        this.amount = file == InputFile.ORDERS ? header.indexOf("amount") : -1;
        this.quantity = file == InputFile.ORDERS ? header.indexOf("quantity") : -1;
    }

    /** The customer_id's position, for runners that key rows by the id itself. */
    public int customerColumn() {
        return id;
    }

    /**
     * Checks a record and, when it passes, fills {@code into} with its customer (as {@code customers}
     * finds it), time, amount and cells.
     *
     * @param line the record's place in the file, for the message when its customer_id is an email address
     * @return null, or the reason to reject the record
     */
    public String check(RowView row, long line, CustomerLookup customers, ActivityRecord into) {
        ByteRecord bytes = row instanceof ByteRecord b ? b : null;
        if (bytes == null || bytes.escaped(id)) {
            CustomerIds.refuseEmail(row.cell(id), header, id, line);
        } else {
            CustomerIds.refuseEmail(bytes.bytes(), bytes.start(id), bytes.end(id), header, id, line);
        }
        int customer = bytes == null || bytes.escaped(id)
                ? blankOr(row.cell(id), customers)
                : blankOr(bytes.bytes(), bytes.start(id), bytes.end(id), customers);
        if (customer == BLANK) {
            return "customer_id is empty";
        }
        long when = bytes == null || bytes.escaped(at)
                ? timestamps.micros(row.cell(at))
                : timestamps.micros(bytes.bytes(), bytes.start(at), bytes.end(at));
        if (when == Timestamps.INVALID) {
            return Cells.isEmpty(row.cell(at)) ? timeColumn + " is empty" : Cells.notATimestamp(timeColumn);
        }
        long money = 0;
        if (amount >= 0) {
            money = bytes == null || bytes.escaped(amount)
                    ? Amounts.micros(row.cell(amount))
                    : Amounts.micros(bytes.bytes(), bytes.start(amount), bytes.end(amount));
            if (money == Amounts.INVALID) {
                return "amount: not a plain decimal number (use '.' for decimals, at most "
                        + Amounts.MAX_DECIMALS + " of them)";
            }
        }
        if (quantity >= 0 && !((bytes == null || bytes.escaped(quantity))
                ? Amounts.isIntegerOrEmpty(row.cell(quantity))
                : Amounts.isIntegerOrEmpty(bytes.bytes(), bytes.start(quantity), bytes.end(quantity)))) {
            return "quantity: not a whole number";
        }
        into.set(customer, when, money, row);
        return null;
    }

    /** The customer's index, -1 for an unknown id, {@link #BLANK} for an empty cell. */
    private static int blankOr(String cell, CustomerLookup customers) {
        String idValue = WhiteSpace.strip(cell);
        return idValue.isEmpty() ? BLANK : customers.indexOf(idValue);
    }

    private static int blankOr(byte[] b, int from, int to, CustomerLookup customers) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                // Unicode white space is more than ASCII's: let the string path trim it
                return blankOr(new String(b, from, to - from, StandardCharsets.UTF_8), customers);
            }
            if (!Timestamps.isAsciiSpace(b[i])) {
                return customers.indexOf(b, from, to);
            }
        }
        return BLANK;
    }
}
