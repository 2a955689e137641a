package org.marlopt.client.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the env servers are, as {@code --server} gives them: one {@code host:port} (today's single
 * server, gRPC's pick_first), a comma-separated list {@code h1:p1,h2:p2,...}, or
 * {@code dns:///name:port} (e.g. a Kubernetes headless Service). A list or a DNS name is a set of
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
    private static final String FORMS = "give HOST:PORT, a comma-separated list HOST:PORT,HOST:PORT,..., "
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
     * @throws IllegalArgumentException naming {@code source} and the accepted forms for anything else
     */
    public static ServerTarget parse(String text, String source) {
        String trimmed = text.trim();
        if (trimmed.startsWith(DNS_PREFIX)) {
            HostPort name = hostPort(trimmed.substring(DNS_PREFIX.length()), trimmed, source);
            return new ServerTarget(trimmed, DNS_PREFIX + name, List.of(name), true);
        }
        if (trimmed.contains("://") || trimmed.startsWith("dns:/")) {
            throw new IllegalArgumentException(source + " " + trimmed + ": the only scheme understood is dns:/// "
                    + "(three slashes, no DNS server authority); " + FORMS);
        }
        List<HostPort> entries = new ArrayList<>();
        for (String entry : trimmed.split(",", -1)) {
            entries.add(hostPort(entry.trim(), trimmed, source));
        }
        if (entries.size() == 1) {
            return new ServerTarget(trimmed, entries.get(0).toString(), entries, false);
        }
        // brackets are not allowed in a URI's path, where the list goes; the resolver reads it decoded
        String list = String.join(",", entries.stream().map(HostPort::toString).toList())
                .replace("[", "%5B").replace("]", "%5D");
        return new ServerTarget(trimmed, StaticNameResolverProvider.SCHEME + ":///" + list, List.copyOf(entries),
                true);
    }

    private static HostPort hostPort(String entry, String whole, String source) {
        URI uri;
        try {
            uri = new URI("//" + entry);
        } catch (URISyntaxException e) {
            throw malformed(entry, whole, source);
        }
        if (entry.isEmpty() || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535
                || uri.getUserInfo() != null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
            throw malformed(entry, whole, source);
        }
        String host = uri.getHost();
        return new HostPort(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, uri.getPort());
    }

    private static IllegalArgumentException malformed(String entry, String whole, String source) {
        String which = entry.equals(whole) ? "" : " (entry '" + entry + "')";
        return new IllegalArgumentException(source + " " + whole + " is not a server address" + which + ": "
                + FORMS + ", each with a host and a port 1..65535");
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
