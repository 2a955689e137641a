package org.marlopt.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.marlopt.server.CallerIdentity;

/**
 * Admits a call only with a known principal, which it puts in the call's {@link Context} as
 * {@link CallerIdentity#PRINCIPAL}: the principal of the call's bearer token when the server has
 * {@link AccessTokens}, else the subject of the client certificate that mutual TLS verified.
 * Any other call ends with UNAUTHENTICATED before a service sees it.
 */
public final class Authenticator implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";
    private static final String HOW_TO_PASS = "the agent-client sends one with --auth-token-file FILE or the "
            + "environment variable " + ClientSecurity.TOKEN_VARIABLE + "; other clients send the metadata "
            + "'authorization: Bearer TOKEN'";

    /** Null when principals come from client certificates. */
    private final AccessTokens tokens;

    private Authenticator(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** Requires a bearer token from {@code tokens}. */
    public static Authenticator bearerTokens(AccessTokens tokens) {
        return new Authenticator(tokens);
    }

    /** Names each call after its verified client certificate's subject (mutual TLS). */
    public static Authenticator clientCertificates() {
        return new Authenticator(null);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        Identified identified = tokens != null ? fromToken(headers) : fromCertificate(call);
        if (identified.principal() == null) {
            call.close(Status.UNAUTHENTICATED.withDescription(identified.refusal()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Context context = Context.current().withValue(CallerIdentity.PRINCIPAL, identified.principal());
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** A principal, or why there is none. */
    private record Identified(String principal, String refusal) {
        static Identified as(String principal) {
            return new Identified(principal, null);
        }

        static Identified refused(String refusal) {
            return new Identified(null, refusal);
        }
    }

    private Identified fromToken(Metadata headers) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization == null) {
            return Identified.refused("this server requires a bearer token and the call carried none; "
                    + HOW_TO_PASS);
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Identified.refused("the 'authorization' metadata must read 'Bearer TOKEN'; " + HOW_TO_PASS);
        }
        Optional<String> principal = tokens.principalOf(authorization.substring(BEARER.length()).strip());
        return principal.map(Identified::as).orElseGet(() -> Identified.refused("the bearer token is not one "
                + "this server accepts; compare the client's token with the server's --auth-tokens file"));
    }

    private static Identified fromCertificate(ServerCall<?, ?> call) {
        SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        try {
            Certificate[] chain = ssl == null ? new Certificate[0] : ssl.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                return Identified.as(certificate.getSubjectX500Principal().getName());
            }
        } catch (SSLPeerUnverifiedException e) {
            // no verified client certificate: refused below
        }
        return Identified.refused("this server identifies callers by their TLS client certificate and the call "
                + "presented none; pass --tls-cert and --tls-key signed by the server's --tls-client-ca");
    }
}
