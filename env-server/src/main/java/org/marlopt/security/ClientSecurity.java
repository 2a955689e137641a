package org.marlopt.security;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a client reaches an env server: plaintext or TLS (trusting the system's root certificates
 * or a given CA, with a client certificate for mutual TLS), and the bearer token it sends, read
 * from a file or from {@value #TOKEN_VARIABLE}.
 *
 * @param tls connect over TLS; set whenever one of the three files below is given
 * @param trustedCa PEM CA certificates that sign the server's certificate; null trusts the system's roots
 * @param certChain PEM certificate chain of this client, for mutual TLS; with {@code privateKey}
 * @param privateKey PEM PKCS#8 key of {@code certChain}
 * @param tokenFile file holding the bearer token; null reads {@value #TOKEN_VARIABLE}, if set
 * @param allowPlaintextToken send a token without TLS to a server that is not on this machine
 */
public record ClientSecurity(boolean tls, Path trustedCa, Path certChain, Path privateKey, Path tokenFile,
        boolean allowPlaintextToken) {

    /** Environment variable holding the bearer token when no token file is given. */
    public static final String TOKEN_VARIABLE = "ENV_SERVER_TOKEN";

    /** Plaintext, and a token only if {@value #TOKEN_VARIABLE} holds one. */
    public static final ClientSecurity PLAINTEXT = new ClientSecurity(false, null, null, null, null, false);

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    public ClientSecurity {
        if ((certChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: pass both for mutual TLS, "
                    + "or neither");
        }
        tls = tls || trustedCa != null || certChain != null;
    }

    /** Whether a flag asked for TLS or a token file, which only a remote server can honour. */
    public boolean requested() {
        return tls || tokenFile != null || allowPlaintextToken;
    }

    /**
     * The credentials of a channel to {@code target}: TLS or plaintext, plus the bearer token when
     * there is one.
     *
     * @throws IllegalArgumentException naming the flag and the fix when a file is unusable, or when
     *     a token would travel in plaintext to another machine without {@code --allow-plaintext-token}
     */
    public ChannelCredentials channelCredentials(String target) {
        ChannelCredentials transport = tls ? tlsCredentials() : InsecureChannelCredentials.create();
        String token = token();
        if (token == null) {
            return transport;
        }
        if (!tls && !allowPlaintextToken && !isLoopback(target)) {
            throw new IllegalArgumentException("refusing to send the bearer token in plaintext to " + target
                    + ": anyone on the network path could read it and call the server as you. Connect with --tls "
                    + "(and --tls-ca FILE for a private CA), or pass --allow-plaintext-token if the network is "
                    + "trusted (e.g. a private container network)");
        }
        return CompositeChannelCredentials.create(transport, new BearerToken(token));
    }

    /** These settings as flags, for a child process that connects to the same server. */
    public List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        if (tls) {
            arguments.add("--tls");
        }
        addFile(arguments, "--tls-ca", trustedCa);
        addFile(arguments, "--tls-cert", certChain);
        addFile(arguments, "--tls-key", privateKey);
        addFile(arguments, "--auth-token-file", tokenFile); // a token from the environment is inherited
        if (allowPlaintextToken) {
            arguments.add("--allow-plaintext-token");
        }
        return arguments;
    }

    private ChannelCredentials tlsCredentials() {
        TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
        try {
            if (trustedCa != null) {
                builder.trustManager(PemFiles.certificates(trustedCa, "--tls-ca").toFile());
            }
            if (certChain != null) {
                builder.keyManager(PemFiles.certificates(certChain, "--tls-cert").toFile(),
                        PemFiles.privateKey(privateKey, "--tls-key").toFile());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS files: " + e.getMessage(), e);
        }
        return builder.build();
    }

    /** The token from the file, else from the environment; null when neither gives one. */
    private String token() {
        if (tokenFile == null) {
            String fromEnvironment = System.getenv(TOKEN_VARIABLE);
            return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
        }
        String token;
        try {
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--auth-token-file " + tokenFile + " cannot be read (" + e.getMessage()
                    + "); check the path and its permissions", e);
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
            throw new IllegalArgumentException("--auth-token-file " + tokenFile + " must hold just the token: one "
                    + "word of visible ASCII characters, without the principal");
        }
        return token;
    }

    /**
     * Whether the target names this machine ("localhost" or a loopback address) without a DNS
     * lookup: a name that merely resolves to loopback here may resolve elsewhere in a proxy.
     */
    static boolean isLoopback(String target) {
        String authority = target.startsWith("dns:///") ? target.substring("dns:///".length()) : target;
        String host;
        try {
            host = URI.create("//" + authority).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return IP_LITERAL.matcher(host).matches() && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void addFile(List<String> arguments, String flag, Path file) {
        if (file != null) {
            arguments.add(flag);
            arguments.add(file.toAbsolutePath().toString());
        }
    }
}
