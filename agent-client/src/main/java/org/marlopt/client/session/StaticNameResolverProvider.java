package org.marlopt.client.session;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * Resolves {@code static:///h1:p1,h2:p2,...}, the target {@link ServerTarget} makes of a
 * comma-separated --server list, to every address of every entry, one address group each, so
 * round_robin keeps a subchannel per replica. Host names go through the JDK's InetAddress on every
 * resolution (gRPC resolves again after a connection fails).
 */
final class StaticNameResolverProvider extends NameResolverProvider {

    static final String SCHEME = "static";

    private static boolean registered;

    private StaticNameResolverProvider() {}

    /** Registers the provider with gRPC's default registry once; channels built afterwards find it. */
    static synchronized void register() {
        if (!registered) {
            NameResolverRegistry.getDefaultRegistry().register(new StaticNameResolverProvider());
            registered = true;
        }
    }

    @Override
    public NameResolver newNameResolver(URI uri, NameResolver.Args args) {
        if (!SCHEME.equals(uri.getScheme())) {
            return null;
        }
        ServerTarget target = ServerTarget.parse(uri.getPath().substring(1), "--server");
        return new NameResolver() {
            private Listener2 listener;

            @Override
            public String getServiceAuthority() {
                return target.entries().get(0).toString(); // TLS checks the certificate against the first host
            }

            @Override
            public void start(Listener2 listener) {
                this.listener = listener;
                resolve();
            }

            @Override
            public void refresh() {
                resolve();
            }

            private void resolve() {
                try {
                    List<EquivalentAddressGroup> groups = target.replicas().stream()
                            .map(address -> new EquivalentAddressGroup((SocketAddress) address)).toList();
                    listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
                } catch (IllegalArgumentException e) {
                    listener.onError(Status.UNAVAILABLE.withDescription(e.getMessage()));
                }
            }

            @Override
            public void shutdown() {
            }
        };
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 1; // below gRPC's dns provider (5), which stays the default scheme
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }
}
