package se.nestit.audience.audit;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The trail's customer lines, composed by the destinations' threads before the trail's lock and
 * taken under it, by holder key: each line is composed once per run and freed once its customer is
 * named. Keys are dense, so the lines are kept in blocks of an array, made when first needed.
 */
final class CustomerLines {

    private static final int BLOCK_BITS = 16;
    private static final int BLOCK = 1 << BLOCK_BITS;
    /** Being composed by some thread: the others leave it to that one. */
    private static final byte[] CLAIMED = new byte[0];
    /** Named in the trail: nothing more to compose. */
    private static final byte[] NAMED = new byte[0];

    private final AtomicReferenceArray<AtomicReferenceArray<byte[]>> blocks =
            new AtomicReferenceArray<>(1 << (Integer.SIZE - 1 - BLOCK_BITS));

    /** Whether the caller is the one to compose the line: no one has claimed it yet. */
    boolean claim(int key) {
        return block(key).compareAndSet(key & (BLOCK - 1), null, CLAIMED);
    }

    /** Keeps a claimed line until its customer is named, unless they were named meanwhile. */
    void composed(int key, byte[] line) {
        block(key).compareAndSet(key & (BLOCK - 1), CLAIMED, line);
    }

    /**
     * The line, when composed, marking its customer named; null when no line is ready (not
     * claimed, or still being composed), which the caller then composes itself.
     */
    byte[] take(int key) {
        byte[] line = block(key).getAndSet(key & (BLOCK - 1), NAMED);
        return line == CLAIMED || line == null ? null : line;
    }

    /** Frees every line: after the run's last write. */
    void clear() {
        for (int b = 0; b < blocks.length(); b++) {
            blocks.set(b, null);
        }
    }

    private AtomicReferenceArray<byte[]> block(int key) {
        int b = key >>> BLOCK_BITS;
        AtomicReferenceArray<byte[]> block = blocks.get(b);
        if (block == null) {
            blocks.compareAndSet(b, null, new AtomicReferenceArray<>(BLOCK));
            block = blocks.get(b);
        }
        return block;
    }
}
