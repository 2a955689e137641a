package org.marlopt.client.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.marlopt.client.AgentClientMain;

/**
 * One {@code train} in a child JVM: the java binary and class path of this process, so every run
 * starts from a fresh JVM and its peak memory is its own.
 */
public final class TrainProcess {

    private TrainProcess() {}

    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)");

    /** The command line of {@code agent-client <arguments>} in a child JVM started with {@code javaOptions}. */
    public static List<String> command(List<String> javaOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AgentClientMain.class.getName());
        command.addAll(arguments);
        return command;
    }

    /**
     * Runs {@code command} to its end, its output and errors into {@code log}; returns its exit
     * code. A {@code stop} is passed on as SIGTERM, so a {@code train} child stops after its round
     * with a checkpoint (and exits with 143); {@code docker stop} signals only this, the parent.
     */
    public static int run(List<String> command, Path log, GracefulStop stop) throws IOException,
            InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runnable forward = process::destroy;
        stop.onRequest(forward);
        if (stop.requested()) { // before the line above
            forward.run();
        }
        // a child outliving a parent that exits otherwise (SIGHUP, an error) would keep a core busy for nothing
        Thread stopChild = new Thread(process::destroy);
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            return process.waitFor();
        } finally {
            stop.remove(forward);
            process.destroy();
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // this JVM is exiting (Ctrl-C): the hook is running and stops the child
            }
        }
    }

    /** A child's log's last line that is not a stack frame: its error message, or an exception's. */
    public static String lastError(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank() && !STACK_FRAME.matcher(lines.get(i)).find()) {
                return lines.get(i).strip();
            }
        }
        return "no output";
    }
}
