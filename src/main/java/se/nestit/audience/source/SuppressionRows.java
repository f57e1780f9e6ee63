package se.nestit.audience.source;

import java.util.function.Consumer;
import se.nestit.audience.identity.WhiteSpace;

/** The rule a suppressions.csv record must pass: it names someone, by customer_id or by email. */
public final class SuppressionRows {

    private final Header header;
    private final int id;
    private final int email;

    public SuppressionRows(Header header) {
        this.header = header;
        this.id = header.indexOf("customer_id");
        this.email = header.indexOf("email");
    }

    /**
     * Checks a record and hands it on when it passes. recorded_at is not read: a suppression applies
     * whatever its date, so a date no one can read must not undo it (rejecting the row would export
     * the person).
     *
     * @return null, or the reason to reject the record
     */
    public String check(RowView row, long line, Consumer<SuppressionRow> sink) {
        String customerId = id < 0 ? "" : WhiteSpace.strip(row.cell(id));
        String mail = email < 0 ? "" : row.cell(email);
        if (customerId.isEmpty() && WhiteSpace.strip(mail).isEmpty()) {
            return "customer_id and email are both empty";
        }
        CustomerIds.refuseEmail(customerId, header, id, line);
        sink.accept(new SuppressionRow(line, customerId, mail));
        return null;
    }
}
