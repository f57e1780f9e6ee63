package se.nestit.audience.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.config.ExporterConfig;
import se.nestit.audience.destination.Destination;
import se.nestit.audience.destination.DestinationFactory;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.AudienceLoader;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputFile;

/**
 * Everything a run needs, opened and checked before any row is read: the data files' headers,
 * the destinations' settings, the audience definitions against both, and the compiled rules. A
 * mistake in any of them stops the run here, in a second, not after the long read.
 */
record RunInputs(
        DataSet data, List<AudienceDefinition> audiences, List<Destination> destinations, SegmentProgram program) {

    private static final Logger log = LoggerFactory.getLogger(RunInputs.class);

    static RunInputs open(ExporterConfig config, Instant asOf, Set<String> only, DestinationFactory factory) {
        DataSet data = InputData.open(config);
        try {
            for (InputFile f : InputFile.values()) {
                if (!data.has(f)) {
                    log.warn("{} not found: read as empty", data.path(f));
                }
            }
            List<Destination> destinations = factory.create(config.destinations());
            List<AudienceDefinition> all =
                    new AudienceLoader(config.destinationIds(), data::header).loadAll(config.audiences());
            List<AudienceDefinition> audiences = AudienceLoader.select(all, only);
            if (audiences.isEmpty()) {
                log.warn("{}: no audience definitions found", config.audiences());
            }
            return new RunInputs(data, audiences, destinations, SegmentProgram.compile(audiences, data::header, asOf));
        } catch (RuntimeException e) {
            data.close(); // a database connection is not held by a run that stops here
            throw e;
        }
    }

    /** Whether any selected audience's rules read this file. */
    boolean needs(InputFile file) {
        return !program.counters(file).isEmpty();
    }
}
