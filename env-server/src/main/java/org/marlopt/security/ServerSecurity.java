package org.marlopt.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * How an env server is exposed: TLS or plaintext, who may call EnvService (and reflection), and
 * whether reflection is served. The health service is always open: probes carry no credentials.
 *
 * @param tls the server's TLS; null serves plaintext
 * @param tokens accepted bearer tokens; null admits calls without a token (named after their
 *     client certificate under mutual TLS, else anonymous)
 * @param reflection serve gRPC server reflection (for grpcurl and similar tools)
 */
public record ServerSecurity(ServerTls tls, AccessTokens tokens, boolean reflection) {

    /** Plaintext, no authentication, reflection on: a server for this machine only. */
    public static final ServerSecurity NONE = new ServerSecurity(null, null, true);

    public ServerCredentials credentials() {
        return tls == null ? InsecureServerCredentials.create() : tls.credentials();
    }

    /** The interceptor that authenticates EnvService and reflection calls, when callers have identities. */
    public List<ServerInterceptor> authentication() {
        if (tokens != null) {
            return List.of(Authenticator.bearerTokens(tokens));
        }
        if (tls != null && tls.requiresClientCertificates()) {
            return List.of(Authenticator.clientCertificates());
        }
        return List.of();
    }

    /** For the start-up log line, e.g. "TLS with client certificates, bearer tokens of 2 principals". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(tls == null ? "plaintext" : tls.requiresClientCertificates() ? "TLS with client certificates" : "TLS");
        parts.add(tokens == null ? "no bearer tokens" : "bearer tokens of " + tokens.principals() + " principal(s)");
        parts.add(reflection ? "reflection on" : "reflection off");
        return String.join(", ", parts);
    }
}
