package org.marlopt.system.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** What "the same training" means here: equal episodes.csv but for wall times, byte-identical weights. */
final class Comparisons {

    private Comparisons() {
    }

    /** episodes.csv rows are episodes 0..N-1, each once, in order: no gap, no duplicate. */
    static void assertConsecutiveEpisodes(TrainRun run, int episodes) throws IOException {
        List<Integer> rows = run.csvEpisodes();
        assertEquals(IntStream.range(0, episodes).boxed().toList(), rows,
                run.out() + "/episodes.csv must list every episode once, in order");
    }

    /** {@code run} trained exactly as {@code reference}: same CSV but wall times, same checkpoint weights. */
    static void assertSameTraining(TrainRun reference, TrainRun run) throws IOException {
        assertEquals(reference.csvWithoutWallTime(), run.csvWithoutWallTime(),
                run.out() + "/episodes.csv differs from " + reference.out() + "'s (wall_time_s aside)");
        Map<String, byte[]> expected = reference.checkpointState();
        Map<String, byte[]> actual = run.checkpointState();
        assertEquals(expected.keySet(), actual.keySet(), "checkpoint files");
        for (String file : expected.keySet()) {
            assertTrue(Arrays.equals(expected.get(file), actual.get(file)),
                    "checkpoint/" + file + " of " + run.out() + " differs from " + reference.out() + "'s");
        }
        System.out.println("[scaleout] " + run.out().getFileName() + " = " + reference.out().getFileName()
                + ": episodes.csv (but wall times) and " + expected.size() + " checkpoint files " + expected.keySet()
                + " byte-identical");
    }
}
