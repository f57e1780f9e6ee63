package se.nestit.audience.source;

/**
 * customer_ids go into the audit trail, the logs and verify's output, so they must not be
 * personal data themselves. Guest checkout exports often use the email address as the id: a
 * customer_id with an {@code @} in any input file stops the run, since rejecting only the row
 * would drop a suppression or a withdrawal.
 */
final class CustomerIds {

    private static final long ATS = '@' * ByteRecord.ONES;

    private CustomerIds() {}

    /** @throws InputException naming the file, line and column, never the value */
    static void refuseEmail(String id, Header header, int column, long line) {
        if (id.indexOf('@') >= 0) {
            throw refused(header, column, line);
        }
    }

    /** The same over a cell's UTF-8 bytes, where no byte of a multi-byte character is an {@code @}. */
    static void refuseEmail(byte[] b, int from, int to, Header header, int column, long line) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (ByteRecord.has((long) ByteRecord.LONGS.get(b, i), ATS) != 0) {
                throw refused(header, column, line);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '@') {
                throw refused(header, column, line);
            }
        }
    }

    /** @throws CsvChunk.LineNeeded when the record came without its line: the message must name it */
    private static InputException refused(Header header, int column, long line) {
        if (line < 0) {
            throw new CsvChunk.LineNeeded();
        }
        return new InputException(header.path() + ": line " + line + ", column " + (column + 1) + " (customer_id): "
                + "the customer_id is an email address (it holds an @); customer_ids are written to the audit trail, "
                + "the logs and reports, so give each customer an id that is not their address (for guest checkouts, "
                + "a generated one)");
    }
}
