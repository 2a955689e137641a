package org.marlopt.system.byoa;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command run to completion in the repository root, with its combined stdout and stderr. Output goes
 * to a file, never a pipe that could fill up and block the child.
 */
public record CommandRun(List<String> command, int exitCode, String output) {

    public static CommandRun run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("byoa-command", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(Repository.root().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!finished) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "; output so far:\n" + output);
            }
            return new CommandRun(List.of(command), process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
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
