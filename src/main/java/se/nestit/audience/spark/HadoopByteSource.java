package se.nestit.audience.spark;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import se.nestit.audience.source.ByteSource;

/** A file on any file system Hadoop reaches, read at any position, for the CSV chunk reader. */
final class HadoopByteSource implements ByteSource, Closeable {

    private final FSDataInputStream in;
    private final long size;

    private HadoopByteSource(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    static HadoopByteSource open(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        long size = fs.getFileStatus(path).getLen();
        return new HadoopByteSource(fs.open(path), size);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, byte[] b, int offset, int length) throws IOException {
        return position >= size ? -1 : in.read(position, b, offset, length);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
