package org.marlopt.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.marlopt.client.session.EnvClient;
import org.marlopt.env.EnvRegistry;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/**
 * An env server on a free loopback port and a client to it, for one test class. It serves the
 * discovered environments and the tests' own {@link ToyEnv}.
 */
public final class EnvServerFixture implements AutoCloseable {

    public static final EnvRegistry REGISTRY = EnvRegistry.discover().with(List.of(new ToyEnv()));

    public final EnvServer server;
    public final EnvClient client;

    public EnvServerFixture() throws IOException {
        server = EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(0),
                REGISTRY);
        client = EnvClient.connect(target(), Duration.ofSeconds(30), List.of());
    }

    public String target() {
        return "127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
