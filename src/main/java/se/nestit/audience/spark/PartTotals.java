package se.nestit.audience.spark;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import se.nestit.audience.source.CsvChunk;
import se.nestit.audience.source.InputException;
import se.nestit.audience.source.InputFile;

/**
 * What the parts of one input file came to: records read and rejected, and for a CSV file the line
 * each part starts on, known only once every part counted its lines.
 *
 * @param firstLines per part, the line its first record starts on; null for Parquet
 */
record PartTotals(long records, long rejected, long[] firstLines) {

    /** Every file's totals, and the CSV files whose parts must be read again in one. */
    record Settled(Map<InputFile, PartTotals> totals, Set<InputFile> guessedWrong) {}

    /**
     * Checks the CSV parts' guessed starts, then stops the run at the first error in file order,
     * as the single-machine reader does.
     *
     * @throws InputException for a file that is not UTF-8 or has a quote that never closes
     */
    static Settled settle(Map<InputFile, InputSource> sources, List<PartReport> reports) {
        Map<InputFile, PartTotals> totals = new EnumMap<>(InputFile.class);
        Set<InputFile> guessedWrong = new LinkedHashSet<>();
        sources.forEach((file, source) -> {
            // a task that ran twice reported its part twice
            TreeMap<Integer, PartReport> parts = new TreeMap<>();
            reports.stream().filter(r -> r.file() == file).forEach(r -> parts.putIfAbsent(r.part(), r));
            long records = 0;
            long rejected = 0;
            if (source instanceof CsvSource csv) {
                if (parts.size() != csv.parts()) {
                    if (!parts.isEmpty()) {
                        throw new IllegalStateException(
                                source.path + ": " + parts.size() + " of " + csv.parts() + " parts reported");
                    }
                    return; // not read: no selected audience needs it
                }
                long[] starts =
                        parts.values().stream().mapToLong(PartReport::start).toArray();
                long[] ends = parts.values().stream().mapToLong(PartReport::end).toArray();
                if (!CsvChunk.consistent(starts, ends)) {
                    guessedWrong.add(file);
                    return;
                }
                long[] firstLines = new long[parts.size()];
                long line = csv.firstLine();
                for (PartReport p : parts.values()) {
                    if (p.error() != null) {
                        throw new InputException(source.path + ": line " + (line + p.errorLine()) + ": " + p.error());
                    }
                    firstLines[p.part()] = line;
                    line += p.lines();
                    records += p.records();
                    rejected += p.rejected();
                }
                totals.put(file, new PartTotals(records, rejected, firstLines));
            } else {
                for (PartReport p : parts.values()) {
                    records += p.records();
                    rejected += p.rejected();
                }
                totals.put(file, new PartTotals(records, rejected, null));
            }
        });
        return new Settled(totals, guessedWrong);
    }
}
