package org.marlopt.client.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.AgentClientMain;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.client.job.TrainProcess;

/**
 * {@code experiment} in a child JVM sent SIGTERM (as {@code docker stop} does, to it alone) while
 * its one run trains: the run stops with a checkpoint, the grid exits with 143, and the next
 * invocation resumes the run.
 */
class ExperimentStopTest {

    private static final String GRID = """
            name: stop
            seeds: [1]
            workers: 1
            settings: {episodes: 100, numEnvs: 4, evalEveryEpisodes: 4, evalEpisodes: 8, checkpointEvery: 5}
            environments:
              - id: DistributedLeastSquares-v1
                params: {max_episode_steps: 20}
            algorithms:
              - reward-gradient
            """;

    @TempDir
    Path dir;

    @Test
    void aStoppedGridExitsWith143AndItsRunResumesNextTime() throws Exception {
        AgentClientMain.configureRuntime();
        Path config = dir.resolve("grid.yaml");
        Files.writeString(config, GRID);
        Path out = dir.resolve("out");
        Path log = dir.resolve("experiment.log");
        try (EnvServerFixture env = new EnvServerFixture()) {
            Process grid = new ProcessBuilder(TrainProcess.command(List.of(), List.of("experiment",
                    config.toString(), "--out", out.toString(), "--server", env.target())))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            awaitCheckpoint(grid, out, log);
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(grid.pid())).start().waitFor());
            assertTrue(grid.waitFor(120, TimeUnit.SECONDS), "still running after SIGTERM");

            String output = Files.readString(log);
            assertEquals(143, grid.exitValue(), output);
            assertTrue(output.contains("stopped by SIGTERM: run the same command again to continue"), output);

            ByteArrayOutputStream console = new ByteArrayOutputStream();
            boolean finished = new ExperimentJob(env.client, new PrintStream(console, true, StandardCharsets.UTF_8),
                    Duration.ofSeconds(60), 3600, GracefulStop.never()).run(ExperimentJobTest.config(GRID), out,
                    false);
            String second = console.toString(StandardCharsets.UTF_8);
            assertTrue(finished, second);
            assertTrue(second.contains("resumed from its checkpoint"), second);
        }
    }

    /** Waits for the run's first checkpoint, the sign that it is training. */
    private static void awaitCheckpoint(Process grid, Path out, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (manifest(out).isEmpty()) {
            if (!grid.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint; the grid's output:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private static Optional<Path> manifest(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(file -> file.endsWith(Path.of("checkpoint", "manifest.json"))).findFirst();
        } catch (UncheckedIOException renamedWhileWalking) { // a save moves checkpoint.tmp into place
            return Optional.empty();
        }
    }
}
