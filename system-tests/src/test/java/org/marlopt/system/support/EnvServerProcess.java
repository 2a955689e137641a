package org.marlopt.system.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The packaged env server run as a separate JVM on a free loopback port, as an agent in another language
 * or a container health check meets it. Stopped with SIGTERM (graceful drain), then killed if it does
 * not exit in time.
 */
public final class EnvServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final ChildProcess process;
    private final int port;

    private EnvServerProcess(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the jar on 127.0.0.1 with the gRPC and metrics ports left to the OS, plus {@code extraFlags};
     * returns once it listens.
     */
    public static EnvServerProcess start(String... extraFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProjectFiles.javaExecutable(),
                "-jar", ProjectFiles.runnableJar("env-server").toString(),
                "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0"));
        command.addAll(List.of(extraFlags));
        Path log = Files.createTempFile("env-server", ".log");
        ChildProcess process = ChildProcess.start("env-server", log, command);
        try {
            int port = Integer.parseInt(process.awaitOutput(LISTENING, STARTUP).group(1));
            return new EnvServerProcess(process, port);
        } catch (RuntimeException | InterruptedException e) {
            stop(process);
            throw e;
        }
    }

    /** host:port, as agents' --server flag and health checks take it. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    /** Everything the server printed so far. */
    public String output() {
        return process.output();
    }

    public String logTail() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(ChildProcess process) throws InterruptedException {
        process.close();
        try {
            Files.deleteIfExists(process.log());
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }
}
