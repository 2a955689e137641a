package org.marlopt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.AgentClientMain;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.io.Json;
import picocli.CommandLine;

/** The command line end to end against a loopback env server. */
class AgentClientMainTest {

    static EnvServerFixture env;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    @BeforeAll
    static void startServer() throws IOException {
        AgentClientMain.configureRuntime();
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    private int run(String... args) {
        CommandLine commandLine = AgentClientMain.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            return commandLine.execute(args);
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void trainThenEvaluateTheCheckpointWithReferencePolicies() throws IOException {
        Path config = dir.resolve("small.properties");
        Files.writeString(config, "numEnvs=32\nepisodes=10\nevalEpisodes=50\n");
        Path out = dir.resolve("run");
        assertEquals(0, run("train", "--server", env.target(), "--metrics-port", "0", "--config", config.toString(),
                "--episodes", "12", "--out", out.toString()), errors::toString);
        JsonNode resolved = Json.MAPPER.readTree(out.resolve("config.json").toFile()).get("config");
        assertEquals(12, resolved.get("episodes").asInt(), "flags override the config file");
        assertEquals(32, resolved.get("numEnvs").asInt());

        assertEquals(0, run("train", "--server", env.target(), "--metrics-port", "0", "--resume", out.toString(),
                "--episodes", "15"), errors::toString);
        assertEquals(16, Files.readAllLines(out.resolve("episodes.csv")).size(), "resume writes into the run's CSV");
        Path more = dir.resolve("more");
        assertEquals(0, run("train", "--server", env.target(), "--metrics-port", "0", "--resume", out.toString(),
                "--episodes", "17", "--no-eval", "--out", more.toString()), errors::toString);
        assertEquals(18, Files.readAllLines(more.resolve("episodes.csv")).size(), "a new directory gets the whole CSV");

        Path json = dir.resolve("eval.json");
        assertEquals(0, run("evaluate", "--server", env.target(), "--metrics-port", "0", "--checkpoint",
                out.toString(), "--policy", "all", "--episodes", "50", "--json", json.toString()), errors::toString);
        JsonNode results = Json.MAPPER.readTree(json.toFile());
        assertEquals(1.0, results.get("oracle").get("one_step_success_rate").asDouble());
        assertTrue(results.has("learned") && results.has("zero"));
        assertEquals(50, results.get("learned").get("episodes").asInt());
    }

    @Test
    void badInputsFailWithActionableMessages() {
        assertEquals(1, run("train", "--server", env.target(), "--metrics-port", "0", "--set", "numEnvs=lots",
                "--out", dir.toString()));
        assertTrue(errors.toString().contains("numEnvs"), errors.toString());

        assertEquals(1, run("evaluate", "--server", env.target(), "--metrics-port", "0",
                "--checkpoint", dir.resolve("absent").toString()));
        assertTrue(errors.toString().contains("does not exist"), errors.toString());

        assertEquals(1, run("evaluate", "--server", env.target(), "--metrics-port", "0", "--policy", "random"));
        assertTrue(errors.toString().contains("unknown policy 'random'"), errors.toString());

        assertEquals(1, run("train", "--server", env.target(), "--metrics-port", "0", "--resume", dir.toString(),
                "--seed", "3"));
        assertTrue(errors.toString().contains("only --episodes"), errors.toString());
    }

    @Test
    void benchNeedsAMemoryRunLongerThanItsRssBaseline() {
        assertEquals(1, run("bench", "--server", env.target(), "--metrics-port", "0", "--memory-episodes", "1000",
                "--out", dir.toString()));
        assertTrue(errors.toString().contains("--memory-episodes") && errors.toString().contains("more than 1000"),
                errors.toString());
    }
}
