package org.marlopt.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.marlopt.env.EnvRegistry;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.MakeResponse;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;
import org.marlopt.security.ServerSecurity;
import org.marlopt.server.EnvServer;
import org.marlopt.server.WireCoding;
import org.marlopt.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Java server against the Python reference server on the same load: one Java client drives
 * unary Step and the Interact stream (ping-pong, SAME_STEP autoreset, reward gradient on; requests
 * serialized up front and answers taken as bytes, see {@link RawCalls}) on
 * DistributedOptimization-v1 at each --copies, the servers interleaved and their order rotated
 * every repeat. First it checks every server answers the same Reset and Steps for the same seed;
 * a mismatch fails the run. Prints env steps/s per server and the median per-repeat ratios.
 */
@Command(name = "bench-peer", mixinStandardHelpOptions = true,
        description = "Benchmarks this server against the Python numpy reference server (markdown table).")
public final class PeerBenchmark implements Callable<Integer> {

    private static final String ENV_ID = "DistributedOptimization-v1";
    private static final int PREPARED_REQUESTS = 8;
    /** Steps compared per session in the parity check: past the 50-step truncation, so an autoreset is seen. */
    private static final int PARITY_STEPS = 60;
    private static final long SEED = 1;

    @Option(names = "--copies", split = ",", defaultValue = "64,1024",
            description = "num_envs per session, comma-separated. Default: ${DEFAULT-VALUE}.")
    int[] copies;

    @Option(names = "--repeats", defaultValue = "5", description = "Interleaved rounds. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--seconds", defaultValue = "2", description = "Measured time per cell. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "0.5",
            description = "Unmeasured warm-up per cell. Default: ${DEFAULT-VALUE}.")
    double warmupSeconds;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Interpreter with numpy and grpcio. Default: ${DEFAULT-VALUE}.")
    Path python;

    @Option(names = "--peer", defaultValue = "bench/python-peer/numpy_env_server.py",
            description = "The Python reference server script. Default: ${DEFAULT-VALUE}.")
    Path peerScript;

    @Option(names = "--java-target", paramLabel = "[NAME=]HOST:PORT", description = "A running Java server to "
            + "measure instead of starting one in this JVM, repeatable: e.g. main=127.0.0.1:50061 and "
            + "branch=127.0.0.1:50062 for before and after figures in one run.")
    List<String> javaTargets = new ArrayList<>();

    @Option(names = "--with-messages", description = "Also measure an in-JVM server answering with protobuf "
            + "messages (reply encoding MESSAGES, the encoding before bulk replies) on the network. Default: off.")
    boolean withMessages;

    private final List<Server> servers = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeerBenchmark()).execute(args));
    }

    /**
     * A server under test: what the table calls it, a channel to it, and the CPU time its process
     * has used (null when unknown: a server given by --java-target).
     */
    private record Server(String name, ManagedChannel channel, LongSupplier cpuNanos) {
    }

    /** One measured cell: env steps per second, and process CPU per env step (NaN when unknown). */
    private record Cell(double stepsPerSecond, double cpuMicrosPerStep) {
    }

    @Override
    public Integer call() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try (PythonPeer peer = PythonPeer.start(python, peerScript)) {
            for (String target : javaTargets) {
                int named = target.indexOf('=');
                servers.add(new Server("java " + (named < 0 ? target : target.substring(0, named)),
                        channel(target.substring(named + 1)), null));
            }
            if (javaTargets.isEmpty()) {
                servers.add(new Server("java", channel(startJava(WireCoding.BULK, resources)), PeerBenchmark::jvmCpu));
            }
            if (withMessages) {
                servers.add(new Server("java messages", channel(startJava(WireCoding.MESSAGES, resources)),
                        PeerBenchmark::jvmCpu));
            }
            servers.add(new Server("python numpy", channel("127.0.0.1:" + peer.port()), peer::cpuNanos));
            for (int numEnvs : copies) {
                checkParity(numEnvs);
            }
            System.err.println("parity: every server answered the same Reset and " + PARITY_STEPS
                    + " Steps (Interact and unary) at num_envs " + Arrays.toString(copies));
            print(measureAll());
        } finally {
            for (Server server : servers) {
                server.channel().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            for (AutoCloseable resource : resources) {
                resource.close();
            }
        }
        return 0;
    }

    private String startJava(WireCoding encoding, List<AutoCloseable> resources) {
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(0)
                .withShutdownGrace(Duration.ofSeconds(1));
        EnvServer server = EnvServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .flowControlWindow(4 * 1024 * 1024), config, EnvRegistry.discover(), ServerSecurity.NONE,
                encoding);
        resources.add(server);
        return "127.0.0.1:" + server.port();
    }

    /** This JVM's CPU time: the in-JVM server's and the (light) load client's together. */
    private static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static ManagedChannel channel(String address) {
        return NettyChannelBuilder.forTarget(address).usePlaintext().directExecutor()
                .flowControlWindow(4 * 1024 * 1024).maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    // --- parity ---------------------------------------------------------------------------------

    /** Every server's Reset and Steps, on a stream and on unary calls, equal the first server's. */
    private void checkParity(int numEnvs) throws Exception {
        StepRequest[] steps = preparedSteps("", numEnvs);
        List<List<Object>> answers = new ArrayList<>();
        for (Server server : servers) {
            List<Object> replies = new ArrayList<>();
            StreamPingPong stream = new StreamPingPong(EnvServiceGrpc.newStub(server.channel()));
            MakeResponse made = stream.call(InteractRequest.newBuilder().setMake(makeRequest(numEnvs)).build())
                    .get(30, TimeUnit.SECONDS).getMake();
            replies.add(made.getSpec().getAgentsList().stream().map(agent -> agent.getName() + ":"
                    + agent.getActionSpace().getShapeList()).toList());
            replies.add(made.getSpec().getSharedObservationSpace().getShapeList());
            replies.add(stream.call(InteractRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(SEED))
                    .build()).get(30, TimeUnit.SECONDS).getReset());
            for (int i = 0; i < PARITY_STEPS; i++) {
                InteractResponse answer = stream.call(InteractRequest.newBuilder()
                        .setStep(steps[i % steps.length]).build()).get(30, TimeUnit.SECONDS);
                replies.add(answer.getStep());
            }
            stream.finish();
            EnvServiceGrpc.EnvServiceBlockingStub unary = EnvServiceGrpc.newBlockingStub(server.channel());
            String session = unary.make(makeRequest(numEnvs)).getSessionId();
            replies.add(unary.reset(ResetRequest.newBuilder().setSessionId(session).setSeed(SEED + 1).build()));
            for (StepRequest step : preparedSteps(session, numEnvs)) {
                replies.add(unary.step(step));
            }
            unary.close(CloseRequest.newBuilder().setSessionId(session).build());
            answers.add(replies);
        }
        for (int server = 1; server < servers.size(); server++) {
            List<Object> expected = answers.get(0);
            List<Object> actual = answers.get(server);
            for (int i = 0; i < expected.size(); i++) {
                if (!expected.get(i).equals(actual.get(i))) {
                    throw new IllegalStateException("parity failed at num_envs " + numEnvs + ": answer " + i + " of '"
                            + servers.get(server).name() + "' differs from '" + servers.get(0).name() + "'"
                            + firstDifference(expected.get(i), actual.get(i)));
                }
            }
        }
    }

    private static String firstDifference(Object expected, Object actual) {
        if (expected instanceof StepResponse a && actual instanceof StepResponse b) {
            for (var field : StepResponse.getDescriptor().getFields()) {
                if (!a.getField(field).equals(b.getField(field))) {
                    return " in field " + field.getName();
                }
            }
        }
        return ": " + String.valueOf(expected).lines().limit(3).toList() + " vs "
                + String.valueOf(actual).lines().limit(3).toList();
    }

    // --- measurement ----------------------------------------------------------------------------

    /** One measured cell's env steps/s, keyed by path, copies and server, in repeat order. */
    private Map<String, List<Cell>> measureAll() {
        Map<String, List<Cell>> rates = new LinkedHashMap<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (int numEnvs : copies) {
                for (String path : List.of("Interact", "unary Step")) {
                    for (int k = 0; k < servers.size(); k++) {
                        Server server = servers.get((k + repeat) % servers.size());
                        Cell cell = path.equals("Interact") ? stream(server, numEnvs) : unary(server, numEnvs);
                        rates.computeIfAbsent(key(path, numEnvs, server.name()), ignored -> new ArrayList<>())
                                .add(cell);
                        System.err.printf(Locale.ROOT, "repeat %d, %s, num_envs %d, %s: %,.0f env steps/s, "
                                + "%.2f µs CPU per env step%n", repeat + 1, path, numEnvs, server.name(),
                                cell.stepsPerSecond(), cell.cpuMicrosPerStep());
                    }
                }
            }
        }
        return rates;
    }

    private static String key(String path, int numEnvs, String server) {
        return path + "|" + numEnvs + "|" + server;
    }

    private Cell stream(Server server, int numEnvs) {
        byte[][] setup = {InteractRequest.newBuilder().setMake(makeRequest(numEnvs)).build().toByteArray(),
                InteractRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(SEED)).build().toByteArray()};
        byte[][] steps = Arrays.stream(preparedSteps("", numEnvs))
                .map(step -> InteractRequest.newBuilder().setStep(step).build().toByteArray()).toArray(byte[][]::new);
        Window window = new Window(server.cpuNanos());
        RawCalls.stream(server.channel(), setup, steps, window::record);
        return window.cell(numEnvs);
    }

    private Cell unary(Server server, int numEnvs) {
        EnvServiceGrpc.EnvServiceBlockingStub blocking = EnvServiceGrpc.newBlockingStub(server.channel());
        String session = blocking.make(makeRequest(numEnvs)).getSessionId();
        blocking.reset(ResetRequest.newBuilder().setSessionId(session).setSeed(SEED).build());
        try {
            Window window = new Window(server.cpuNanos());
            RawCalls.unary(server.channel(), Arrays.stream(preparedSteps(session, numEnvs))
                    .map(StepRequest::toByteArray).toArray(byte[][]::new), window::record);
            return window.cell(numEnvs);
        } finally {
            blocking.close(CloseRequest.newBuilder().setSessionId(session).build());
        }
    }

    /**
     * Counts the calls that end within the measured window, after the warm-up, and the server
     * process's CPU time from the first of them to the window's end.
     */
    private final class Window {
        private final long warmupEnds = System.nanoTime() + (long) (warmupSeconds * 1e9);
        private final long measureEnds = warmupEnds + (long) (seconds * 1e9);
        private final LongSupplier cpuNanos;
        private long calls;
        private long cpuAtStart;
        private long cpuAtEnd;

        Window(LongSupplier cpuNanos) {
            this.cpuNanos = cpuNanos;
        }

        boolean record(long nanos) {
            long now = System.nanoTime();
            if (now >= measureEnds) {
                cpuAtEnd = cpuNanos == null ? 0 : cpuNanos.getAsLong();
                return false;
            }
            if (now >= warmupEnds) {
                if (calls++ == 0 && cpuNanos != null) {
                    cpuAtStart = cpuNanos.getAsLong();
                }
            }
            return true;
        }

        /** Steps counted after the first measured call, as the CPU time is. */
        Cell cell(int numEnvs) {
            double cpuPerStep = cpuNanos == null || calls < 2 ? Double.NaN
                    : (cpuAtEnd - cpuAtStart) / 1e3 / ((calls - 1) * (double) numEnvs);
            return new Cell(calls / seconds * numEnvs, cpuPerStep);
        }
    }

    // --- report ---------------------------------------------------------------------------------

    private void print(Map<String, List<Cell>> cells) {
        Server python = servers.get(servers.size() - 1);
        StringBuilder table = new StringBuilder("| path | num_envs | server | env steps/s (median) | min | max "
                + "| ratio to python (median of repeats) | µs CPU per env step (median) | python's CPU / this "
                + "(median) |\n|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (int numEnvs : copies) {
            for (String path : List.of("Interact", "unary Step")) {
                List<Cell> reference = cells.get(key(path, numEnvs, python.name()));
                for (Server server : servers) {
                    List<Cell> own = cells.get(key(path, numEnvs, server.name()));
                    List<Double> rates = own.stream().map(Cell::stepsPerSecond).toList();
                    List<Double> ratios = new ArrayList<>();
                    List<Double> cpuRatios = new ArrayList<>();
                    for (int i = 0; i < own.size(); i++) {
                        ratios.add(own.get(i).stepsPerSecond() / reference.get(i).stepsPerSecond());
                        cpuRatios.add(reference.get(i).cpuMicrosPerStep() / own.get(i).cpuMicrosPerStep());
                    }
                    table.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %,.0f | %,.0f | %.2fx | %s | %s |%n",
                            path, numEnvs, server.name(), median(rates),
                            rates.stream().mapToDouble(d -> d).min().orElse(0),
                            rates.stream().mapToDouble(d -> d).max().orElse(0), median(ratios),
                            orUnknown(median(own.stream().map(Cell::cpuMicrosPerStep).toList()), "%.2f"),
                            orUnknown(median(cpuRatios), "%.2fx")));
                }
            }
        }
        System.out.print(table);
        System.out.printf(Locale.ROOT, "%n%s, SAME_STEP autoreset, reward gradient on; ping-pong, one client; %d "
                + "interleaved repeats of %.1f s (+%.1f s warm-up); CPU is the server process's (an in-JVM server's "
                + "includes the load client's; n/a: unknown); %d available processors, Java %s%n", ENV_ID,
                repeats, seconds, warmupSeconds, Runtime.getRuntime().availableProcessors(), Runtime.version());
    }

    private static String orUnknown(double value, String format) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(d -> d).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // --- requests -------------------------------------------------------------------------------

    private static MakeRequest makeRequest(int numEnvs) {
        return MakeRequest.newBuilder().setEnvId(ENV_ID)
                .setOptions(SessionOptions.newBuilder().setNumEnvs(numEnvs).setRewardGradient(true)
                        .setAutoresetMode(AutoresetMode.AUTORESET_MODE_SAME_STEP))
                .build();
    }

    /** The default 4 agents x 5 parameters; small Gaussian moves, the same for every server. */
    private static StepRequest[] preparedSteps(String session, int numEnvs) {
        SplittableRandom random = new SplittableRandom(7);
        StepRequest[] steps = new StepRequest[PREPARED_REQUESTS];
        for (int i = 0; i < steps.length; i++) {
            StepRequest.Builder step = StepRequest.newBuilder().setSessionId(session);
            for (int agent = 0; agent < 4; agent++) {
                AgentAction.Builder action = AgentAction.newBuilder().setAgent("agent_" + agent);
                for (int j = 0; j < numEnvs * 5; j++) {
                    action.addValues((float) random.nextGaussian() * 0.2f);
                }
                step.addActions(action);
            }
            steps[i] = step.build();
        }
        return steps;
    }
}
