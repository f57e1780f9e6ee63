package se.nestit.audience.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import se.nestit.audience.io.AtomicFiles;

/** Writes reports as pretty-printed JSON with snake_case names, atomically. */
public final class ReportWriter {

    public static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // the atomic writer flushes, syncs and closes the file itself
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    private ReportWriter() {}

    public static void write(Path file, Object report) throws IOException {
        AtomicFiles.write(file, w -> {
            JSON.writeValue(w, report);
            w.write('\n');
        });
    }
}
