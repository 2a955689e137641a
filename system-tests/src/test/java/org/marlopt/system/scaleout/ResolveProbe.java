package org.marlopt.system.scaleout;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
 * round_robin 12 GetCapabilities calls by server address: {/10.213.7.11:50051=4, /10.213.7.12:50051=4, ...}
 * </pre>
 *
 * <p>The last line is a channel like the scale-out client's (target {@code dns:///...}, load-balancing
 * policy round_robin) making unary {@code GetCapabilities} calls; each call's server address comes from
 * the transport's attributes.
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
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        System.out.println("round_robin " + calls + " GetCapabilities calls by server address: "
                + roundRobin(target, calls));
        System.exit(0);
    }

    /** Server address -> calls it answered, over a round_robin channel to {@code target}. */
    private static Map<String, Integer> roundRobin(String target, int calls) throws InterruptedException {
        Map<String, Integer> byAddress = new ConcurrentHashMap<>();
        ClientInterceptor remoteAddress = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        ClientCall<Q, R> call = this;
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onHeaders(Metadata responseHeaders) {
                                SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                                byAddress.merge(String.valueOf(remote), 1, Integer::sum);
                                super.onHeaders(responseHeaders);
                            }
                        }, headers);
                    }
                };
            }
        };
        ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
                .defaultLoadBalancingPolicy("round_robin").intercept(remoteAddress).build();
        // the empty request message is zero bytes; the answer is kept as bytes (no generated stubs needed)
        MethodDescriptor<byte[], byte[]> getCapabilities = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("marlopt.env.v2.EnvService",
                        "GetCapabilities"))
                .setRequestMarshaller(new Bytes()).setResponseMarshaller(new Bytes()).build();
        try {
            for (int i = 0; i < calls; i++) {
                ClientCalls.blockingUnaryCall(channel, getCapabilities,
                        CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS), new byte[0]);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        return new TreeMap<>(byAddress);
    }

    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
