package org.marlopt.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.marlopt.client.grpc.EnvClient;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/** An env server on a free loopback port and a client channel to it, for one test class. */
public final class EnvServerFixture implements AutoCloseable {

    public final EnvServer server;
    public final EnvClient client;

    public EnvServerFixture() throws IOException {
        server = EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(0));
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
