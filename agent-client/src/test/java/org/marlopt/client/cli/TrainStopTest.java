package org.marlopt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.job.TrainJob;
import org.marlopt.client.job.TrainProcess;

/** {@code train} in a child JVM (this build's classes) stopped by SIGTERM or SIGINT mid-run, then resumed. */
class TrainStopTest {

    private static final int ROUNDS = 200;
    /** Long enough to be signalled mid-run, each round short: 8 copies, a checkpoint every 10 rounds. */
    private static final List<String> TRAIN = List.of("train", "--num-envs", "8", "--episodes",
            Integer.toString(ROUNDS), "--checkpoint-every", "10", "--no-eval", "--metrics-port", "0");

    @TempDir
    Path dir;

    @Test
    void sigtermStopsAfterTheRoundWithACheckpointAndTheResumedRunEndsAsAStraightOne() throws Exception {
        Path stopped = dir.resolve("stopped");
        Path straight = dir.resolve("straight");
        Process straightRun = start(train(straight), dir.resolve("straight.log"));
        Path log = dir.resolve("stopped.log");
        Process run = start(train(stopped), log);

        stopMidRun(run, "TERM", stopped);

        assertEquals(143, run.exitValue(), () -> read(log));
        int saved = assertCheckpointMatchesCompleteCsvRows(stopped);
        assertTrue(read(log).contains("stopped by SIGTERM after round " + saved + ": checkpoint in "
                + stopped.resolve("checkpoint") + "\ncontinue with: agent-client train --resume " + stopped),
                () -> read(log));

        Path resumeLog = dir.resolve("resume.log");
        assertEquals(0, await(start(List.of("train", "--resume", stopped.toString(), "--metrics-port", "0"),
                resumeLog)), () -> read(resumeLog));
        assertEquals(0, await(straightRun), () -> read(dir.resolve("straight.log")));
        assertEquals(withoutWallTime(straight), withoutWallTime(stopped),
                "a stopped and resumed run trains exactly as a straight one");
    }

    @Test
    void sigintStopsWithExitCode130AndACheckpointOfEveryRowWritten() throws Exception {
        Path out = dir.resolve("run");
        Path log = dir.resolve("run.log");
        Process run = start(train(out), log);

        stopMidRun(run, "INT", out);

        assertEquals(130, run.exitValue(), () -> read(log));
        assertCheckpointMatchesCompleteCsvRows(out);
        assertTrue(read(log).contains("received SIGINT: finishing the current round, then saving a checkpoint"),
                () -> read(log));
    }

    private static List<String> train(Path out) {
        List<String> arguments = new ArrayList<>(TRAIN);
        arguments.addAll(List.of("--out", out.toString()));
        return arguments;
    }

    private static Process start(List<String> arguments, Path log) throws IOException {
        return new ProcessBuilder(TrainProcess.command(List.of(), arguments)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** Signals {@code run} once its first checkpoint is in place, and waits for it to end. */
    private static void stopMidRun(Process run, String signal, Path out) throws Exception {
        Path manifest = out.resolve(TrainJob.CHECKPOINT_DIR).resolve(Checkpoint.MANIFEST);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(manifest)) {
            assertTrue(run.isAlive() && System.nanoTime() < deadline, "no first checkpoint");
            Thread.sleep(10);
        }
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(run.pid())).start().waitFor());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "still running after SIG" + signal);
    }

    private static int await(Process process) throws InterruptedException {
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running");
        return process.exitValue();
    }

    /** The CSV has a whole row for every round the checkpoint holds, and no more; returns those rounds. */
    private static int assertCheckpointMatchesCompleteCsvRows(Path out) throws IOException {
        int saved = Checkpoint.episodesDone(out.resolve(TrainJob.CHECKPOINT_DIR));
        List<String> lines = Files.readAllLines(out.resolve(TrainJob.EPISODES_FILE));
        assertTrue(saved > 0 && saved < ROUNDS, "stopped mid-run, after round " + saved);
        assertEquals(saved + 1, lines.size(), "a row for every round of the checkpoint, after the header");
        int columns = lines.get(0).split(",").length;
        for (String line : lines) {
            assertEquals(columns, line.split(",", -1).length, line);
        }
        return saved;
    }

    /** The CSV's rows less the last column (wall time, the only one that differs between runs). */
    private static List<String> withoutWallTime(Path out) throws IOException {
        return Files.readAllLines(out.resolve(TrainJob.EPISODES_FILE)).stream()
                .map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
