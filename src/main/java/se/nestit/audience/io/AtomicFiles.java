package se.nestit.audience.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * Replaces a file all at once: write a temporary file beside it, flush it to disk, rename it over
 * the target, flush the directory. A reader (or a crash) sees the old file or the new one, never
 * half of one.
 */
public final class AtomicFiles {

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** Writes a file's content as bytes. */
    @FunctionalInterface
    public interface BinaryContent {
        void writeTo(OutputStream out) throws IOException;
    }

    static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private AtomicFiles() {}

    /** Writes UTF-8 text. */
    public static void write(Path target, Content content) throws IOException {
        writeBytes(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            content.writeTo(w);
            w.flush();
        });
    }

    public static void writeBytes(Path target, BinaryContent content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        String prefix = "." + target.getFileName() + ".tmp-";
        deleteLeftovers(dir, prefix);
        Path temp = dir.resolve(prefix + ProcessHandle.current().pid());
        try {
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Deletes the temporary files of this target that runs killed while writing it left behind
     * ({@code kill -9} runs no finally), which would pile up beside it crash after crash: those of
     * a process no longer alive, written more than an hour ago. Not a fresher one, which may belong
     * to a live run on another machine or container sharing the directory.
     */
    private static void deleteLeftovers(Path dir, String prefix) {
        Instant hourAgo = Instant.now().minus(LEFTOVER_AGE);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path temp : temps) {
                String pid = temp.getFileName().toString().substring(prefix.length());
                if (pid.matches("[0-9]{1,18}")
                        && ProcessHandle.of(Long.parseLong(pid)).isEmpty()
                        && Files.getLastModifiedTime(temp).toInstant().isBefore(hourAgo)) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            // litter, not harm: the write goes on
        }
    }

    /**
     * {@link Files#createDirectories}, but a file in the way says so: the JDK's
     * {@link FileAlreadyExistsException} carries only the path, which reads as no reason at all.
     */
    public static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new FileSystemException(e.getFile(), null, "exists and is not a directory");
        }
    }

    /** Deletes a file and makes the deletion durable. */
    public static boolean delete(Path target) throws IOException {
        boolean deleted = Files.deleteIfExists(target);
        if (deleted) {
            syncDirectory(target.toAbsolutePath().getParent());
        }
        return deleted;
    }

    // The rename is only durable once the directory entry is; not every platform can open a
    // directory, and there the rename is as durable as that platform makes it.
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort, see above
        }
    }
}
