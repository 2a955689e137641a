package org.marlopt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.AgentClientMain;

/**
 * What a user sees, in a child JVM as {@code java -jar} runs it: a run prints only its own lines
 * (no PyTorch warning, no gRPC or embedded-server log lines), and a wrong setting fails before the
 * engine loads.
 */
class ConsoleOutputProcessTest {

    @TempDir
    Path dir;

    /** What one run of the client printed. */
    private record Run(int exitCode, List<String> out, List<String> err) {
    }

    @Test
    void aRunPrintsOnlyItsOwnLines() throws Exception {
        Run run = client("train", "--episodes", "1", "--num-envs", "4", "--no-eval", "--metrics-port", "0",
                "--out", dir.resolve("run").toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(), run.err(), "nothing on stderr");
        assertEquals(1, run.out().size(), run::toString);
        assertTrue(run.out().get(0).startsWith("trained 20 env steps in "), run::toString);
    }

    @Test
    void aWrongParameterFailsBeforeTheEngineLoadsOrTheServerStarts() throws Exception {
        // both would say so at these levels: "env server listening on ...", DJL's "Found matching platform ..."
        Run wrong = client(List.of("-Dorg.slf4j.simpleLogger.log.org.marlopt.server=info",
                "-Dorg.slf4j.simpleLogger.log.ai.djl=info"), "train", "--param", "num_agent=4", "--metrics-port", "0",
                "--out", dir.resolve("never").toString());
        assertEquals(1, wrong.exitCode(), wrong::toString);
        assertEquals(1, wrong.err().size(), wrong::toString);
        assertTrue(wrong.err().get(0).startsWith("error: unknown parameter 'num_agent' for DistributedOptimization-v1;"
                + " did you mean 'num_agents'?"), wrong::toString);
        assertTrue(Files.notExists(dir.resolve("never").resolve("config.json")), "nothing written");
    }

    private Run client(String... args) throws IOException, InterruptedException {
        return client(List.of(), args);
    }

    private Run client(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentClientMain.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the client ends");
        return new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }
}
