package se.nestit.audience.report;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import se.nestit.audience.docs.Docs;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.DestinationReport;

/** The status values keep the spelling report.json has always had: readers of the report compare them as text. */
class ReportStatusTest {

    @Test
    void everyStatusIsWrittenAsTheWordTheReportHasAlwaysUsed() {
        assertEquals(
                List.of("ok", "planned", "below_min_size", "pending", "held", "kept", "failed", "interrupted"),
                written(AudienceStatus.values()));
        assertEquals(List.of("ok", "failed", "interrupted"), written(DestinationStatus.values()));
        assertEquals(List.of("complete", "interrupted"), written(RunStatus.values()));
    }

    @Test
    void aDestinationAndItsOrphanAreWrittenWithTheirStatusFirst() throws JsonProcessingException {
        AudienceDelivery orphan = new AudienceDelivery(AudienceStatus.BELOW_MIN_SIZE, 3, 0, 1, 0, 2, "");
        DestinationReport report = new DestinationReport(
                DestinationStatus.INTERRUPTED, "file", 0, 1, 0, 0.5, "stopped", Map.of("gone", orphan));

        assertEquals(
                "{\"status\":\"interrupted\",\"type\":\"file\",\"adds\":0,\"removes\":1,\"failed\":0,\"seconds\":0.5,"
                        + "\"message\":\"stopped\",\"orphans\":{\"gone\":{\"status\":\"below_min_size\",\"hashes\":3,\"adds\":0,"
                        + "\"removes\":1,\"failed\":0,\"held\":2}}}",
                ReportWriter.JSON.writeValueAsString(report).replaceAll("\\s", ""));
    }

    @Test
    void everyStatusIsDocumentedInTheTableOfItsLevel() {
        String page = Docs.read(Docs.ROOT.resolve("docs/operations.md"));
        String section = page.substring(page.indexOf("### Status values"));
        String[] tables = section.split("\n\n");
        assertAll(
                documented(tables, "top-level", RunStatus.values()),
                documented(tables, "destinations.<id>.status", DestinationStatus.values()),
                documented(tables, "audiences.<id>.destinations.<id>.status", AudienceStatus.values()));
    }

    /** Each value has a row in the table that follows the paragraph naming the field. */
    private static Executable documented(String[] paragraphs, String field, Enum<?>[] values) {
        return () -> {
            int i = 0;
            while (!paragraphs[i].contains(field)) {
                i++;
            }
            String table = paragraphs[i + 1];
            List<String> rows = table.lines()
                    .filter(l -> l.startsWith("| `"))
                    .map(l -> l.substring(3, l.indexOf('`', 3)))
                    .toList();
            assertEquals(written(values), rows, field);
        };
    }

    private static List<String> written(Enum<?>[] values) {
        return Arrays.stream(values)
                .map(v -> {
                    try {
                        return ReportWriter.JSON.readValue(ReportWriter.JSON.writeValueAsString(v), String.class);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }
}
