package se.nestit.audience.source;

import java.util.function.BiConsumer;
import java.util.function.Function;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The rules a customers.csv record must pass on its own (an id, a readable created_at if any);
 * whether its id is a duplicate only the reader of the whole file can tell. Not thread-safe: one
 * per reading thread.
 */
public final class CustomerRows {

    private final Timestamps timestamps;
    private final Header header;
    private final int id;
    private final int email;
    private final int createdAt;
    /** Each record that passes in turn, handed to the sink. */
    private final CustomerRow into = new CustomerRow();

    public CustomerRows(Header header, Timestamps timestamps) {
        this.timestamps = timestamps;
        this.header = header;
        this.id = header.indexOf("customer_id");
        this.email = header.indexOf("email");
        this.createdAt = header.indexOf("created_at");
    }

    /**
     * @param sink takes a record that passes and answers null to accept it or the reason to reject it
     * @param rejected takes the customer_id and raw email of a record rejected here, a bad
     *     created_at say: still that person's address, for a suppression by the id to follow
     * @return null, or the reason to reject the record
     */
    public String check(
            RowView row, long line, Function<CustomerRow, String> sink, BiConsumer<String, String> rejected) {
        Utf8Cell customerId = into.id();
        customerId.strip(row, id);
        if (customerId.isEmpty()) {
            return "customer_id is empty";
        }
        CustomerIds.refuseEmail(customerId.bytes(), customerId.from(), customerId.to(), header, id, line);
        if (createdAt >= 0 && !readable(row, createdAt) && !Cells.isEmpty(row.cell(createdAt))) {
            rejected.accept(customerId.text(), row.cell(email));
            return Cells.notATimestamp("created_at");
        }
        into.emailCell().raw(row, email);
        into.set(line, row);
        return sink.apply(into);
    }

    /** Whether a cell is a timestamp, read from its bytes when it has them. */
    private boolean readable(RowView row, int column) {
        long micros = row instanceof ByteRecord r && !r.escaped(column)
                ? timestamps.micros(r.bytes(), r.start(column), r.end(column))
                : timestamps.micros(row.cell(column));
        return micros != Timestamps.INVALID;
    }

    /**
     * A record rejected for its shape may be a person's only row too, so it offers the cells at the
     * customer_id and email columns when it has them. They may be shifted: then a suppressed id
     * suppresses some other address, which fails closed.
     */
    public void misshapen(ByteRecord record, BiConsumer<String, String> rejected) {
        String customerId = record.width() > Math.max(id, email) ? WhiteSpace.strip(record.cell(id)) : "";
        if (!customerId.isEmpty()) {
            rejected.accept(customerId, record.cell(email));
        }
    }
}
