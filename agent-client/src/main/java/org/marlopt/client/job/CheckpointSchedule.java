package org.marlopt.client.job;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.marlopt.client.train.TrainConfig;

/**
 * When a run saves its checkpoint: after every {@code checkpointEvery}-th round, after the first
 * round that ends {@code checkpointEverySeconds} after the last save (or the start), and after
 * the last round. The time rule gives a slow run a checkpoint long before round 250.
 */
final class CheckpointSchedule {

    private final int everyRounds;
    private final long everyNanos;
    private final int lastRound;
    private final LongSupplier clock;
    private long lastSaveNanos;

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    CheckpointSchedule(TrainConfig config, LongSupplier clock) {
        this.everyRounds = config.checkpointEvery();
        this.everyNanos = TimeUnit.SECONDS.toNanos(config.checkpointEverySeconds());
        this.lastRound = config.episodes();
        this.clock = clock;
        this.lastSaveNanos = clock.getAsLong();
    }

    /** Whether a checkpoint is due after {@code roundsDone} rounds. */
    boolean due(int roundsDone) {
        return roundsDone == lastRound
                || everyRounds > 0 && roundsDone % everyRounds == 0
                || everyNanos > 0 && clock.getAsLong() - lastSaveNanos >= everyNanos;
    }

    /** A checkpoint was just saved: the time rule counts from now. */
    void saved() {
        lastSaveNanos = clock.getAsLong();
    }
}
