package org.marlopt.bench;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.ResetResponse;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;
import org.marlopt.security.ClientSecurityOptions;
import org.marlopt.server.ProtoCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A load test of a running server: many concurrent clients, each with its own connection,
 * session and seed, step with unary Step calls (numbered, so a failed call is retried safely)
 * and check every answer bit for bit against their own in-process copy of the environment.
 * Reports steps per second, latency percentiles, mismatches and errors by status code; exits 1
 * on any mismatch or unrecovered error.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Loads a running server with concurrent clients, each verifying every answer against its "
                + "own in-process reference copy of the environment.")
public final class EnvLoad implements Callable<Integer> {

    /** Attempts of one numbered Step before the client gives up. */
    private static final int ATTEMPTS = 3;

    @Mixin
    ClientSecurityOptions security;

    @Option(names = "--target", required = true, description = "host:port of the server.")
    String target;

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--steps-per-client", defaultValue = "10000",
            description = "Step calls each client makes. Default: ${DEFAULT-VALUE}.")
    int stepsPerClient;

    @Option(names = "--env", defaultValue = EnvBenchmark.SEED_ENV,
            description = "Id of the environment. Default: ${DEFAULT-VALUE}.")
    String envId;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "An environment parameter, repeatable, as in bench.")
    Map<String, String> paramTexts = new LinkedHashMap<>();

    @Option(names = "--num-envs", defaultValue = "1", description = "Copies per session. Default: ${DEFAULT-VALUE}.")
    int numEnvs;

    @Option(names = "--seed", defaultValue = "1",
            description = "Client k resets with seed + k * 1000000. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--deadline-seconds", defaultValue = "10",
            description = "Deadline of each call. Default: ${DEFAULT-VALUE}.")
    long deadlineSeconds;

    @Spec
    CommandSpec command;

    private final EnvRegistry registry = EnvRegistry.discover();

    /** What one client saw. */
    private record ClientResult(long[] latencyNanos, long mismatches, Map<String, Integer> errors, boolean gaveUp) {}

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || stepsPerClient < 1 || numEnvs < 1) {
            throw new ParameterException(command.commandLine(),
                    "--clients, --steps-per-client and --num-envs must be at least 1");
        }
        Map<String, Object> params = params();
        ChannelCredentials credentials = security.security().channelCredentials(target);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<ClientResult>> runs = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            long clientSeed = seed + client * 1_000_000L;
            runs.add(pool.submit(() -> runClient(params, credentials, clientSeed)));
        }
        List<ClientResult> results = new ArrayList<>();
        try {
            for (Future<ClientResult> run : runs) {
                results.add(run.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return report(results, seconds);
    }

    private Map<String, Object> params() {
        try {
            Map<String, Object> params = ParameterTexts.parse(registry.get(envId).parameters(), paramTexts);
            registry.configure(envId, params);
            return params;
        } catch (EnvArgumentException e) {
            throw new ParameterException(command.commandLine(), e.field() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    private ClientResult runClient(Map<String, Object> params, ChannelCredentials credentials, long clientSeed) throws InterruptedException {
        ConfiguredEnv configured = registry.configure(envId, params);
        BatchedVectorEnv reference = new BatchedVectorEnv(configured,
                new VectorOptions(numEnvs, false, AutoresetMode.SAME_STEP));
        ManagedChannel channel = NettyChannelBuilder.forTarget(target, credentials)
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        long[] latencies = new long[stepsPerClient];
        Map<String, Integer> errors = new TreeMap<>();
        long mismatches = 0;
        try {
            EnvServiceGrpc.EnvServiceBlockingStub stub = EnvServiceGrpc.newBlockingStub(channel);
            MakeRequest.Builder make = MakeRequest.newBuilder().setEnvId(envId).setOptions(SessionOptions.newBuilder()
                    .setNumEnvs(numEnvs).setAutoresetMode(org.marlopt.proto.env.v2.AutoresetMode.AUTORESET_MODE_SAME_STEP));
            params.forEach((name, value) -> make.putParams(name, ProtoCodec.parameterValue(value)));
            String session = deadline(stub).make(make.build()).getSessionId();
            ResetResponse reset = deadline(stub).reset(ResetRequest.newBuilder().setSessionId(session)
                    .setSeed(clientSeed).build());
            if (!reset.equals(ProtoCodec.resetResponse(reference.spec(), reference.reset(clientSeed)))) {
                mismatches++;
            }
            SplittableRandom random = new SplittableRandom(clientSeed);
            float[][] actions = newActions(reference);
            for (int step = 0; step < stepsPerClient; step++) {
                StepRequest request = stepRequest(session, step + 1, reference, actions, random);
                long begin = System.nanoTime();
                StepResponse served = stepWithRetries(stub, request, errors);
                latencies[step] = System.nanoTime() - begin;
                if (served == null) {
                    return new ClientResult(Arrays.copyOf(latencies, step), mismatches, errors, true);
                }
                if (!served.equals(ProtoCodec.stepResponse(reference.spec(), reference.step(actions)))) {
                    mismatches++;
                }
            }
            deadline(stub).close(CloseRequest.newBuilder().setSessionId(session).build());
            return new ClientResult(latencies, mismatches, errors, false);
        } catch (StatusRuntimeException e) {
            errors.merge(e.getStatus().getCode().name(), 1, Integer::sum);
            return new ClientResult(new long[0], mismatches, errors, true);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A numbered Step: a retry of one whose answer was lost is answered from the server's cache. */
    private StepResponse stepWithRetries(EnvServiceGrpc.EnvServiceBlockingStub stub, StepRequest request,
            Map<String, Integer> errors) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return deadline(stub).step(request);
            } catch (StatusRuntimeException e) {
                errors.merge(e.getStatus().getCode().name(), 1, Integer::sum);
            }
        }
        return null;
    }

    private EnvServiceGrpc.EnvServiceBlockingStub deadline(EnvServiceGrpc.EnvServiceBlockingStub stub) {
        return stub.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    private static float[][] newActions(BatchedVectorEnv reference) {
        float[][] actions = new float[reference.spec().numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[reference.spec().numEnvs()
                    * reference.spec().env().agents().get(agent).actionSpace().size()];
        }
        return actions;
    }

    /** Fills {@code actions} with values in [-1, 1] (the environment clips them) and builds the request. */
    private static StepRequest stepRequest(String session, long sequence, BatchedVectorEnv reference,
            float[][] actions, SplittableRandom random) {
        StepRequest.Builder request = StepRequest.newBuilder().setSessionId(session).setSequence(sequence);
        for (int agent = 0; agent < actions.length; agent++) {
            AgentAction.Builder action = AgentAction.newBuilder()
                    .setAgent(reference.spec().env().agents().get(agent).name());
            for (int i = 0; i < actions[agent].length; i++) {
                actions[agent][i] = (float) (random.nextDouble() * 2 - 1);
                action.addValues(actions[agent][i]);
            }
            request.addActions(action);
        }
        return request.build();
    }

    private int report(List<ClientResult> results, double seconds) {
        long[] latencies = results.stream().flatMapToLong(result -> Arrays.stream(result.latencyNanos())).sorted()
                .toArray();
        long mismatches = results.stream().mapToLong(ClientResult::mismatches).sum();
        long gaveUp = results.stream().filter(ClientResult::gaveUp).count();
        Map<String, Integer> errors = new TreeMap<>();
        results.forEach(result -> result.errors().forEach((code, n) -> errors.merge(code, n, Integer::sum)));
        PrintWriter out = command.commandLine().getOut();
        out.printf("load: %d clients x %d steps of %s (num_envs %d) against %s in %.1f s%n", clients,
                stepsPerClient, envId, numEnvs, target, seconds);
        out.printf("steps/s: %.0f calls, %.0f env steps%n", latencies.length / seconds,
                latencies.length * (double) numEnvs / seconds);
        out.printf("latency: p50 %.0f us, p99 %.0f us%n", percentileMicros(latencies, 0.5),
                percentileMicros(latencies, 0.99));
        out.printf("mismatches: %d%n", mismatches);
        out.printf("errors: %s%s%n", errors.isEmpty() ? "none" : errors,
                gaveUp == 0 ? "" : " (" + gaveUp + " clients gave up)");
        out.flush();
        return mismatches == 0 && gaveUp == 0 ? 0 : 1;
    }

    private static double percentileMicros(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1_000.0;
    }
}
