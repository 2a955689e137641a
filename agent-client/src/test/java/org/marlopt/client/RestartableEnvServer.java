package org.marlopt.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/**
 * An env server on a fixed free loopback port that a test can stop and start again on the same
 * port, as a restarted server would come back. Stopping cancels its streams at once (no grace).
 */
public final class RestartableEnvServer implements AutoCloseable {

    private final ServerConfig config;
    private EnvServer server;
    private CompletableFuture<Void> restart = CompletableFuture.completedFuture(null);

    /** A server not started yet, on a port free now. */
    public RestartableEnvServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        config = ServerConfig.defaults().withHost("127.0.0.1").withPort(port).withMetricsPort(0)
                .withShutdownGrace(Duration.ZERO);
    }

    public String target() {
        return "127.0.0.1:" + config.port();
    }

    public synchronized void start() {
        try {
            server = EnvServer.start(config, EnvServerFixture.REGISTRY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server {@code delay} from now, on another thread. */
    public void startAfter(Duration delay) {
        restart = CompletableFuture.runAsync(this::start,
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Stops the server now and starts it again {@code downtime} later. */
    public void restartAfter(Duration downtime) {
        stop();
        startAfter(downtime);
    }

    /** Waits for a pending start, then stops the server. */
    @Override
    public void close() {
        restart.join();
        stop();
    }
}
