package org.marlopt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The Python reference server (bench/python-peer/numpy_env_server.py) as a child process. */
final class PythonPeer implements AutoCloseable {

    private static final String READY = "listening on ";

    private final Process process;
    private final int port;

    private PythonPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the script on a free port and waits until it serves; its stderr goes to this one's. */
    static PythonPeer start(Path python, Path script) throws IOException, InterruptedException {
        if (!Files.isExecutable(python)) {
            throw new IllegalArgumentException("--python " + python + " is not an executable; install python3 with "
                    + "numpy and grpc (bash scripts/install-test-deps.sh) or name another interpreter");
        }
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("--peer " + script + " does not exist; run from the repository root "
                    + "or name bench/python-peer/numpy_env_server.py's path");
        }
        Process process = new ProcessBuilder(List.of(python.toString(), script.toString(), "--port", "0"))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = firstLine.get(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(READY)) {
                throw new IllegalStateException("the Python peer did not start (said: " + line
                        + "); its error is above. Missing numpy, grpcio or grpc_tools: bash scripts/install-test-deps.sh");
            }
            return new PythonPeer(process, Integer.parseInt(line.substring(READY.length()).trim()));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            process.destroyForcibly();
            throw e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("the Python peer did not report its port within 60 s", e);
        }
    }

    int port() {
        return port;
    }

    /** The peer's CPU time (user + system, from /proc at the kernel's 100 Hz tick), in nanoseconds. */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L; // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
