package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chunk hands its records to a handler block after block: none lost, none twice, each with its line. */
class CsvChunkTest {

    private static final long FIRST_LINE = 2;

    /** What a chunk of {@link #text()} must hand out and reject, written down as the text is made. */
    private final List<String> accepted = new ArrayList<>();

    private final List<Rejects.Reject> rejected = new ArrayList<>();

    private long lines;

    /**
     * Four blocks' worth of rows and more, with blank lines, rows of two fields, rows with a line
     * break in a quoted cell and rows the handler rejects, so that each falls on a block's edge too.
     */
    private String text() {
        StringBuilder csv = new StringBuilder();
        long line = FIRST_LINE;
        for (int i = 0; i < 4 * CsvChunk.BLOCK + 7; i++) {
            if (i % 7 == 3) {
                csv.append('\n');
                line++;
            } else if (i % 11 == 5) {
                csv.append("C").append(i).append(",two\n");
                rejected.add(new Rejects.Reject(InputFile.EVENTS, line, "expected 3 fields but found 2"));
                line++;
            } else if (i % 13 == 0) {
                csv.append("C").append(i).append(",\"two\nlines\",x\n");
                accepted.add("C" + i + "@" + line);
                line += 2;
            } else {
                String verdict = i % 5 == 1 ? "no" : "yes";
                csv.append("C").append(i).append(",t,").append(verdict).append('\n');
                accepted.add("C" + i + "@" + line);
                if (verdict.equals("no")) {
                    rejected.add(new Rejects.Reject(InputFile.EVENTS, line, "said no"));
                }
                line++;
            }
        }
        lines = line - FIRST_LINE;
        return csv.toString();
    }

    /** Takes every row and rejects those whose third cell is "no"; its block loop is the interface's. */
    private static class Handler implements CsvChunk.RecordHandler<List<String>> {
        @Override
        public String accept(ByteRecord record, long line, List<String> seen) {
            seen.add(record.cell(0) + "@" + line);
            return record.cell(2).equals("no") ? "said no" : null;
        }
    }

    /** The same handler with a block loop of its own, as the handlers of large files have. */
    private static final class OwnLoop extends Handler {
        @Override
        public void block(CsvChunk chunk, List<String> seen) throws IOException {
            for (ByteRecord r; (r = chunk.next(this, seen)) != null; ) {
                chunk.handled(accept(r, chunk.line(), seen));
            }
        }
    }

    private void readsEveryRecordOnce(CsvChunk.RecordHandler<List<String>> handler) throws IOException {
        byte[] csv = text().getBytes(StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        CsvChunk chunk = new CsvChunk(ByteSource.of(csv), 0, csv.length, true, FIRST_LINE, 3, (byte) ',')
                .read(seen, handler, null);
        Rejects rejects = new Rejects();
        rejects.add(InputFile.EVENTS, FIRST_LINE, chunk.rejects());

        assertEquals(accepted, seen);
        assertEquals(rejected, rejects.all());
        long misshapen =
                rejected.stream().filter(r -> !r.reason().equals("said no")).count();
        assertEquals(accepted.size() + misshapen, chunk.records());
        assertEquals(lines, chunk.lines());
        assertEquals(csv.length, chunk.end());
    }

    @Test
    void theInterfacesLoopHandsOutEveryRecordWithItsLine() throws IOException {
        readsEveryRecordOnce(new Handler());
    }

    @Test
    void aHandlersOwnLoopHandsOutTheSame() throws IOException {
        readsEveryRecordOnce(new OwnLoop());
    }
}
