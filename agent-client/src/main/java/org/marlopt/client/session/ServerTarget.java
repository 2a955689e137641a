package org.marlopt.client.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.marlopt.net.ServerAddress;

/**
 * Where the env servers are, as {@code --server} gives them: one {@code host:port} (today's single
 * server, gRPC's pick_first), a comma-separated list {@code h1:p1,h2:p2,...}, or
 * {@code dns:///name:port} (e.g. a Kubernetes headless Service); an address may also be written
 * {@code [ipv6]:port} or as a URL, {@code http://host:port} or {@code grpc://host:port} (see
 * {@link ServerAddress}). A list or a DNS name is a set of
 * replicas: the channel balances new streams over them round-robin and, through client-side health
 * checking, gives none to a replica that reports its EnvService NOT_SERVING (a draining one).
 *
 * @param text what was given, for messages and provenance
 * @param uri the gRPC target the channel is built on
 * @param entries the {@code host:port} entries (one for a single address or a DNS name)
 * @param balanced whether the target is a set of replicas (a list or a DNS name)
 */
public record ServerTarget(String text, String uri, List<HostPort> entries, boolean balanced) {

    /** The DNS scheme gRPC's default resolver answers through the JDK's InetAddress (and so jdk.net.hosts.file). */
    static final String DNS_PREFIX = "dns:///";
    /** The health service name a draining server reports NOT_SERVING (see env-server's EnvServer). */
    static final String HEALTH_SERVICE = "marlopt.env.v2.EnvService";
    private static final String FORMS = "write HOST:PORT (e.g. localhost:50051), a list HOST:PORT,HOST:PORT,... "
            + "or dns:///NAME:PORT";

    /** One {@code host:port}; an IPv6 host is written in brackets ({@code [::1]:50051}). */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * @param source the flag or variable the text came from, for messages
     * @throws IllegalArgumentException naming {@code source}, what is wrong and how to write it
     */
    public static ServerTarget parse(String text, String source) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty; " + FORMS);
        }
        if (trimmed.regionMatches(true, 0, "dns:", 0, 4)) {
            if (!trimmed.startsWith(DNS_PREFIX)) {
                throw new IllegalArgumentException(source + " " + trimmed + ": a DNS name is written dns:///NAME:PORT "
                        + "(three slashes, no DNS server authority)");
            }
            HostPort name = hostPort(trimmed.substring(DNS_PREFIX.length()), source + " " + trimmed + ", name");
            return new ServerTarget(trimmed, DNS_PREFIX + name, List.of(name), true);
        }
        String[] parts = trimmed.split(",", -1);
        if (parts.length == 1) {
            HostPort only = hostPort(trimmed, source);
            return new ServerTarget(trimmed, only.toString(), List.of(only), false);
        }
        List<HostPort> entries = new ArrayList<>();
        for (String part : parts) {
            if (part.isBlank()) {
                throw new IllegalArgumentException(source + " " + trimmed + ": an empty entry in the list; " + FORMS);
            }
            entries.add(hostPort(part, source + " " + trimmed + ", entry"));
        }
        // brackets are not allowed in a URI's path, where the list goes; the resolver reads it decoded
        String list = String.join(",", entries.stream().map(HostPort::toString).toList())
                .replace("[", "%5B").replace("]", "%5D");
        return new ServerTarget(trimmed, StaticNameResolverProvider.SCHEME + ":///" + list, List.copyOf(entries),
                true);
    }

    /** One address in any form {@link ServerAddress} takes (http://, grpc://, [ipv6]:port). */
    private static HostPort hostPort(String entry, String named) {
        ServerAddress address = ServerAddress.parse(entry, named);
        return new HostPort(address.host(), address.port());
    }

    /**
     * The channel's default service config: round-robin over the replicas with client-side health
     * checking of {@value #HEALTH_SERVICE}; null for a single address (pick_first, as ever).
     */
    public Map<String, ?> serviceConfig() {
        if (!balanced) {
            return null;
        }
        return Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                "healthCheckConfig", Map.of("serviceName", HEALTH_SERVICE));
    }

    /**
     * The replicas' socket addresses as the JDK resolves them now (one per address of every host
     * name); a single {@code host:port} counts as one replica however its name resolves.
     *
     * @throws IllegalArgumentException when a host name does not resolve
     */
    public List<InetSocketAddress> replicas() {
        if (!balanced) {
            HostPort only = entries.get(0);
            return List.of(InetSocketAddress.createUnresolved(only.host(), only.port()));
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (HostPort entry : entries) {
            try {
                Arrays.stream(InetAddress.getAllByName(entry.host()))
                        .forEach(address -> addresses.add(new InetSocketAddress(address, entry.port())));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--server " + text + ": cannot resolve " + entry.host() + " ("
                        + e.getMessage() + "); check the name, or give --shards K to start without counting "
                        + "the replicas", e);
            }
        }
        return addresses;
    }

    @Override
    public String toString() {
        return text;
    }
}
