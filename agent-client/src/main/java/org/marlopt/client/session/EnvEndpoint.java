package org.marlopt.client.session;

import java.io.IOException;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/**
 * Where the env server is: a remote {@code host:port}, a list of replicas or a DNS name of them
 * (see {@link ServerTarget}), or, when none is given, a server started inside this JVM on a free
 * loopback port (still reached through gRPC, like a remote one).
 */
public final class EnvEndpoint implements AutoCloseable {

    /** Environment variable naming a remote server when --server is not given. */
    public static final String TARGET_VARIABLE = "ENV_SERVER_TARGET";

    private final String target;
    private final EnvServer embedded;

    private EnvEndpoint(String target, EnvServer embedded) {
        this.target = target;
        this.embedded = embedded;
    }

    /**
     * @param target {@code host:port}, {@code h1:p1,h2:p2,...}, {@code dns:///name:port}, or null/blank for {@code $ENV_SERVER_TARGET}, or, when that
     *     is unset too, an embedded server
     * @param embeddedMetricsPort metrics port of an embedded server (0: none, avoids port clashes)
     */
    public static EnvEndpoint resolve(String target, int embeddedMetricsPort) throws IOException {
        boolean given = target != null && !target.isBlank();
        String chosen = given ? target : System.getenv(TARGET_VARIABLE);
        if (chosen != null && !chosen.isBlank()) {
            ServerTarget.parse(chosen, given ? "--server" : "$" + TARGET_VARIABLE); // a bad form fails here, named
            return new EnvEndpoint(chosen.trim(), null);
        }
        EnvServer server = EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withMetricsPort(embeddedMetricsPort));
        return new EnvEndpoint("127.0.0.1:" + server.port(), server);
    }

    public String target() {
        return target;
    }

    public boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
