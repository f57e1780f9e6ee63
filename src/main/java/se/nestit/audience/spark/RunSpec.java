package se.nestit.audience.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import se.nestit.audience.consent.ConsentPolicy;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.AudienceLoader;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.Header;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.Timestamps;

/**
 * What every task needs to rebuild the run's rules where it runs: the compiled program, the
 * headers and the policy are not serializable (they hold lambdas and paths), their sources are.
 * Each executor compiles them once per build.
 */
final class RunSpec implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Map<String, Compiled> COMPILED = new ConcurrentHashMap<>();

    /** The run's rules, rebuilt from the spec. */
    record Compiled(
            Timestamps timestamps,
            Map<InputFile, Header> headers,
            List<AudienceDefinition> audiences,
            SegmentProgram program,
            ConsentPolicy policy) {}

    private final String id = UUID.randomUUID().toString();
    private final LinkedHashMap<String, String> definitions;
    private final ArrayList<String> destinationIds;
    private final EnumMap<InputFile, String[]> headerCells;
    private final EnumMap<InputFile, String> paths;
    private final EnumMap<InputFile, Map<String, String>> columns;
    private final String zone;
    private final Instant asOf;
    private final String purpose;
    private final int maxAgeDays;
    private final String brand;
    private final Normalization[] profiles;

    /**
     * @param definitions per definition file name, its text, in definition order
     * @param headerCells per input file that exists, its header cells as read
     * @param paths per input file, its path, for messages
     * @param profiles the normalization profiles hashes are needed in
     */
    RunSpec(
            Map<String, String> definitions,
            List<String> destinationIds,
            Map<InputFile, String[]> headerCells,
            Map<InputFile, String> paths,
            Map<InputFile, Map<String, String>> columns,
            ZoneId zone,
            Instant asOf,
            ConsentPolicy policy,
            List<Normalization> profiles) {
        this.definitions = new LinkedHashMap<>(definitions);
        this.destinationIds = new ArrayList<>(destinationIds);
        this.headerCells = headerCells.isEmpty() ? new EnumMap<>(InputFile.class) : new EnumMap<>(headerCells);
        this.paths = new EnumMap<>(paths);
        this.columns = new EnumMap<>(InputFile.class);
        columns.forEach((f, m) -> this.columns.put(f, new LinkedHashMap<>(m)));
        this.zone = zone.getId();
        this.asOf = asOf;
        this.purpose = policy.purpose();
        this.maxAgeDays = policy.maxAgeDays();
        this.brand = policy.brand().orElse(null);
        this.profiles = profiles.toArray(Normalization[]::new);
    }

    Instant asOf() {
        return asOf;
    }

    Normalization[] profiles() {
        return profiles.clone();
    }

    Compiled compiled() {
        return COMPILED.computeIfAbsent(id, k -> compile());
    }

    private Compiled compile() {
        Map<InputFile, Header> headers = Header.all(f -> Path.of(paths.get(f)), headerCells::get, columns);
        AudienceLoader loader = new AudienceLoader(destinationIds, headers::get);
        List<AudienceDefinition> audiences = new ArrayList<>();
        definitions.forEach((file, text) -> audiences.add(loader.load(Path.of(file), text)));
        return new Compiled(
                new Timestamps(ZoneId.of(zone)),
                headers,
                List.copyOf(audiences),
                SegmentProgram.compile(audiences, headers::get, asOf),
                new ConsentPolicy(purpose, maxAgeDays, Optional.ofNullable(brand)));
    }
}
