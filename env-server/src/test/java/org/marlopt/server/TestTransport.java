package org.marlopt.server;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.marlopt.env.EnvRegistry;

/** The two transports a server test can run on: in-process, and Netty on 127.0.0.1. */
enum TestTransport {
    IN_PROCESS {
        @Override
        Running start(ServerConfig config, EnvRegistry registry) {
            String name = InProcessServerBuilder.generateName();
            EnvServer server = EnvServer.start(InProcessServerBuilder.forName(name), config, registry);
            return new Running(server, () -> InProcessChannelBuilder.forName(name).build());
        }
    },
    NETTY {
        @Override
        Running start(ServerConfig config, EnvRegistry registry) {
            try {
                EnvServer server = EnvServer.start(config.withHost("127.0.0.1").withPort(0), registry);
                return new Running(server, () -> NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                        .usePlaintext().maxInboundMessageSize(64 * 1024 * 1024).build());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    abstract Running start(ServerConfig config, EnvRegistry registry);

    /** A started server and a maker of channels to it; close() stops the server. */
    record Running(EnvServer server, ChannelMaker channels) implements AutoCloseable {

        ManagedChannel channel() {
            return channels.make();
        }

        /** Waits up to {@code within} for the server to hold {@code expected} sessions; returns what it holds. */
        int awaitSessions(int expected, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (server.activeSessions() != expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return server.activeSessions();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    @FunctionalInterface
    interface ChannelMaker {
        ManagedChannel make();
    }

    static void shutdown(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
