package se.nestit.audience.destination.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import se.nestit.audience.io.AtomicFiles;

/** Audience files in a local output directory, written atomically and durably. */
public final class LocalAudienceFiles implements AudienceFiles {

    private final Path out;

    public LocalAudienceFiles(Path out) {
        this.out = out;
    }

    public Path path(String audienceId, String name) {
        return out.resolve(audienceId).resolve(name);
    }

    @Override
    public InputStream open(String audienceId, String name) throws IOException {
        Path file = path(audienceId, name);
        return Files.exists(file) ? Files.newInputStream(file) : null;
    }

    @Override
    public void write(String audienceId, String name, AtomicFiles.Content content) throws IOException {
        AtomicFiles.write(path(audienceId, name), content);
    }

    @Override
    public void writeBytes(String audienceId, String name, AtomicFiles.BinaryContent content) throws IOException {
        AtomicFiles.writeBytes(path(audienceId, name), content);
    }

    @Override
    public boolean delete(String audienceId, String name) throws IOException {
        return AtomicFiles.delete(path(audienceId, name));
    }

    @Override
    public List<String> audiencesWith(String name) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(name)))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    @Override
    public String describe(String audienceId, String name) {
        return path(audienceId, name).toString();
    }
}
