package org.marlopt.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-running process the test starts and always stops. Its output goes to a log file (never a pipe
 * that could fill up and block it), which failure messages quote.
 */
public final class ChildProcess implements AutoCloseable {

    /** The env server's default 10 s shutdown grace plus the 5 s it then waits for cancelled calls. */
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;
    /** Stops the process if the test JVM exits before close(), e.g. on Ctrl-C. */
    private final Thread stopOnJvmExit;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stopOnJvmExit = new Thread(process::destroyForcibly, "stop " + name);
        Runtime.getRuntime().addShutdownHook(stopOnJvmExit);
    }

    /** Starts {@code command} with stdout and stderr going to {@code log}; {@code name} labels messages. */
    public static ChildProcess start(String name, Path log, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildProcess(name, process, log);
    }

    /** The first match of {@code pattern} in the output, waiting for it while the process runs. */
    public Matcher awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Matcher matcher = pattern.matcher(output());
            if (matcher.find()) {
                return matcher;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before printing /" + pattern + "/\n" + logTail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " did not print /" + pattern + "/ within " + timeout
                        + "\n" + logTail());
            }
            Thread.sleep(100);
        }
    }

    /** The process id of the child (the command itself, or what it exec'd into). */
    public long pid() {
        return process.pid();
    }

    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the output goes; the caller that chose it also removes it. */
    public Path log() {
        return log;
    }

    /** The last lines of the output, labelled, for assertion messages. */
    public String logTail() {
        List<String> lines = output().lines().toList();
        return "--- last lines of " + name + " (" + log + ") ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    /** SIGTERM, so the process shuts down gracefully; SIGKILL if it does not within a few seconds. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Runtime.getRuntime().removeShutdownHook(stopOnJvmExit);
    }
}
