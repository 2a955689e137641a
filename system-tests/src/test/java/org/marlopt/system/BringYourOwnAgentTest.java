package org.marlopt.system;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.system.byoa.Prerequisites;
import org.marlopt.system.support.EnvServerProcess;
import org.marlopt.system.support.ExternalCommand;

/**
 * The contract (protocol v2) is enough: the packaged server, started as its own process, passes the Python
 * conformance suite for every environment it offers (the suite in turn must catch faults injected between it
 * and the server) and serves the Python and Node agents, which use nothing but env.proto and a gRPC library.
 */
class BringYourOwnAgentTest {

    /**
     * Limits small enough that the conformance suite also checks the session limit and idle expiry
     * (it skips them against the defaults, 1024 sessions and a 600 s TTL).
     */
    private static final String[] SMALL_LIMITS = {"--max-sessions", "16", "--session-ttl-seconds", "3"};
    private static final Duration CONFORMANCE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern SUMMARY = Pattern.compile("^(\\d+) passed, (\\d+) failed(, (\\d+) skipped)?$");
    /**
     * Fewer passes than this means checks went missing: the suite holds 48 checks per environment and 32 for
     * the server and the seed environment, of which a few skip where they do not apply (no message channel).
     */
    private static final int LEAST_PASSED_CHECKS = 150;

    private static EnvServerProcess server;

    @BeforeAll
    static void startServer() throws IOException, InterruptedException {
        server = EnvServerProcess.start(SMALL_LIMITS);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void conformanceSuitePasses() throws IOException, InterruptedException {
        Prerequisites.requirePythonGrpc();
        ExternalCommand run = ExternalCommand.run(CONFORMANCE_TIMEOUT,
                Prerequisites.PYTHON, "conformance/run.py", "--server", server.target());
        Matcher summary = SUMMARY.matcher(run.lastLine());
        assertTrue(summary.matches(), () -> "the last line must be 'N passed, N failed': " + describe(run));
        assertAll(
                () -> assertEquals(0, run.exitCode(), () -> describe(run)),
                () -> assertEquals("0", summary.group(2), () -> "failed checks: " + describe(run)),
                () -> assertTrue(Integer.parseInt(summary.group(1)) >= LEAST_PASSED_CHECKS,
                        () -> "fewer checks passed than the suite holds against this server: " + describe(run)),
                () -> assertTrue(Pattern.compile("(?m)^PASS  messages_reach_exactly_out_neighbours\\[").matcher(
                        run.output()).find(), () -> "the message channel checks must run for the environments "
                        + "with a channel: " + describe(run)),
                () -> assertFalse(run.output().contains("SKIP  session_limit_resource_exhausted"),
                        () -> "the session limit check must run with --max-sessions 16: " + describe(run)),
                () -> assertFalse(run.output().contains("SKIP  idle_session_expires_not_found"),
                        () -> "the expiry check must run with --session-ttl-seconds 3: " + describe(run)));
    }

    @Test
    void conformanceSuiteCatchesInjectedFaults() throws IOException, InterruptedException {
        Prerequisites.requirePythonGrpc();
        ExternalCommand run = ExternalCommand.run(CONFORMANCE_TIMEOUT,
                Prerequisites.PYTHON, "conformance/selftest.py", "--server", server.target());
        assertAll(
                () -> assertEquals(0, run.exitCode(), () -> describe(run)),
                () -> assertTrue(run.lastLine().matches("\\d+ caught, 0 missed"), () -> describe(run)));
    }

    @Test
    void pythonAgentRunsBothPoliciesOverTheStream() throws IOException, InterruptedException {
        Prerequisites.requirePythonGrpc();
        ExternalCommand run = ExternalCommand.run(AGENT_TIMEOUT, Prerequisites.PYTHON, "examples/python-agent/agent.py",
                "--server", server.target(), "--episodes", "3");
        assertEquals(0, run.exitCode(), () -> describe(run));
        assertAll(
                () -> assertEquals(3, count(run.output(), "(?m)^policy=random episode=\\d .* steps=\\d+ "),
                        () -> "one line per random episode: " + describe(run)),
                () -> assertTrue(run.output().contains("policy=proportional solved 3/3 episodes"),
                        () -> "the proportional controller solves every episode: " + describe(run)));
    }

    @Test
    void pythonAgentRunsOverUnaryCalls() throws IOException, InterruptedException {
        Prerequisites.requirePythonGrpc();
        ExternalCommand run = ExternalCommand.run(AGENT_TIMEOUT, Prerequisites.PYTHON, "examples/python-agent/agent.py",
                "--server", server.target(), "--transport", "unary", "--policy", "proportional", "--gain", "1");
        assertEquals(0, run.exitCode(), () -> describe(run));
        assertEquals(3, count(run.output(), "(?m)^policy=proportional episode=\\d .* steps=1 solved"),
                () -> "with gain 1 the controller solves each episode in one step: " + describe(run));
    }

    @Test
    void pythonAgentSendsTypedParameters() throws IOException, InterruptedException {
        Prerequisites.requirePythonGrpc();
        ExternalCommand run = ExternalCommand.run(AGENT_TIMEOUT, Prerequisites.PYTHON, "examples/python-agent/agent.py",
                "--server", server.target(), "--param", "num_agents=2", "--param", "param_dim=6", "--param", "target=2",
                "--policy", "proportional", "--gain", "1", "--episodes", "1");
        assertEquals(0, run.exitCode(), () -> describe(run));
        assertAll(
                () -> assertTrue(run.output().contains("agents ['agent_0', 'agent_1']"),
                        () -> "num_agents=2 (an integer) shapes the session: " + describe(run)),
                () -> assertTrue(run.output().contains("'target': 2.0"),
                        () -> "target=2 is sent as the number parameter it is declared as: " + describe(run)),
                () -> assertTrue(run.output().contains("policy=proportional solved 1/1 episodes"), () -> describe(run)));
    }

    @Test
    void pythonAgentDrivesAnEnvironmentWithAMessageChannel() throws IOException, InterruptedException {
        Prerequisites.requirePythonGrpc();
        ExternalCommand run = ExternalCommand.run(AGENT_TIMEOUT, Prerequisites.PYTHON, "examples/python-agent/agent.py",
                "--server", server.target(), "--env", "DistributedLeastSquares-v1", "--param", "topology=complete",
                "--param", "message_delay=1", "--episodes", "1", "--transport", "unary");
        assertEquals(0, run.exitCode(), () -> describe(run));
        assertAll(
                () -> assertTrue(run.output().contains("'topology': 'complete'"), () -> describe(run)),
                () -> assertTrue(Pattern.compile("(?m)^policy=random episode=0 seed=0 return=-?[0-9.]+ steps=\\d+ "
                        + "truncated .*score=").matcher(run.output()).find(),
                        () -> "one random episode, truncated, with the environment's score: " + describe(run)));
    }

    @Test
    void nodeAgentRunsOneEpisode() throws IOException, InterruptedException {
        Prerequisites.requireNodeAgentModules();
        ExternalCommand run = ExternalCommand.run(AGENT_TIMEOUT, "node", "examples/node-agent/agent.js",
                "--server", server.target(), "--seed", "3");
        assertEquals(0, run.exitCode(), () -> describe(run));
        assertTrue(Pattern.compile("(?m)^episode seed=3 return=-?[0-9.]+ steps=\\d+ terminated=true truncated=false")
                .matcher(run.output()).find(), () -> "the controller solves the episode: " + describe(run));
    }

    private static long count(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().count();
    }

    /** The child's output and the server's, for a failure message. */
    private static String describe(ExternalCommand run) {
        return run.describe() + "\n--- env server output ---\n" + serverOutput();
    }

    private static String serverOutput() {
        try {
            return server.output();
        } catch (UncheckedIOException e) {
            return "(unreadable: " + e.getCause() + ")";
        }
    }
}
