package se.nestit.audience.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;

/**
 * A Parquet input (one file, or a directory of part files) with the CSV file's column names. Every
 * column is read as text, so that the same row rules check it; a record's place in the file is its
 * file (in name order) and its row number there.
 */
final class ParquetSource extends InputSource {

    private static final long serialVersionUID = 1L;

    private final transient Dataset<Row> rows;
    private final String[] header;
    private final HashMap<String, Integer> files;
    private final long size;

    @SuppressWarnings("NonApiType") // a HashMap: Spark ships the index to its executors, so it must be Serializable
    private ParquetSource(
            InputFile file,
            String path,
            Dataset<Row> rows,
            String[] header,
            HashMap<String, Integer> files,
            long size) {
        super(file, path);
        this.rows = rows;
        this.header = header;
        this.files = files;
        this.size = size;
    }

    static ParquetSource open(SparkSession spark, InputFile file, String path, long size) {
        Dataset<Row> data = spark.read().parquet(path);
        String[] header = data.schema().fieldNames();
        List<Column> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(col("`" + name.replace("`", "``") + "`").cast("string"));
        }
        columns.add(col("_metadata.file_path"));
        columns.add(col("_metadata.row_index"));
        Dataset<Row> rows = data.select(columns.toArray(Column[]::new));
        HashMap<String, Integer> files = new HashMap<>();
        List<String> names =
                rows.select("file_path").distinct().as(Encoders.STRING()).collectAsList();
        names.stream().sorted().forEach(n -> files.put(n, files.size()));
        return new ParquetSource(file, path, rows, header, files, size);
    }

    @Override
    String[] headerCells() {
        return header.clone();
    }

    @Override
    long size() {
        return size;
    }

    @Override
    <T> JavaRDD<T> read(PartBody<T> body, CollectionAccumulator<PartReport> reports) {
        InputFile f = file;
        int width = header.length;
        Map<String, Integer> fileIndex = files;
        return rows.javaRDD()
                .mapPartitionsWithIndex(
                        (part, it) -> {
                            PartBody.Sink<T> sink = body.open();
                            long records = 0;
                            long rejected = 0;
                            while (it.hasNext()) {
                                Row row = it.next();
                                RowView view = column -> row.isNullAt(column) ? "" : row.getString(column);
                                records++;
                                if (sink.accept(
                                                view,
                                                order(fileIndex.get(row.getString(width)), row.getLong(width + 1)))
                                        != null) {
                                    rejected++;
                                }
                            }
                            reports.add(new PartReport(f, part, -1, -1, 0, records, rejected, null, 0));
                            return sink.results();
                        },
                        false);
    }
}
