package se.nestit.audience.pipeline;

/**
 * Where long stages report how far they got; the command line draws progress bars with it when
 * standard output is a terminal. Tasks may advance from several threads.
 */
public interface Progress {

    Progress NONE = (name, total) -> new Task() {
        @Override
        public void advance(long n) {}

        @Override
        public void close() {}
    };

    /** @param total units of work (bytes, customers), or -1 when unknown */
    Task start(String name, long total);

    interface Task extends AutoCloseable {
        void advance(long n);

        @Override
        void close();
    }
}
