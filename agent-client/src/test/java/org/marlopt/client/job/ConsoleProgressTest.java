package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.marlopt.client.train.EpisodeRecord;

/** The progress line: the moving averages, the speed, the time trained and the time left. */
class ConsoleProgressTest {

    @Test
    void theLineShowsElapsedTimeAndTheTimeLeftAtThisPace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100, 5);
        progress.onEpisode(record(40, 30.0)); // a resumed run: round 41 is this process's first, after 30 s
        assertEquals("\r[#########               ] episode 41/100 | avg return -2.000 | success 50.0% | score 0.250 "
                + "| 0 env steps/s | 0:30 elapsed, ETA 29:30", bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        progress.onEpisode(record(99, 3700.0)); // the last round: the line ends
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("| 1:01:40 elapsed, ETA 0:00" + System.lineSeparator()),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void clockReadsMinutesAndSecondsThenHours() {
        assertEquals("0:00", ConsoleProgress.clock(0.2));
        assertEquals("1:05", ConsoleProgress.clock(65));
        assertEquals("59:59", ConsoleProgress.clock(3599.4));
        assertEquals("2:00:01", ConsoleProgress.clock(7201));
    }

    private static EpisodeRecord record(int episode, double wallSeconds) {
        return new EpisodeRecord(episode, -2.0, new double[] {-2.0}, 10, 0.5, 0.25, new float[1], new float[1], 1e-3,
                10, 4, 40L * (episode + 1), wallSeconds);
    }
}
