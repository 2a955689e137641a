package org.marlopt.server;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.marlopt.net.ServerAddress;
import org.marlopt.security.ClientSecurityOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code health}: a gRPC health probe (exit 0 when SERVING, 1 otherwise), for container checks. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Asks a server's grpc.health.v1 service; exits 0 when it answers SERVING, 1 otherwise.")
final class HealthCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "127.0.0.1:${env:ENV_SERVER_PORT:-50051}",
            description = "HOST:PORT of the server ([IPV6]:PORT, http://HOST:PORT and grpc://HOST:PORT too). "
                    + "Default: ${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--service", defaultValue = "",
            description = "Service to ask about; empty (the default) means the whole server.")
    String service;

    @Option(names = "--timeout-seconds", defaultValue = "3",
            description = "Deadline of the check. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Mixin
    ClientSecurityOptions security;

    @Override
    public Integer call() throws InterruptedException {
        // the probe reports the outcome in one line; gRPC's own warnings would add stack traces
        System.setProperty("org.slf4j.simpleLogger.log.io.grpc", "off");
        ManagedChannel channel;
        try {
            String address = ServerAddress.parse(target, "--target").toString();
            channel = Grpc.newChannelBuilder(address, security.security().channelCredentials(address)).build();
        } catch (IllegalArgumentException e) { // a malformed target, TLS files or token that cannot be used
            System.out.println("UNHEALTHY: " + e.getMessage());
            return 1;
        }
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build());
            System.out.println(response.getStatus());
            return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
        } catch (StatusRuntimeException e) {
            System.out.println("UNHEALTHY: " + describe(e.getStatus()));
            return 1;
        } finally {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    /** Code, description and the innermost cause's message (a TLS alert says what went wrong), no stack trace. */
    private static String describe(Status status) {
        Throwable cause = status.getCause();
        while (cause != null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return status.getCode() + ": " + status.getDescription() + (cause == null ? "" : " (" + cause.getMessage() + ")");
    }
}
