package se.nestit.audience.desired;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import se.nestit.audience.report.ReportWriter;
import se.nestit.audience.report.RunReport;
import se.nestit.audience.source.InputException;

/**
 * {@code manifest.json} of a desired-sets directory: what the build computed and how, so that
 * {@code sync --desired} can deliver it without the input files. Written last: a directory
 * without it is an unfinished build.
 *
 * @param asOf the instant consent and time windows were evaluated at
 * @param only the audiences {@code --only} limited the build to; empty for all
 * @param headers per input file the build read, its header cells as read (to check the definitions against)
 * @param destinations per network destination, its normalization profile
 * @param audiences per audience, in definition order, its definition file and counts
 * @param rejected rows rejected per input file (none listed: none rejected)
 * @param records rows read per input file the build read, rejected ones included, for the
 *     guardrails of {@code sync --desired}; null in a manifest of a build that did not count them
 */
@JsonPropertyOrder({
    "as_of",
    "run_id",
    "built_at",
    "only",
    "headers",
    "destinations",
    "audiences",
    "rejected",
    "customers",
    "records"
})
public record DesiredManifest(
        String asOf,
        String runId,
        String builtAt,
        List<String> only,
        Map<String, List<String>> headers,
        Map<String, String> destinations,
        Map<String, AudienceCounts> audiences,
        Map<String, Long> rejected,
        RunReport.CustomerReport customers,
        Map<String, Long> records) {

    public static final String FILE = "manifest.json";

    /** One audience as built: its definition's file name under {@code audiences/}, and the report's counts. */
    @JsonPropertyOrder({"file", "in_segment", "exported", "skipped"})
    public record AudienceCounts(String file, long inSegment, long exported, Map<String, Long> skipped) {}

    public static DesiredManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InputException(
                    file + ": not found; is " + dir + " the desired/ directory of a finished Spark build?");
        }
        try {
            return ReportWriter.JSON.readValue(file.toFile(), DesiredManifest.class);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
