package org.marlopt.system.scaleout;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM started like a client ({@code -Djdk.net.hosts.file=FILE}, class path: the agent
 * client's jar, so its own grpc-java, then the test classes): prints what the JDK resolves a name to and
 * what grpc-java's default name resolver (the one {@code Grpc.newChannelBuilder("dns:///NAME:PORT")}
 * uses) gives a channel's load balancer.
 *
 * <pre>
 * jdk envs.scaleout.test -> [10.213.7.11, 10.213.7.12, 10.213.7.13]
 * grpc dns:///envs.scaleout.test:50051 (DnsNameResolver) -> [[/10.213.7.11:50051], [/10.213.7.12:50051], ...]
 * </pre>
 */
public final class ResolveProbe {

    private ResolveProbe() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String target = args[1];
        List<String> jdk = Arrays.stream(InetAddress.getAllByName(name)).map(InetAddress::getHostAddress).toList();
        System.out.println("jdk " + name + " -> " + jdk);

        SynchronizationContext sync = new SynchronizationContext((thread, e) -> e.printStackTrace());
        NameResolver.Args resolverArgs = NameResolver.Args.newBuilder()
                .setDefaultPort(443)
                .setProxyDetector(address -> null)
                .setSynchronizationContext(sync)
                .setServiceConfigParser(new NameResolver.ServiceConfigParser() {
                    @Override
                    public NameResolver.ConfigOrError parseServiceConfig(Map<String, ?> rawServiceConfig) {
                        return NameResolver.ConfigOrError.fromConfig(rawServiceConfig);
                    }
                })
                .build();
        NameResolver resolver = NameResolverRegistry.getDefaultRegistry().asFactory()
                .newNameResolver(new URI(target), resolverArgs);
        if (resolver == null) {
            System.out.println("grpc " + target + " -> no resolver for the scheme");
            System.exit(2);
        }
        CompletableFuture<List<List<String>>> groups = new CompletableFuture<>();
        resolver.start(new NameResolver.Listener2() {
            @Override
            public void onResult(NameResolver.ResolutionResult result) {
                List<List<String>> found = new ArrayList<>();
                for (EquivalentAddressGroup group : result.getAddressesOrError().getValue()) {
                    found.add(group.getAddresses().stream().map(SocketAddress::toString).toList());
                }
                groups.complete(found);
            }

            @Override
            public void onError(Status error) {
                groups.completeExceptionally(error.asRuntimeException());
            }
        });
        try {
            System.out.println("grpc " + target + " (" + resolver.getClass().getSimpleName() + ") -> "
                    + groups.get(30, TimeUnit.SECONDS));
        } finally {
            resolver.shutdown();
        }
        System.exit(0);
    }
}
