package org.marlopt.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;
import org.marlopt.security.ClientSecurity;
import org.marlopt.security.ClientSecurityOptions;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ProtoCodec;
import org.marlopt.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures env steps per second of one environment (the seed environment unless {@code --env}
 * names another) in-process, over unary Step and over the Interact stream, with num_envs 1, 64
 * and 1024, and prints a markdown table. Every remote measurement is ping-pong: one client, one
 * call in flight, each step waits for its response. Sessions use SAME_STEP autoreset so no Reset
 * interrupts the measured steps.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks an environment in-process and through the gRPC server (markdown table).")
public final class EnvBenchmark implements Callable<Integer> {

    static final String SEED_ENV = "DistributedOptimization-v1";
    private static final int[] BATCH_SIZES = {1, 64, 1024};
    /** Distinct prepared requests cycled through, so the server never sees one payload only. */
    private static final int PREPARED_REQUESTS = 8;

    @Option(names = "--env", defaultValue = SEED_ENV,
            description = "Id of the environment to measure. Default: ${DEFAULT-VALUE}.")
    String envId;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "An environment parameter, repeatable: a number, a whole number, true/false, a choice, "
                    + "or comma-separated numbers for a list. Omitted parameters take their default.")
    Map<String, String> paramTexts = new LinkedHashMap<>();

    @Option(names = "--seconds", defaultValue = "3", description = "Measured time per row. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "1.5",
            description = "Unmeasured warm-up per row. Default: ${DEFAULT-VALUE}.")
    double warmupSeconds;

    @Option(names = "--target", description = "host:port of a running server; by default one is "
            + "started in this JVM on a free 127.0.0.1 port.")
    String target;

    @Option(names = "--busy-poll", description = "Start the in-JVM server with busy polling (see the "
            + "server's --busy-poll). Default: off.")
    boolean busyPoll;

    @Spec
    CommandSpec command;

    private final EnvRegistry registry;
    /** The --param values, typed: what Make sends (the server fills in defaults, as the in-process env did). */
    private Map<String, Object> params;
    private ConfiguredEnv configured;

    /** Measures the environments on the class path. */
    public EnvBenchmark() {
        this(EnvRegistry.discover());
    }

    /** Measures {@code registry}'s environments; an in-JVM server serves the same ones. */
    EnvBenchmark(EnvRegistry registry) {
        this.registry = registry;
    }

    @Mixin
    ClientSecurityOptions security;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EnvBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        configureEnvironment();
        List<BenchResult> results = new ArrayList<>();
        results.add(inProcess(1));
        results.add(inProcess(1024));
        EnvServer server = target == null ? EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1")
                .withPort(0).withMetricsPort(0).withShutdownGrace(Duration.ofSeconds(1)).withBusyPoll(busyPoll),
                registry) : null;
        String address = server == null ? target : "127.0.0.1:" + server.port();
        ClientSecurity channelSecurity = server == null ? security.security() : ClientSecurity.PLAINTEXT;
        ManagedChannel channel = NettyChannelBuilder.forTarget(address, channelSecurity.channelCredentials(address))
                .directExecutor()
                .flowControlWindow(4 * 1024 * 1024)
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        try {
            results.add(blockingUnary(channel));
            for (int numEnvs : BATCH_SIZES) {
                results.add(unary(channel, numEnvs));
            }
            for (int numEnvs : BATCH_SIZES) {
                results.add(stream(channel, numEnvs));
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            if (server != null) {
                server.close();
            }
        }
        System.out.println(BenchResult.header());
        results.forEach(result -> System.out.println(result.row()));
        System.out.printf("%nenv: %s %s; server: %s, %d available processors, Java %s; %.1f s measured per row "
                + "after %.1f s warm-up%n", envId, envSpec().params(), server == null ? target : "in this JVM",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), seconds, warmupSeconds);
        return 0;
    }

    /** Types the --param texts and configures --env with them, or fails as a usage error naming what to fix. */
    private void configureEnvironment() {
        try {
            params = ParameterTexts.parse(registry.get(envId).parameters(), paramTexts);
            configured = registry.configure(envId, params);
        } catch (EnvArgumentException e) {
            throw new ParameterException(command.commandLine(), e.field() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    private EnvSpec envSpec() {
        return configured.spec();
    }

    private BenchResult inProcess(int numEnvs) {
        BatchedVectorEnv env = new BatchedVectorEnv(configured, new VectorOptions(numEnvs, false,
                AutoresetMode.SAME_STEP));
        env.reset(1);
        float[][][] actions = new float[PREPARED_REQUESTS][][];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < PREPARED_REQUESTS; i++) {
            actions[i] = randomActions(numEnvs, random);
        }
        return measure("environment in-process", numEnvs, () -> {
            for (int i = 0; ; i++) {
                long start = System.nanoTime();
                env.step(actions[i % PREPARED_REQUESTS]);
                if (!record(System.nanoTime() - start)) {
                    return;
                }
            }
        });
    }

    /** Unary Step from a blocking stub: each call also pays the wake-up of the calling thread. */
    private BenchResult blockingUnary(ManagedChannel channel) {
        EnvServiceGrpc.EnvServiceBlockingStub stub = EnvServiceGrpc.newBlockingStub(channel);
        String session = stub.make(makeRequest(1)).getSessionId();
        stub.reset(ResetRequest.newBuilder().setSessionId(session).setSeed(1).build());
        StepRequest[] steps = preparedSteps(session, 1);
        try {
            return measure("unary Step, blocking stub", 1, () -> {
                for (int i = 0; ; i++) {
                    long start = System.nanoTime();
                    stub.step(steps[i % PREPARED_REQUESTS]);
                    if (!record(System.nanoTime() - start)) {
                        return;
                    }
                }
            });
        } finally {
            stub.close(CloseRequest.newBuilder().setSessionId(session).build());
        }
    }

    /** Unary Step from the async stub, the next call issued when the previous one completes. */
    private BenchResult unary(ManagedChannel channel, int numEnvs) {
        EnvServiceGrpc.EnvServiceBlockingStub blocking = EnvServiceGrpc.newBlockingStub(channel);
        String session = blocking.make(makeRequest(numEnvs)).getSessionId();
        blocking.reset(ResetRequest.newBuilder().setSessionId(session).setSeed(1).build());
        StepRequest[] steps = preparedSteps(session, numEnvs);
        EnvServiceGrpc.EnvServiceStub stub = EnvServiceGrpc.newStub(channel);
        try {
            return measure("unary Step", numEnvs, () -> new UnaryPingPong<StepRequest, StepResponse>(stub::step, steps, this::record).run());
        } finally {
            blocking.close(CloseRequest.newBuilder().setSessionId(session).build());
        }
    }

    private BenchResult stream(ManagedChannel channel, int numEnvs) throws Exception {
        StreamPingPong pingPong = new StreamPingPong(EnvServiceGrpc.newStub(channel));
        pingPong.call(InteractRequest.newBuilder().setMake(makeRequest(numEnvs)).build()).get(10, TimeUnit.SECONDS);
        pingPong.call(InteractRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build())
                .get(10, TimeUnit.SECONDS);
        StepRequest[] steps = preparedSteps("", numEnvs);
        InteractRequest[] requests = new InteractRequest[steps.length];
        for (int i = 0; i < steps.length; i++) {
            requests[i] = InteractRequest.newBuilder().setStep(steps[i]).build();
        }
        try {
            return measure("Interact stream", numEnvs, () -> pingPong.run(requests, this::record));
        } finally {
            pingPong.finish();
        }
    }

    // --- one measurement at a time: warm-up, then timed recording ---

    private LatencyRecorder recorder;
    private long warmupEnds;
    private long measureEnds;

    private BenchResult measure(String path, int numEnvs, Runnable loop) {
        recorder = new LatencyRecorder();
        long now = System.nanoTime();
        warmupEnds = now + (long) (warmupSeconds * 1e9);
        measureEnds = warmupEnds + (long) (seconds * 1e9);
        loop.run();
        System.err.printf("measured %s, num_envs %d: %d calls%n", path, numEnvs, recorder.count());
        return BenchResult.of(path, numEnvs, envSpec().numAgents(), recorder, seconds);
    }

    /** Records a call that ended now; false once the measured window is over. */
    private boolean record(long nanos) {
        long now = System.nanoTime();
        if (now < warmupEnds) {
            return true;
        }
        if (now >= measureEnds) {
            return false;
        }
        recorder.record(nanos);
        return true;
    }

    private MakeRequest makeRequest(int numEnvs) {
        MakeRequest.Builder make = MakeRequest.newBuilder().setEnvId(envId)
                .setOptions(SessionOptions.newBuilder().setNumEnvs(numEnvs)
                        .setAutoresetMode(org.marlopt.proto.env.v2.AutoresetMode.AUTORESET_MODE_SAME_STEP));
        params.forEach((name, value) -> make.putParams(name, ProtoCodec.parameterValue(value)));
        return make.build();
    }

    private StepRequest[] preparedSteps(String session, int numEnvs) {
        SplittableRandom random = new SplittableRandom(7);
        StepRequest[] steps = new StepRequest[PREPARED_REQUESTS];
        for (int i = 0; i < steps.length; i++) {
            StepRequest.Builder step = StepRequest.newBuilder().setSessionId(session);
            float[][] actions = randomActions(numEnvs, random);
            for (int agent = 0; agent < actions.length; agent++) {
                AgentAction.Builder action = AgentAction.newBuilder().setAgent(envSpec().agents().get(agent).name());
                for (float value : actions[agent]) {
                    action.addValues(value);
                }
                step.addActions(action);
            }
            steps[i] = step.build();
        }
        return steps;
    }

    /** Small Gaussian values for every element of every agent's action, message part included. */
    private float[][] randomActions(int numEnvs, SplittableRandom random) {
        List<AgentSpec> agents = envSpec().agents();
        float[][] actions = new float[agents.size()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[numEnvs * agents.get(agent).actionSpace().size()];
            for (int i = 0; i < actions[agent].length; i++) {
                actions[agent][i] = (float) random.nextGaussian() * 0.2f;
            }
        }
        return actions;
    }
}
