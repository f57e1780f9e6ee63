package se.nestit.audience.spark;

import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import se.nestit.audience.destination.file.AudienceFiles;
import se.nestit.audience.io.AtomicFiles;

/**
 * The build's output directory on any file system Hadoop reaches. A file is written beside its
 * target and renamed over it, so that a reader sees the old file or the new one (on object
 * stores, whose rename is a copy, as close to that as they allow).
 */
final class HadoopDirectory implements AudienceFiles {

    private final FileSystem fs;
    private final Path root;

    HadoopDirectory(String root, Configuration conf) throws IOException {
        this.root = new Path(root);
        this.fs = this.root.getFileSystem(conf);
        // no .crc files beside the outputs on a local disk: they are the contract's files and nothing else
        fs.setWriteChecksum(false);
    }

    Path path(String relative) {
        return new Path(root, relative);
    }

    void write(String relative, AtomicFiles.Content content) throws IOException {
        writeBytes(relative, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            content.writeTo(w);
            w.flush();
        });
    }

    void writeBytes(String relative, AtomicFiles.BinaryContent content) throws IOException {
        Path target = path(relative);
        Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream out = fs.create(temp, true)) {
                content.writeTo(out);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("cannot rename " + temp + " to " + target);
            }
        } finally {
            fs.delete(temp, false);
        }
    }

    /** Deletes a file or a whole directory; false when there was none. */
    boolean deleteTree(String relative) throws IOException {
        return fs.delete(path(relative), true);
    }

    @Override
    public InputStream open(String audienceId, String name) throws IOException {
        Path file = path(audienceId + "/" + name);
        return fs.exists(file) ? fs.open(file) : null;
    }

    @Override
    public void write(String audienceId, String name, AtomicFiles.Content content) throws IOException {
        write(audienceId + "/" + name, content);
    }

    @Override
    public void writeBytes(String audienceId, String name, AtomicFiles.BinaryContent content) throws IOException {
        writeBytes(audienceId + "/" + name, content);
    }

    @Override
    public boolean delete(String audienceId, String name) throws IOException {
        return fs.delete(path(audienceId + "/" + name), false);
    }

    @Override
    public List<String> audiencesWith(String name) throws IOException {
        List<String> audiences = new ArrayList<>();
        if (!fs.exists(root)) {
            return audiences;
        }
        for (FileStatus s : fs.listStatus(root)) {
            if (s.isDirectory() && isFile(new Path(s.getPath(), name))) {
                audiences.add(s.getPath().getName());
            }
        }
        audiences.sort(null);
        return audiences;
    }

    /** What the deprecated {@code FileSystem.isFile} did. */
    private boolean isFile(Path path) throws IOException {
        try {
            return fs.getFileStatus(path).isFile();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    @Override
    public String describe(String audienceId, String name) {
        return path(audienceId + "/" + name).toString();
    }
}
