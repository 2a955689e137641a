package org.marlopt.client.session;

import io.grpc.ClientInterceptor;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.marlopt.env.EnvRegistry;
import org.marlopt.security.ClientSecurity;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/**
 * Where the env server is: a remote {@code host:port}, a list of replicas or a DNS name of them
 * (see {@link ServerTarget}), or, when none is given, a server started inside this JVM. The
 * embedded server is the same gRPC service (interceptors, metrics, health, graceful stop), reached
 * over an in-process channel, so a step takes no network path: messages pass as objects, and the
 * handler runs on the caller's thread. Commands whose child processes connect to it too ask for
 * one {@link #resolveListening listening} on a free loopback port instead.
 */
public final class EnvEndpoint implements AutoCloseable {

    /** Environment variable naming a remote server when --server is not given. */
    public static final String TARGET_VARIABLE = "ENV_SERVER_TARGET";

    private final String target;
    private final EnvServer embedded;
    /** The in-process server's name, or null when the server is reached over the network. */
    private final String inProcessName;

    private EnvEndpoint(String target, EnvServer embedded, String inProcessName) {
        this.target = target;
        this.embedded = embedded;
        this.inProcessName = inProcessName;
    }

    /**
     * @param target {@code host:port}, {@code h1:p1,h2:p2,...}, {@code dns:///name:port}, or null/blank for {@code $ENV_SERVER_TARGET}, or, when that
     *     is unset too, an embedded server on an in-process channel
     * @param embeddedMetricsPort metrics port of an embedded server (0: none, avoids port clashes)
     */
    public static EnvEndpoint resolve(String target, int embeddedMetricsPort) {
        EnvEndpoint remote = remote(target);
        if (remote != null) {
            return remote;
        }
        String name = InProcessServerBuilder.generateName();
        EnvServer server = EnvServer.start(InProcessServerBuilder.forName(name),
                embeddedConfig(embeddedMetricsPort), EnvRegistry.discover());
        return new EnvEndpoint("in-process:" + name, server, name);
    }

    /**
     * As {@link #resolve}, but an embedded server listens on a free loopback port, for commands
     * whose child processes connect to it ({@code --server} + {@link #target()}).
     */
    public static EnvEndpoint resolveListening(String target, int embeddedMetricsPort) throws IOException {
        EnvEndpoint remote = remote(target);
        if (remote != null) {
            return remote;
        }
        EnvServer server = EnvServer.start(embeddedConfig(embeddedMetricsPort));
        return new EnvEndpoint("127.0.0.1:" + server.port(), server, null);
    }

    /** The given target, else {@code $ENV_SERVER_TARGET}'s, checked; null when neither names one. */
    private static EnvEndpoint remote(String target) {
        boolean given = target != null && !target.isBlank();
        String chosen = given ? target : System.getenv(TARGET_VARIABLE);
        if (chosen == null || chosen.isBlank()) {
            return null;
        }
        ServerTarget.parse(chosen, given ? "--server" : "$" + TARGET_VARIABLE); // a bad form fails here, named
        return new EnvEndpoint(chosen.trim(), null, null);
    }

    private static ServerConfig embeddedConfig(int metricsPort) {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(metricsPort);
    }

    /** A client of this server: over the in-process channel for an embedded one, else a new network channel. */
    public EnvClient connect(Duration timeout, List<ClientInterceptor> interceptors, ClientSecurity security) {
        return inProcessName != null
                ? EnvClient.inProcess(inProcessName, timeout, interceptors)
                : EnvClient.connect(target, timeout, interceptors, security);
    }

    /** {@code host:port} (or a list, or {@code dns:///}) of a networked server; {@code in-process:NAME} for an in-process one. */
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
