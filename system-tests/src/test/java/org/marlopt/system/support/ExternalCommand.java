package org.marlopt.system.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool run to completion, with its combined stdout and stderr kept for assertion messages.
 * Output goes to a file, never a pipe that could fill up and block the child.
 */
public record ExternalCommand(List<String> command, int exitCode, String output) {

    private static final String INSTALL = "run `bash scripts/install-test-deps.sh`";

    /** Runs {@code command} in the repository root with the test JVM's environment. */
    public static ExternalCommand run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(ProjectFiles.root(), Map.of(), timeout, command);
    }

    /** Runs {@code command} in {@code workDir} with {@code environment} added to the test JVM's. */
    public static ExternalCommand run(Path workDir, Map<String, String> environment, Duration timeout,
            String... command) throws IOException, InterruptedException {
        if (!command[0].contains("/")) {
            requireOnPath(command[0]);
        }
        Path log = Files.createTempFile("external-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!finished) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "; output so far:\n" + output);
            }
            return new ExternalCommand(List.of(command), process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public static boolean isOnPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    /** Fails with the fix when a tool that scripts/install-test-deps.sh installs is missing. */
    public static void requireOnPath(String tool) {
        if (!isOnPath(tool)) {
            throw new IllegalStateException(tool + " is not on PATH: " + INSTALL);
        }
    }

    /** The last non-blank line of the output. */
    public String lastLine() {
        return output.lines().filter(line -> !line.isBlank()).reduce((first, second) -> second).orElse("");
    }

    /** For assertion messages: what ran, how it ended, everything it printed. */
    public String describe() {
        return "`" + String.join(" ", command) + "` exited with " + exitCode + "; output:\n" + output;
    }
}
