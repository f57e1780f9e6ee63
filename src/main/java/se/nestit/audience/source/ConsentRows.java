package se.nestit.audience.source;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The rules a consents.csv record must pass (an id, a purpose, a known status, a readable
 * recorded_at) and the record it becomes. Not thread-safe: one per reading thread.
 */
public final class ConsentRows {

    private final Timestamps timestamps;
    private final Header header;
    private final int id;
    private final int purpose;
    private final int status;
    private final int recordedAt;
    private final int source;
    private final int brand;
    // purposes, sources and brands are a handful of values repeated a million times: keep one copy of each
    private final Map<String, String> shared = new HashMap<>();

    public ConsentRows(Header header, Timestamps timestamps) {
        this.timestamps = timestamps;
        this.header = header;
        this.id = header.indexOf("customer_id");
        this.purpose = header.indexOf("purpose");
        this.status = header.indexOf("status");
        this.recordedAt = header.indexOf("recorded_at");
        this.source = header.indexOf("source");
        this.brand = header.indexOf("brand");
    }

    /**
     * @param line the record's place in the file: later rows win ties between equal timestamps
     * @return null, or the reason to reject the record
     */
    public String check(RowView row, long line, Consumer<ConsentRecord> sink) {
        String customerId = WhiteSpace.strip(row.cell(id));
        if (customerId.isEmpty()) {
            return "customer_id is empty";
        }
        CustomerIds.refuseEmail(customerId, header, id, line);
        String purposeValue = WhiteSpace.strip(row.cell(purpose));
        if (purposeValue.isEmpty()) {
            return "purpose is empty";
        }
        Optional<ConsentStatus> statusValue = ConsentStatus.parse(row.cell(status));
        if (statusValue.isEmpty()) {
            return "status: expected granted, denied or withdrawn";
        }
        Optional<Instant> at = timestamps.instant(row.cell(recordedAt));
        if (at.isEmpty()) {
            return Cells.isEmpty(row.cell(recordedAt)) ? "recorded_at is empty" : Cells.notATimestamp("recorded_at");
        }
        sink.accept(new ConsentRecord(customerId, shared.computeIfAbsent(purposeValue, v -> v), statusValue.get(), at.get(),
                shared.computeIfAbsent(Cells.optional(row, source), v -> v),
                shared.computeIfAbsent(Cells.optional(row, brand), v -> v), line));
        return null;
    }
}
