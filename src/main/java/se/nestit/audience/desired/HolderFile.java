package se.nestit.audience.desired;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.identity.DigestIndex;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;
import se.nestit.audience.source.InputException;

/**
 * {@code holders/<profile>.csv.gz}: one CSV line (RFC 4180, gzip) per exportable customer whose
 * email gives a usable hash in the profile (no other customer's hash may leave the build), with
 * what the audit trail says of them:
 * {@code email_sha256,customer_id,customer_row,verdict,purpose,status,recorded_at,source,brand,row}.
 * {@code customer_row} is the customer's line in customers.csv, which orders a hash's customers as
 * {@code sync} names them; the last six are the deciding consent record, empty when there was
 * none, {@code row} being its line in consents.csv. For Parquet input both rows are row numbers in
 * their files. Lines are in no particular order.
 */
public final class HolderFile {

    private static final String[] HEADER = {
        "email_sha256",
        "customer_id",
        "customer_row",
        "verdict",
        "purpose",
        "status",
        "recorded_at",
        "source",
        "brand",
        "row"
    };

    private static final int N = Sha256.LENGTH;

    private final AuditEntry.Holder[] holders;
    private final long[] rows;
    private final DigestIndex index;

    private HolderFile(byte[] digests, AuditEntry.Holder[] holders, long[] rows) {
        this.holders = holders;
        this.rows = rows;
        this.index = DigestIndex.of(digests, holders.length);
    }

    /** A CSV writer for the format, its header written. */
    public static ICSVWriter writer(Writer w) {
        ICSVWriter csv = new CSVWriterBuilder(w).withLineEnd("\n").build();
        csv.writeNext(HEADER, false);
        return csv;
    }

    /**
     * One line.
     *
     * @param consent the deciding consent record, its {@code line} the row to name; null when none
     */
    public static String[] line(
            String hexDigest, String customerId, long customerRow, String verdict, ConsentRecord consent) {
        String row = Long.toString(customerRow);
        if (consent == null) {
            return new String[] {hexDigest, customerId, row, verdict, "", "", "", "", "", ""};
        }
        return new String[] {
            hexDigest,
            customerId,
            row,
            verdict,
            consent.purpose(),
            consent.status().code(),
            consent.recordedAt().toString(),
            consent.source(),
            consent.brand(),
            Long.toString(consent.line())
        };
    }

    /** Reads a file {@link #writer} wrote. */
    public static HolderFile read(Path file) {
        List<AuditEntry.Holder> holders = new ArrayList<>();
        long[] rows = new long[1 << 11];
        byte[] digests = new byte[1 << 16];
        // verdicts, purposes, sources and brands are a handful of values: one copy of each
        Map<String, String> shared = new HashMap<>();
        try (Reader in = new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8)) {
            Records csv = new Records(in);
            String[] cells = csv.next();
            if (cells == null || !Arrays.equals(HEADER, cells)) {
                throw new IOException("the first line is not " + String.join(",", HEADER));
            }
            while ((cells = csv.next()) != null) {
                if (cells.length != HEADER.length) {
                    throw new IOException("line " + csv.line + ": expected " + HEADER.length + " fields");
                }
                int n = holders.size();
                if ((n + 1) * N > digests.length) {
                    digests = Arrays.copyOf(digests, digests.length * 2);
                }
                System.arraycopy(SortedHashes.decodeHex(cells[0]), 0, digests, n * N, N);
                if (n == rows.length) {
                    rows = Arrays.copyOf(rows, n * 2);
                }
                rows[n] = Long.parseLong(cells[2]);
                ConsentRecord consent = cells[5].isEmpty()
                        ? null
                        : new ConsentRecord(
                                cells[1],
                                shared.computeIfAbsent(cells[4], v -> v),
                                ConsentStatus.parse(cells[5]).orElseThrow(),
                                Instant.parse(cells[6]),
                                shared.computeIfAbsent(cells[7], v -> v),
                                shared.computeIfAbsent(cells[8], v -> v),
                                Long.parseLong(cells[9]));
                holders.add(new AuditEntry.Holder(cells[1], shared.computeIfAbsent(cells[3], v -> v), consent));
            }
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + ": cannot read the holders (" + e.getMessage() + ")", e);
        }
        return new HolderFile(digests, holders.toArray(AuditEntry.Holder[]::new), rows);
    }

    /**
     * The records as {@link #writer} writes them: RFC 4180 with LF line ends, every character
     * inside quotes taken as it is. Not opencsv's readers: the default one takes a backslash for an
     * escape, and neither keeps both a carriage return and an empty line inside a quoted cell.
     */
    private static final class Records {

        private final Reader in;
        private final char[] buf = new char[1 << 14];
        private int pos;
        private int limit;
        /** The line the last record ended on. */
        private long line;

        Records(Reader in) {
            this.in = in;
        }

        /** The next record's cells, null at the end of the file. */
        String[] next() throws IOException {
            int c = read();
            if (c < 0) {
                return null;
            }
            List<String> cells = new ArrayList<>(HEADER.length);
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean closed = false;
            while (true) {
                if (quoted) {
                    if (c < 0) {
                        throw new IOException("line " + (line + 1) + ": a quoted cell is never closed");
                    }
                    if (c == '"') {
                        quoted = false;
                        closed = true;
                    } else {
                        cell.append((char) c);
                    }
                } else if (c == ',' || c == '\n' || c < 0) {
                    cells.add(cell.toString());
                    if (c != ',') {
                        return cells.toArray(String[]::new);
                    }
                    cell.setLength(0);
                    closed = false;
                } else if (c == '"' && (closed || cell.isEmpty())) {
                    // a cell's opening quote, or the second of a doubled one
                    if (closed) {
                        cell.append('"');
                    }
                    quoted = true;
                    closed = false;
                } else if (closed) {
                    throw new IOException("line " + (line + 1) + ": text after a closing quote");
                } else {
                    cell.append((char) c);
                }
                c = read();
            }
        }

        private int read() throws IOException {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit < 0) {
                    limit = 0;
                    return -1;
                }
            }
            char c = buf[pos++];
            if (c == '\n') {
                line++;
            }
            return c;
        }
    }

    /** The customers whose email gives this digest, in customers.csv order. */
    public List<AuditEntry.Holder> find(byte[] digest) {
        return Arrays.stream(index.find(digest))
                .boxed()
                .sorted(Comparator.comparingLong(i -> rows[i]))
                .map(i -> holders[i])
                .toList();
    }
}
