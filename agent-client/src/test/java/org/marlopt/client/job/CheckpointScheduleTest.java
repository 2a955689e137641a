package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.marlopt.client.train.TrainConfig;

class CheckpointScheduleTest {

    private final AtomicLong clock = new AtomicLong();

    private CheckpointSchedule schedule(int everyRounds, int everySeconds) {
        return new CheckpointSchedule(TrainConfig.defaults().with(Map.of("episodes", 1000,
                "checkpointEvery", everyRounds, "checkpointEverySeconds", everySeconds)), clock::get);
    }

    private void advanceSeconds(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void aSlowRunSavesOnceTheIntervalHasPassedLongBeforeTheRoundRule() {
        CheckpointSchedule schedule = schedule(250, 60);
        advanceSeconds(59);
        assertFalse(schedule.due(3));
        advanceSeconds(1);
        assertTrue(schedule.due(4), "60 s after the start");
        schedule.saved();
        advanceSeconds(30);
        assertFalse(schedule.due(5), "the interval counts from the last save");
    }

    @Test
    void everyKthRoundAndTheLastAreDueWhateverTheTime() {
        CheckpointSchedule schedule = schedule(250, 60);
        assertTrue(schedule.due(250));
        assertFalse(schedule.due(251));
        assertTrue(schedule.due(1000));
    }

    @Test
    void zeroSecondsAndZeroRoundsLeaveOnlyTheLastRound() {
        CheckpointSchedule schedule = schedule(0, 0);
        advanceSeconds(3600);
        assertFalse(schedule.due(500));
        assertTrue(schedule.due(1000));
    }
}
