package se.nestit.audience.destination.file;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import se.nestit.audience.io.AtomicFiles;

/**
 * Where a file destination keeps {@code <audience-id>/<name>}: a local directory, or for the
 * Spark runner any file system Hadoop reaches. Writes replace a file whole.
 */
public interface AudienceFiles {

    /** The file's content, or null when there is no such file. */
    InputStream open(String audienceId, String name) throws IOException;

    /** Replaces the file (or creates it) with UTF-8 text, all at once. */
    void write(String audienceId, String name, AtomicFiles.Content content) throws IOException;

    /** Replaces the file (or creates it) with bytes, all at once. */
    void writeBytes(String audienceId, String name, AtomicFiles.BinaryContent content) throws IOException;

    /** Deletes the file; false when there was none. */
    boolean delete(String audienceId, String name) throws IOException;

    /** The audiences, in name order, that have a file of this name. */
    List<String> audiencesWith(String name) throws IOException;

    /** The file's name in messages. */
    String describe(String audienceId, String name);
}
