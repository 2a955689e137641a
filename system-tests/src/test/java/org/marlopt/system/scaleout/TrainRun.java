package org.marlopt.system.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.marlopt.system.support.ProjectFiles;

/**
 * One {@code java [jvmFlags] -jar agent-client.jar train ... --out DIR} process, its output in DIR's
 * sibling log file, and what it wrote: episodes.csv, summary.json, the checkpoint's weights.
 */
public final class TrainRun implements AutoCloseable {

    private static final int LOG_TAIL_LINES = 40;

    private final String label;
    private final Path out;
    private final Path log;
    private final Process process;
    private final Thread stopOnJvmExit;

    private TrainRun(String label, Path out, Path log, Process process) {
        this.label = label;
        this.out = out;
        this.log = log;
        this.process = process;
        this.stopOnJvmExit = new Thread(process::destroyForcibly, "stop " + label);
        Runtime.getRuntime().addShutdownHook(stopOnJvmExit);
    }

    /** Starts {@code train} with {@code trainArgs} plus {@code --out out}; {@code jvmFlags} go before -jar. */
    public static TrainRun start(String label, Path out, List<String> jvmFlags, List<String> trainArgs)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProjectFiles.javaExecutable());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", ProjectFiles.runnableJar("agent-client").toString(), "train"));
        command.addAll(trainArgs);
        command.addAll(List.of("--out", out.toString()));
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Files.createDirectories(out.getParent());
        System.out.println("[scaleout] " + label + ": " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new TrainRun(label, out, log, process);
    }

    public Path out() {
        return out;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Data rows in episodes.csv so far (0 before it exists). */
    public int csvRows() {
        try {
            Path csv = out.resolve("episodes.csv");
            return Files.exists(csv) ? Math.max(0, (int) Files.readAllLines(csv).stream()
                    .filter(line -> !line.isBlank()).count() - 1) : 0;
        } catch (IOException e) {
            return 0; // being written
        }
    }

    /** Waits until episodes.csv has {@code rows} data rows; false if the run ended or the time passed first. */
    public boolean awaitCsvRows(int rows, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (csvRows() >= rows) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Waits for the process to end; its exit code (throws with the log tail if it does not end in time). */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(label + " did not finish within " + timeout + "\n" + logTail());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail() {
        List<String> lines = output().lines().toList();
        return "--- last lines of " + label + " (" + log + ") ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    /** summary.json's env_steps / training_seconds. */
    public double envStepsPerSecond() throws IOException {
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        return summary.get("env_steps").asDouble() / summary.get("training_seconds").asDouble();
    }

    /** summary.json's training_seconds. */
    public double trainingSeconds() throws IOException {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("training_seconds").asDouble();
    }

    public long envSteps() throws IOException {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("env_steps").asLong();
    }

    /** episodes.csv without its wall_time_s column (the only one that differs between equal runs). */
    public List<String> csvWithoutWallTime() throws IOException {
        return withoutColumn(Files.readAllLines(out.resolve("episodes.csv")), "wall_time_s");
    }

    /** The episode numbers in episodes.csv, in file order. */
    public List<Integer> csvEpisodes() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("episodes.csv"));
        return lines.subList(1, lines.size()).stream().filter(line -> !line.isBlank())
                .map(line -> Integer.parseInt(line.substring(0, line.indexOf(',')))).toList();
    }

    /**
     * The trained state: the checkpoint's every agent's weights ({@code agents/*.params}) and the optimizer
     * state ({@code optimizer.ndlist}), by path inside the checkpoint.
     */
    public Map<String, byte[]> checkpointState() throws IOException {
        Path checkpoint = out.resolve("checkpoint");
        Map<String, byte[]> files = new TreeMap<>();
        try (var paths = Files.walk(checkpoint)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String name = file.toString();
                if (name.endsWith(".params") || name.endsWith(".ndlist")) {
                    files.put(checkpoint.relativize(file).toString(), Files.readAllBytes(file));
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no weights in " + checkpoint);
        }
        return files;
    }

    static List<String> withoutColumn(List<String> lines, String column) {
        int index = List.of(lines.get(0).split(",", -1)).indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + ": " + lines.get(0));
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            if (cells.size() > index) {
                cells.remove(index);
            }
            kept.add(String.join(",", cells));
        }
        return kept;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnJvmExit);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }
}
