package se.nestit.audience.segment;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;
import se.nestit.audience.source.ValueSet;

/**
 * Watches one file's rows for the values that {@code where} equality asks of its columns, so that
 * a value no row holds (a typo, {@code barnbocker} for {@code barnböcker}) can be reported with the
 * values the column does hold that come closest. It costs nothing once every value has been seen;
 * until then it samples what the columns hold, from a bounded number of rows and of distinct
 * values. Columns that may hold personal data (customer_id, and any name with {@code mail},
 * {@code name} or {@code phone} in it) are not watched at all: neither their values nor the
 * rule's are ever printed. One instance per reading thread; {@link #add} joins them.
 */
public final class ValueProbe {

    /** Rows per reading thread whose cells are sampled: enough to meet every value of a category column. */
    static final int SAMPLE_ROWS = 100_000;
    /** Distinct values kept per column and thread, each at most {@link #MAX_LENGTH} chars. */
    static final int MAX_SAMPLE = 1_000;

    static final int MAX_LENGTH = 100;
    /** Closest values named per missing value. */
    static final int SHOWN = 5;

    /** A column that equality filters on, with every value the rules ask of it, in compared form. */
    record Column(String name, int index, List<String> values) {}

    /**
     * A value no row held.
     *
     * @param closest the sampled values closest to it, closest first
     * @param more whether the sample held more values than {@code closest}
     */
    public record Miss(InputFile file, String column, String value, List<String> closest, boolean more) {
        /** What {@code plan} and {@code sync} print: the rule's value, the file and column, and the closest seen. */
        public String message() {
            return "'" + value + "' matched no row of " + file.fileName() + " " + column + "; "
                    + (closest.isEmpty()
                            ? "the column is empty"
                            : "seen: " + String.join(", ", closest) + (more ? "…" : ""));
        }
    }

    private final InputFile file;
    private final List<Column> columns;
    private final ValueSet[][] values;
    private final boolean[][] matched;
    private final List<Set<String>> samples = new ArrayList<>();
    private int unmatched;
    private long rows;

    ValueProbe(InputFile file, List<Column> columns) {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.values = new ValueSet[columns.size()][];
        this.matched = new boolean[columns.size()][];
        for (int c = 0; c < columns.size(); c++) {
            List<String> v = columns.get(c).values();
            values[c] = v.stream().map(s -> new ValueSet(List.of(s))).toArray(ValueSet[]::new);
            matched[c] = new boolean[v.size()];
            unmatched += v.size();
            samples.add(new HashSet<>());
        }
    }

    /** Whether a column name may hold personal data, whose values must never be printed. */
    static boolean personal(String column) {
        return column.equals("customer_id")
                || column.contains("mail")
                || column.contains("name")
                || column.contains("phone");
    }

    /** Looks at one row of the file. */
    public void accept(RowView row) {
        if (unmatched == 0) {
            return;
        }
        boolean sampling = ++rows <= SAMPLE_ROWS;
        for (int c = 0; c < values.length; c++) {
            int column = columns.get(c).index();
            boolean open = false;
            for (int v = 0; v < values[c].length; v++) {
                if (!matched[c][v]) {
                    if (row.cellIn(column, values[c][v])) {
                        matched[c][v] = true;
                        unmatched--;
                    } else {
                        open = true;
                    }
                }
            }
            Set<String> sample = samples.get(c);
            if (open && sampling && sample.size() < MAX_SAMPLE) {
                String cell = ValueSet.comparable(row.cell(column));
                if (!cell.isEmpty() && cell.length() <= MAX_LENGTH) {
                    sample.add(cell);
                }
            }
        }
    }

    /** Adds what another thread's probe of the same file saw. */
    public ValueProbe add(ValueProbe other) {
        for (int c = 0; c < values.length; c++) {
            for (int v = 0; v < values[c].length; v++) {
                if (other.matched[c][v] && !matched[c][v]) {
                    matched[c][v] = true;
                    unmatched--;
                }
            }
            Set<String> sample = samples.get(c);
            for (String s : other.samples.get(c)) {
                if (sample.size() >= MAX_SAMPLE) {
                    break;
                }
                sample.add(s);
            }
        }
        return this;
    }

    /** Every value that no row held, with the closest values sampled from its column. */
    public List<Miss> misses() {
        List<Miss> misses = new ArrayList<>();
        for (int c = 0; c < values.length; c++) {
            Column column = columns.get(c);
            for (int v = 0; v < values[c].length; v++) {
                if (!matched[c][v]) {
                    String value = column.values().get(v);
                    String folded = fold(value);
                    List<String> closest = samples.get(c).stream()
                            .sorted(Comparator.comparingInt((String s) -> distance(folded, fold(s)))
                                    .thenComparing(s -> s))
                            .limit(SHOWN)
                            .toList();
                    misses.add(new Miss(
                            file, column.name(), value, closest, samples.get(c).size() > closest.size()));
                }
            }
        }
        return misses;
    }

    /** Compared form without accents: {@code Barnböcker} and {@code barnbocker} fold alike. */
    static String fold(String text) {
        return Normalizer.normalize(ValueSet.comparable(text), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
    }

    /** Levenshtein distance: the fewest single-char insertions, deletions and substitutions from a to b. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
