package se.nestit.audience.destination.file;

import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;

/**
 * One audience's plan made as {@link se.nestit.audience.sync.AudiencePlan#of} makes it, from
 * sorted sequences instead of sets, holding none of them: the hashes of the file there now are
 * fed in ascending order, while the hashes the audience wants (and, for an add-only audience,
 * every exportable hash) are pulled alongside. Each hash is decided as it passes, and what the
 * file holds afterwards is written as it is decided, which is in ascending order.
 */
final class SortedMerge {

    private final Cursor desired;
    /** Null for a mirror audience: it keeps only what it wants. */
    private final Cursor exportable;
    /** Null to count only. */
    private final Writer out;

    private long current;
    private long adds;
    private long removes;
    private long target;

    /**
     * @param desired the audience's hex digests, ascending, a repeat allowed
     * @param exportable every exportable customer's, likewise; null for a mirror audience
     * @param out where the resulting file's digests go, one a line; null to count only
     */
    SortedMerge(Iterator<String> desired, Iterator<String> exportable, Writer out) {
        this.desired = new Cursor(desired);
        this.exportable = exportable == null ? null : new Cursor(exportable);
        this.out = out;
    }

    /** The next hash of the file there now: each greater than the one before. */
    void current(String hex) throws IOException {
        current++;
        while (desired.before(hex)) {
            add(desired.take());
        }
        if (desired.at(hex)) {
            desired.take();
            keep(hex);
        } else if (exportable != null && exportable.skipTo(hex)) {
            // add-only keeps who left the segment, while they may still be exported
            keep(hex);
        } else {
            removes++;
        }
    }

    /** After the last hash of the file there now: the rest of the wanted ones are adds. */
    SortedMerge finish() throws IOException {
        while (desired.has()) {
            add(desired.take());
        }
        return this;
    }

    private void add(String hex) throws IOException {
        adds++;
        keep(hex);
    }

    private void keep(String hex) throws IOException {
        target++;
        if (out != null) {
            out.write(hex);
            out.write('\n');
        }
    }

    /** How many distinct hashes the audience wants. */
    long desired() {
        return desired.taken;
    }

    long current() {
        return current;
    }

    long adds() {
        return adds;
    }

    long removes() {
        return removes;
    }

    /** How many hashes the file holds afterwards. */
    long target() {
        return target;
    }

    /** A sorted sequence read once, each distinct hash once. */
    private static final class Cursor {
        private final Iterator<String> sorted;
        private String next;
        private long taken;

        Cursor(Iterator<String> sorted) {
            this.sorted = sorted;
            advance();
        }

        private void advance() {
            String last = next;
            next = null;
            while (sorted.hasNext()) {
                String h = sorted.next();
                if (!h.equals(last)) {
                    next = h;
                    return;
                }
            }
        }

        boolean has() {
            return next != null;
        }

        boolean before(String hex) {
            return next != null && next.compareTo(hex) < 0;
        }

        boolean at(String hex) {
            return hex.equals(next);
        }

        String take() {
            String h = next;
            taken++;
            advance();
            return h;
        }

        /** Passes every hash before {@code hex}; whether {@code hex} is there. */
        boolean skipTo(String hex) {
            while (before(hex)) {
                take();
            }
            return at(hex);
        }
    }
}
