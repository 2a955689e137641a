package org.marlopt.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * One server address as people type it: {@code host:port}, {@code [ipv6]:port}, or either behind
 * {@code http://} or {@code grpc://} (with an optional trailing slash), as URLs are copied from
 * docs and dashboards. Anything else is refused with what is wrong and how to write it.
 *
 * @param host the host name or address (an IPv6 address without brackets)
 * @param port 1..65535
 */
public record ServerAddress(String host, int port) {

    /** Schemes that only decorate a plaintext address; TLS is chosen with --tls, not by the scheme. */
    private static final Set<String> PLAIN_SCHEMES = Set.of("http", "grpc");
    private static final Set<String> TLS_SCHEMES = Set.of("https", "grpcs");

    /**
     * @param flag how messages name the setting, e.g. "--server" or "--target"
     * @throws IllegalArgumentException naming {@code flag}, what is wrong and the way to write it
     */
    public static ServerAddress parse(String text, String flag) {
        String entry = text.trim();
        if (entry.isEmpty()) {
            throw new IllegalArgumentException(flag + " is empty; write HOST:PORT, e.g. localhost:50051");
        }
        String address = withoutScheme(entry, flag);
        if (bareIpv6(address)) {
            throw wrong(flag, entry, "an IPv6 address goes in brackets; write [ADDRESS]:PORT, e.g. [::1]:50051");
        }
        URI uri;
        try {
            uri = new URI("//" + address);
        } catch (URISyntaxException e) {
            throw wrong(flag, entry, "not HOST:PORT; write e.g. localhost:50051");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw wrong(flag, entry, "not HOST:PORT; write e.g. localhost:50051");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        ServerAddress hostOnly = new ServerAddress(host, 0);
        if (!uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/") || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw wrong(flag, entry, "an address has no path or query; write " + hostOnly.withPort("PORT"));
        }
        if (uri.getPort() == -1) {
            throw wrong(flag, entry, "no port; write " + hostOnly.withPort("50051"));
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            throw wrong(flag, entry, "port " + uri.getPort() + " is not 1..65535");
        }
        return new ServerAddress(host, uri.getPort());
    }

    private static String withoutScheme(String entry, String flag) {
        int separator = entry.indexOf("://");
        if (separator < 0) {
            return entry;
        }
        String scheme = entry.substring(0, separator).toLowerCase(Locale.ROOT);
        String rest = entry.substring(separator + 3);
        if (PLAIN_SCHEMES.contains(scheme)) {
            return rest;
        }
        if (TLS_SCHEMES.contains(scheme)) {
            throw wrong(flag, entry, "TLS is chosen with --tls, not by the scheme; write " + rest.replaceAll("/$", "")
                    + " --tls");
        }
        throw wrong(flag, entry, "unknown scheme " + scheme + "://; write HOST:PORT");
    }

    /** An unbracketed IPv6 address (with or without a port glued on): where the port starts is anyone's guess. */
    private static boolean bareIpv6(String address) {
        return !address.startsWith("[") && address.chars().filter(c -> c == ':').count() > 1;
    }

    private static IllegalArgumentException wrong(String flag, String entry, String what) {
        return new IllegalArgumentException(flag + " " + entry + ": " + what);
    }

    private String withPort(String port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code host:port}, an IPv6 host in brackets: the form gRPC's default resolver takes. */
    @Override
    public String toString() {
        return withPort(String.valueOf(port));
    }
}
