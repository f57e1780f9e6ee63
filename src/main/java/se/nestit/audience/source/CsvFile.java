package se.nestit.audience.source;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import com.opencsv.exceptions.CsvMalformedLineException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * One input file read as RFC 4180 CSV with opencsv: UTF-8 (an initial BOM is skipped), a header
 * row, then records that must have the header's number of fields. Records with another number of
 * fields are rejected here; blank lines carry no record and are passed over.
 */
public final class CsvFile {

    /** Receives each record with the line it starts on (the header is line 1). */
    @FunctionalInterface
    public interface RecordHandler {
        void accept(String[] cells, long line);
    }

    // A quoted field may hold line breaks, but an unbalanced quote would otherwise swallow the rest
    // of the file into one field; past this many lines the record is treated as broken.
    private static final int MAX_LINES_PER_RECORD = 1_000;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final InputFile file;
    private final Path path;
    private final Header header;

    private CsvFile(InputFile file, Path path, Header header) {
        this.file = file;
        this.path = path;
        this.header = header;
    }

    /**
     * Opens a file and reads its header.
     *
     * @param mapping contract column name to the name in the user's export
     * @throws InputException when a required file or column is missing or the file is unreadable
     */
    public static CsvFile open(InputFile file, Path path, Map<String, String> mapping) {
        if (!Files.exists(path)) {
            if (file.mustExist()) {
                throw new InputException(path + ": file not found (" + file.fileName() + " is required)");
            }
            return new CsvFile(file, path, Header.absent(file, path));
        }
        try (CsvCursor cursor = new CsvCursor(path, bytes -> {})) {
            String[] cells = cursor.next();
            if (cells == null) {
                throw new InputException(path + ": the file is empty; it needs at least a header row");
            }
            return new CsvFile(file, path, Header.of(file, path, cells, mapping));
        }
    }

    public InputFile file() {
        return file;
    }

    public Path path() {
        return path;
    }

    public Header header() {
        return header;
    }

    /** Size in bytes, for progress; 0 for an absent file. */
    public long size() {
        try {
            return header.present() ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Streams every record after the header. Records with the wrong number of fields go to
     * {@code rejects}.
     *
     * @param progress receives the number of bytes read since its previous call
     * @return the number of records read (rejected ones included)
     */
    public long read(Rejects rejects, LongConsumer progress, RecordHandler handler) {
        if (!header.present()) {
            return 0;
        }
        long records = 0;
        try (CsvCursor cursor = new CsvCursor(path, progress)) {
            cursor.next();
            String[] cells;
            while ((cells = cursor.next()) != null) {
                if (cells.length == 1 && cells[0].isEmpty()) {
                    continue;
                }
                records++;
                if (cells.length != header.width()) {
                    rejects.add(file, cursor.line(), "expected " + header.width() + " fields but found " + cells.length);
                    continue;
                }
                handler.accept(cells, cursor.line());
            }
        }
        return records;
    }

    /** opencsv over a UTF-8 decoder that refuses malformed bytes instead of inventing characters. */
    private static final class CsvCursor implements AutoCloseable {
        private final Path path;
        private final CSVReader reader;
        private long linesBefore;
        private long line;

        CsvCursor(Path path, LongConsumer progress) {
            this.path = path;
            try {
                InputStream in = new ProgressStream(Files.newInputStream(path), progress);
                var decoder = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
                BufferedReader text = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
                text.mark(1);
                if (text.read() != BYTE_ORDER_MARK) {
                    text.reset();
                }
                this.reader = new CSVReaderBuilder(text)
                        .withCSVParser(new RFC4180ParserBuilder().build())
                        .withMultilineLimit(MAX_LINES_PER_RECORD)
                        .build();
            } catch (NoSuchFileException e) {
                throw new InputException(path + ": file not found", e);
            } catch (CharacterCodingException e) {
                throw notUtf8(path, e);
            } catch (IOException e) {
                throw new InputException(path + ": cannot read the file (" + e.getMessage() + ")", e);
            }
        }

        String[] next() {
            try {
                linesBefore = reader.getLinesRead();
                String[] cells = reader.readNext();
                line = linesBefore + 1;
                return cells;
            } catch (CharacterCodingException e) {
                throw notUtf8(path, e);
            } catch (CsvMalformedLineException e) {
                throw new InputException(path + ": line " + (linesBefore + 1)
                        + ": a quoted field is never closed (unbalanced quote)", e);
            } catch (CsvException e) {
                throw new InputException(path + ": line " + (linesBefore + 1) + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new InputException(path + ": line " + (linesBefore + 1) + ": cannot read the file ("
                        + e.getMessage() + ")", e);
            }
        }

        long line() {
            return line;
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                // Nothing was written; a failed close of an input loses nothing.
            }
        }
    }

    /**
     * The decoder fails when the reader fills its buffer, ahead of the record being parsed, so the
     * line is found again by decoding the raw bytes up to the first bad one. Only on this error path.
     */
    private static InputException notUtf8(Path path, CharacterCodingException cause) {
        String where;
        try {
            long line = firstMalformedLine(path);
            where = line > 0 ? "line " + line + ": " : "";
        } catch (IOException e) {
            where = "";
        }
        return new InputException(path + ": " + where + "not valid UTF-8 (save the export as UTF-8)", cause);
    }

    /** The 1-based line of the first byte sequence that is not UTF-8, or 0 when there is none. */
    static long firstMalformedLine(Path path) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1;
        try (InputStream raw = Files.newInputStream(path)) {
            boolean end = false;
            while (!end) {
                int n = raw.read(in.array(), in.position(), in.remaining());
                end = n < 0;
                if (n > 0) {
                    in.position(in.position() + n);
                }
                in.flip();
                int start = in.position();
                CoderResult result = decoder.decode(in, out, end);
                line += newlines(in.array(), start, in.position());
                if (result.isError()) {
                    return line;
                }
                out.clear();
                in.compact();
            }
        }
        return 0;
    }

    private static int newlines(byte[] bytes, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Tells a progress listener how many bytes went by. */
    private static final class ProgressStream extends FilterInputStream {
        private final LongConsumer progress;

        ProgressStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                progress.accept(n);
            }
            return n;
        }
    }
}
