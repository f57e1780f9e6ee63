package se.nestit.audience.source;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import se.nestit.audience.identity.WhiteSpace;

/**
 * The rules a consents.csv record must pass (an id, a purpose, a known status, a readable
 * recorded_at) and the {@link ConsentRow} it becomes; a rejected row still names its customer to the sink.
 * Not thread-safe: one per reading thread.
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
    private final CsvDialect dialect;
    // purposes, sources and brands are a handful of values repeated a million times: keep one copy of each
    private final Map<String, String> shared = new HashMap<>();
    private final RepeatedCells<String> purposes = new RepeatedCells<>(this::stripped);
    private final RepeatedCells<Optional<ConsentStatus>> statuses;
    private final RepeatedCells<String> sources = new RepeatedCells<>(this::stripped);
    private final RepeatedCells<String> brands = new RepeatedCells<>(this::stripped);
    /** Each usable row in turn, handed to the sink. */
    private final ConsentRow into = new ConsentRow();

    /** @param dialect the status words of the file's own, besides the contract's */
    public ConsentRows(Header header, Timestamps timestamps, CsvDialect dialect) {
        this.timestamps = timestamps;
        this.dialect = dialect;
        this.header = header;
        this.id = header.indexOf("customer_id");
        this.purpose = header.indexOf("purpose");
        this.status = header.indexOf("status");
        this.recordedAt = header.indexOf("recorded_at");
        this.source = header.indexOf("source");
        this.brand = header.indexOf("brand");
        this.statuses = new RepeatedCells<>(dialect::status);
    }

    /**
     * @param line the record's place in the file, for the audit trail
     * @return null, or the reason to reject the record
     */
    public String check(RowView row, long line, ConsentSink sink) {
        Utf8Cell customerId = into.id();
        customerId.strip(row, id);
        if (customerId.isEmpty()) {
            return "customer_id is empty";
        }
        CustomerIds.refuseEmail(customerId.bytes(), customerId.from(), customerId.to(), header, id, line);
        String purposeValue = purposes.get(row, purpose);
        String brandValue = brand < 0 ? "" : brands.get(row, brand);
        Optional<ConsentStatus> statusValue = statuses.get(row, status);
        String reason = purposeValue.isEmpty()
                ? "purpose is empty"
                : statusValue.isEmpty()
                        ? "status: expected granted, denied or withdrawn"
                                + (dialect.statuses().isEmpty() ? "" : " or a word under statuses: in the config")
                        : readRecordedAt(row) ? null : unreadableRecordedAt(row);
        if (reason != null) {
            sink.offerUnreadable(customerId.text(), purposeValue, brandValue);
            return reason;
        }
        into.set(purposeValue, statusValue.get(), source < 0 ? "" : sources.get(row, source), brandValue, line);
        sink.offer(into);
        return null;
    }

    /** Reads recorded_at into the row: the zulu form nearly every export writes without an {@link Instant}. */
    private boolean readRecordedAt(RowView row) {
        Optional<Instant> at;
        if (row instanceof ByteRecord r && !r.escaped(recordedAt)) {
            long second = Timestamps.zuluSeconds(r.bytes(), r.start(recordedAt), r.end(recordedAt));
            if (second != Timestamps.INVALID) {
                into.at(second, 0);
                return true;
            }
            at = timestamps.instant(r.bytes(), r.start(recordedAt), r.end(recordedAt));
        } else {
            at = timestamps.instant(row.cell(recordedAt));
        }
        at.ifPresent(into::at);
        return at.isPresent();
    }

    private String unreadableRecordedAt(RowView row) {
        return Cells.isEmpty(row.cell(recordedAt)) ? "recorded_at is empty" : Cells.notATimestamp("recorded_at");
    }

    /** The cell's text stripped, as the one copy of it this reader keeps. */
    private String stripped(String cell) {
        return shared.computeIfAbsent(WhiteSpace.strip(cell), v -> v);
    }

    /**
     * A row rejected for its shape (a comma too many in an unquoted cell, say) may be a withdrawal
     * too, so it names its customer to the sink when there is a customer_id cell. Its cells may be
     * shifted, so its purpose and brand count as unreadable.
     */
    public void misshapen(ByteRecord record, ConsentSink sink) {
        String customerId = record.width() > id ? WhiteSpace.strip(record.cell(id)) : "";
        if (!customerId.isEmpty()) {
            sink.offerUnreadable(customerId, "", "");
        }
    }
}
