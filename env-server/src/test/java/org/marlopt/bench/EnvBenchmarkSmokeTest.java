package org.marlopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvRegistry;
import org.marlopt.server.TallyEnv;
import picocli.CommandLine;

/** The benchmark runs end to end and prints every row; it asserts no speed (that is its job). */
class EnvBenchmarkSmokeTest {

    private static final EnvRegistry WITH_TALLY = EnvRegistry.discover().with(List.of(new TallyEnv()));
    private static final String[] SHORT = {"--seconds", "0.05", "--warmup-seconds", "0.05"};

    /** What one run printed on stdout and stderr, and its exit code. */
    private record Run(int exitCode, String out, String err) {
        List<String> rows() {
            return out.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| path")).toList();
        }
    }

    private static Run bench(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter errors = new StringWriter();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine command = new CommandLine(new EnvBenchmark(WITH_TALLY)).setErr(new PrintWriter(errors));
            int exitCode = command.execute(args);
            return new Run(exitCode, captured.toString(StandardCharsets.UTF_8), errors.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void printsOneRowPerPathAndBatchSizeForTheSeedEnvironment() {
        Run run = bench(SHORT);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(9, run.rows().size(), String.join("\n", run.rows()));
        for (String expected : List.of("| environment in-process | 1024 |", "| unary Step, blocking stub | 1 |",
                "| unary Step | 64 |", "| Interact stream | 1 |", "| Interact stream | 1024 |")) {
            assertTrue(run.rows().stream().anyMatch(row -> row.startsWith(expected)), "row " + expected);
        }
        assertTrue(run.out().contains("env: " + EnvBenchmark.SEED_ENV), run.out());
    }

    @Test
    void measuresTheEnvironmentAndParametersItIsGiven() {
        Run run = bench("--env", TallyEnv.ID, "--param", "num_agents=3", "--param", "weights=0.5, 1, 2",
                "--param", "start=random", "--param", "shared_reward=false", "--param", "message_size=2",
                "--seconds", "0.05", "--warmup-seconds", "0.05");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(9, run.rows().size(), String.join("\n", run.rows()));
        assertTrue(run.out().contains("env: " + TallyEnv.ID), run.out());
        assertTrue(run.out().contains("weights=[0.5, 1.0, 2.0]"), "the parameters in force: " + run.out());
    }

    @Test
    void aParameterTheEnvironmentRefusesIsAUsageErrorNamingIt() {
        Run notANumber = bench("--env", TallyEnv.ID, "--param", "goal=far");
        assertEquals(2, notANumber.exitCode());
        assertTrue(notANumber.err().contains("--param goal=far: goal takes a number"), notANumber.err());
        Run outOfBounds = bench("--env", TallyEnv.ID, "--param", "goal=1000");
        assertEquals(2, outOfBounds.exitCode());
        assertTrue(outOfBounds.err().contains("params.goal: "), outOfBounds.err());
        Run unknownEnv = bench("--env", "CartPole-v1");
        assertEquals(2, unknownEnv.exitCode());
        assertTrue(unknownEnv.err().contains(TallyEnv.ID), "lists the environments: " + unknownEnv.err());
        assertTrue(notANumber.rows().isEmpty() && outOfBounds.rows().isEmpty(), "nothing measured");
    }
}
