package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The rules an orders.csv or events.csv record must pass (a customer_id, a readable time, and a
 * plain amount or a whole quantity where a rule reads them, see {@link RequiredCells}) and what is
 * read from it. An amount no rule needs that cannot be read counts as 0, and a quantity no rule
 * needs that is not a whole number is left unread: both are counted in the caller's {@link UnreadCells}. Rows parsed from
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
    private final boolean decimalComma;
    private final RequiredCells required;

    /**
     * @param dialect how the file writes its amounts
     * @param required the cells a rule reads on every row: one of them that cannot be read rejects its row
     */
    public ActivityRows(
            InputFile file, Header header, Timestamps timestamps, CsvDialect dialect, RequiredCells required) {
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
        this.decimalComma = dialect.decimalComma();
        this.required = required;
    }

    /** The customer_id's position, for runners that key rows by the id itself. */
    public int customerColumn() {
        return id;
    }

    /**
     * Checks a record and, when it passes, fills {@code into} with its customer (as {@code customers}
     * finds it), time, amount and cells.
     *
     * @param line the record's place in the file, for the message when its customer_id is an email address;
     *     -1 when not known, and then such a customer_id throws {@link CsvChunk.LineNeeded}
     * @param unread counts the cells of a record that passes without them
     * @return null, or the reason to reject the record
     */
    public String check(RowView row, long line, CustomerLookup customers, ActivityRecord into, UnreadCells unread) {
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
                    ? Amounts.micros(row.cell(amount), decimalComma)
                    : Amounts.micros(bytes.bytes(), bytes.start(amount), bytes.end(amount), decimalComma);
            if (money == Amounts.INVALID && required.amount()) {
                return "amount: not a plain decimal number (use '" + (decimalComma ? ',' : '.')
                        + "' for decimals, at most " + Amounts.MAX_DECIMALS + " of them)";
            }
        }
        boolean wholeQuantity = quantity < 0
                || ((bytes == null || bytes.escaped(quantity))
                        ? Amounts.isIntegerOrEmpty(row.cell(quantity))
                        : Amounts.isIntegerOrEmpty(bytes.bytes(), bytes.start(quantity), bytes.end(quantity)));
        if (!wholeQuantity && required.quantity()) {
            return "quantity: not a whole number";
        }
        // counted only once the row is kept, so that a rejected row counts no unread cells
        if (money == Amounts.INVALID) {
            unread.add("amount");
            money = 0;
        }
        if (!wholeQuantity) {
            unread.add("quantity");
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
