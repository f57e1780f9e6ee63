package se.nestit.audience.source;

import java.util.function.Function;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The rules a customers.csv record must pass on its own (an id, a readable created_at if any);
 * whether its id is a duplicate only the reader of the whole file can tell.
 */
public final class CustomerRows {

    private final Timestamps timestamps;
    private final Header header;
    private final int id;
    private final int email;
    private final int createdAt;

    public CustomerRows(Header header, Timestamps timestamps) {
        this.timestamps = timestamps;
        this.header = header;
        this.id = header.indexOf("customer_id");
        this.email = header.indexOf("email");
        this.createdAt = header.indexOf("created_at");
    }

    /**
     * @param sink takes a record that passes and answers null to accept it or the reason to reject it
     * @return null, or the reason to reject the record
     */
    public String check(RowView row, long line, Function<CustomerRow, String> sink) {
        String customerId = WhiteSpace.strip(row.cell(id));
        if (customerId.isEmpty()) {
            return "customer_id is empty";
        }
        CustomerIds.refuseEmail(customerId, header, id, line);
        if (createdAt >= 0 && !Cells.isEmpty(row.cell(createdAt)) && timestamps.micros(row.cell(createdAt)) == Timestamps.INVALID) {
            return Cells.notATimestamp("created_at");
        }
        return sink.apply(new CustomerRow(line, customerId, row.cell(email), row));
    }
}
