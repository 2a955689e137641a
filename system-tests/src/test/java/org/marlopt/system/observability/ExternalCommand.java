package org.marlopt.system.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool to completion and keeps its combined output for assertion messages. */
record ExternalCommand(int exitCode, String output) {

    static ExternalCommand run(Path workDir, Map<String, String> environment, Duration timeout, String... command)
            throws IOException, InterruptedException {
        if (!command[0].contains("/")) {
            requireOnPath(command[0]);
        }
        Path log = Files.createTempFile("external-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new ExternalCommand(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Fails with the fix when a tool that scripts/install-test-deps.sh installs is missing. */
    static void requireOnPath(String tool) {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
        if (!found) {
            throw new IllegalStateException(tool + " is not on PATH: run `bash scripts/install-test-deps.sh`");
        }
    }

    String describe() {
        return "exit code " + exitCode + ", output:\n" + output;
    }
}
