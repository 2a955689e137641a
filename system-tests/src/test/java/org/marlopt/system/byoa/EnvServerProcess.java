package org.marlopt.system.byoa;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged env server run as a separate JVM on a free loopback port, as an agent in another language
 * meets it. Stopped with SIGTERM (graceful drain), then killed if it does not exit in time.
 */
public final class EnvServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);

    private final Process process;
    private final Path log;
    private final Thread killOnJvmExit;
    private int port;

    private EnvServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.killOnJvmExit = new Thread(process::destroyForcibly, "kill env server");
        Runtime.getRuntime().addShutdownHook(killOnJvmExit);
    }

    /** Starts the jar on 127.0.0.1, port 0, metrics off, plus {@code extraFlags}; returns once it listens. */
    public static EnvServerProcess start(Path jar, String... extraFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString(),
                "--port", "0", "--host", "127.0.0.1", "--metrics-port", "0"));
        command.addAll(List.of(extraFlags));
        Path log = Files.createTempFile("env-server", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EnvServerProcess server = new EnvServerProcess(process, log);
        try {
            server.port = server.awaitPort();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** host:port for the agents' --server flag. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private int awaitPort() throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (true) {
            String output = readLog();
            Matcher matcher = LISTENING.matcher(output);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the env server exited with " + process.exitValue()
                        + " before printing 'listening on port N'; output:\n" + output);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the env server printed no 'listening on port N' within " + STARTUP
                        + "; output:\n" + output);
            }
            Thread.sleep(100);
        }
    }

    private String readLog() {
        try {
            return output();
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Runtime.getRuntime().removeShutdownHook(killOnJvmExit);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }
}
