package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.AgentSpec;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.MakeResponse;
import org.marlopt.proto.env.v2.NumberList;
import org.marlopt.proto.env.v2.ParameterValue;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;
import org.marlopt.security.ServerSecurity;

/**
 * Fuzzes the protocol against an in-process server: random field values, random bytes on the
 * real method names, random request sequences on Interact. Whatever comes in, no answer is
 * UNKNOWN or INTERNAL, the server keeps serving, every session a try made is gone once its
 * client goes away, and a well-behaved session stepped between the tries stays bit-exact with a
 * reference copy of its environment.
 */
class ProtocolFuzzTest {

    private static final Set<Status.Code> NEVER = Set.of(Status.Code.UNKNOWN, Status.Code.INTERNAL);
    private static final List<String> UNARY = List.of("GetCapabilities", "ListEnvironments", "Make", "Reset",
            "Step", "Close");
    private static final float[] ODD_FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            0f, -0f, 1e30f, -1f, 1f, Float.MIN_VALUE};

    private static EnvServer server;
    private static ManagedChannel channel;
    private static EnvServiceGrpc.EnvServiceBlockingStub stub;
    private static Witness witness;

    /** A well-behaved session on the fuzzed server and its reference, stepped in lockstep. */
    private record Witness(String session, BatchedVectorEnv reference, Random actions) {
        void stepAndCompare() {
            StepRequest.Builder request = StepRequest.newBuilder().setSessionId(session);
            float[][] values = new float[reference.spec().numAgents()][];
            for (int agent = 0; agent < values.length; agent++) {
                values[agent] = new float[5 * 2];
                AgentAction.Builder action = AgentAction.newBuilder().setAgent("agent_" + agent);
                for (int i = 0; i < values[agent].length; i++) {
                    values[agent][i] = actions.nextFloat() * 2 - 1;
                    action.addValues(values[agent][i]);
                }
                request.addActions(action);
            }
            StepResponse served = stub.step(request.build());
            assertEquals(ProtoCodec.stepResponse(reference.spec(), reference.step(values)), served,
                    "the well-behaved session diverged from its reference");
        }
    }

    @BeforeContainer
    static void start() {
        String name = InProcessServerBuilder.generateName();
        // BULK as on the network: the fuzzed bytes also hit the bulk Step and Interact readers.
        server = EnvServer.start(InProcessServerBuilder.forName(name), TestServer.config()
                .withClaimTimeout(Duration.ofMillis(500))
                .withMemoryBudgetBytes(256L * 1024 * 1024), TestServer.REGISTRY, ServerSecurity.NONE,
                WireCoding.BULK);
        channel = InProcessChannelBuilder.forName(name).build();
        stub = EnvServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES);
        String session = stub.make(TestServer.makeRequest(2, false)).getSessionId();
        stub.reset(TestServer.reset(session, 42));
        BatchedVectorEnv reference = TestServer.REGISTRY.make(TestServer.ENV_ID, Map.of(),
                new VectorOptions(2, false, null));
        reference.reset(42);
        witness = new Witness(session, reference, new Random(7));
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    @Property(tries = 300)
    void randomBytesOnAnyMethodAreNeverUnknownOrInternal(@ForAll("methods") String method,
            @ForAll("messageBytes") byte[] bytes) throws Exception {
        if (method.equals("Interact")) {
            Answers answers = new Answers();
            StreamObserver<byte[]> stream = RawCalls.interact(channel, answers);
            stream.onNext(bytes);
            answers.next();
            ((ClientCallStreamObserver<byte[]>) stream).cancel("the fuzzer moves on", null);
        } else {
            try {
                String session = madeSession(method, RawCalls.call(channel, method, bytes));
                if (session != null) {
                    stub.close(CloseRequest.newBuilder().setSessionId(session).build());
                }
            } catch (StatusRuntimeException e) {
                assertAllowed(e.getStatus());
            }
        }
        afterClientLeft();
    }

    @Property(tries = 200)
    void randomFieldValuesAreNeverUnknownOrInternal(@ForAll("makes") MakeRequest make, @ForAll Random random) {
        String session = null;
        try {
            MakeResponse made = stub.make(make);
            session = made.getSessionId();
            stub.reset(ResetRequest.newBuilder().setSessionId(session).setSeed(random.nextLong()).build());
            for (int step = 0; step < 3; step++) {
                stub.step(randomStep(session, made, make.getOptions().getNumEnvs(), random));
            }
        } catch (StatusRuntimeException e) {
            assertAllowed(e.getStatus());
        } finally {
            if (session != null) {
                closeQuietly(session);
            }
        }
        afterClientLeft();
    }

    @Property(tries = 100)
    void randomRequestSequencesOnAStreamAreNeverUnknownOrInternal(@ForAll("makes") MakeRequest make,
            @ForAll Random random) throws Exception {
        Answers answers = new Answers();
        StreamObserver<byte[]> stream = RawCalls.interact(channel, answers);
        MakeResponse made = null;
        for (int i = 0; i < 6; i++) {
            InteractRequest.Builder request = InteractRequest.newBuilder();
            switch (random.nextInt(5)) {
                case 0 -> request.setMake(make);
                case 1 -> request.setReset(ResetRequest.newBuilder().setSeed(random.nextLong()));
                case 2 -> request.setStep(randomStep(random.nextInt(8) == 0 ? "elsewhere" : "", made,
                        make.getOptions().getNumEnvs(), random));
                case 3 -> request.setClose(CloseRequest.getDefaultInstance());
                default -> { } // none set
            }
            stream.onNext(request.build().toByteArray());
            InteractResponse answer = answers.next();
            if (answer.hasMake()) {
                made = answer.getMake();
            }
            if (answer.hasClose()) {
                break;
            }
        }
        if (random.nextBoolean()) {
            ((ClientCallStreamObserver<byte[]>) stream).cancel("the fuzzer vanishes", null);
        } else {
            stream.onCompleted();
        }
        afterClientLeft();
    }

    /** The witness still steps exactly, and the sessions tries made are gone: only the witness is left. */
    private static void afterClientLeft() {
        witness.stepAndCompare();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (server.activeSessions() != 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, server.activeSessions(), "sessions left behind by a try");
    }

    private static void assertAllowed(Status status) {
        assertTrue(!NEVER.contains(status.getCode()), "answered " + status);
    }

    private static void closeQuietly(String session) {
        try {
            stub.close(CloseRequest.newBuilder().setSessionId(session).build());
        } catch (StatusRuntimeException e) {
            assertAllowed(e.getStatus()); // e.g. NOT_FOUND: the step closed it already
        }
    }

    /** A session id when the raw call was a successful Make, else null. */
    private static String madeSession(String method, byte[] answer) throws Exception {
        return method.equals("Make") ? MakeResponse.parseFrom(answer).getSessionId() : null;
    }

    /** Mostly well-formed actions for the made session's agents, with random faults. */
    private static StepRequest randomStep(String session, MakeResponse made, int numEnvs, Random random) {
        StepRequest.Builder step = StepRequest.newBuilder().setSessionId(session)
                .setSequence(random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        List<AgentSpec> agents = made == null ? List.of() : made.getSpec().getAgentsList();
        for (AgentSpec agent : agents) {
            if (random.nextInt(10) == 0) {
                continue;
            }
            int size = Math.max(1, numEnvs) * agent.getActionSpace().getLowCount();
            if (random.nextInt(10) == 0) {
                size += random.nextInt(3) - 1;
            }
            AgentAction.Builder action = AgentAction.newBuilder()
                    .setAgent(random.nextInt(10) == 0 ? "stranger" : agent.getName());
            for (int i = 0; i < size; i++) {
                action.addValues(random.nextInt(20) == 0 ? ODD_FLOATS[random.nextInt(ODD_FLOATS.length)]
                        : random.nextFloat() * 2 - 1);
            }
            step.addActions(action);
        }
        return step.build();
    }

    @Provide
    Arbitrary<String> methods() {
        List<String> all = new ArrayList<>(UNARY);
        all.add("Interact");
        return Arbitraries.of(all);
    }

    /** Random bytes, and valid requests with a few bytes overwritten. */
    @Provide
    Arbitrary<byte[]> messageBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(validEncodings()),
                Arbitraries.integers().between(0, 1 << 16), Arbitraries.bytes()).as((valid, position, value) -> {
                    byte[] bytes = valid.clone();
                    bytes[position % bytes.length] = value;
                    return bytes;
                });
        return Arbitraries.oneOf(random, mutated);
    }

    private static List<byte[]> validEncodings() {
        return List.of(TestServer.makeRequest(2, true).toByteArray(),
                TestServer.uniformStep("0123456789abcdef0123456789abcdef", 1, 0, 0, 0, 0).toByteArray(),
                InteractRequest.newBuilder().setMake(TestServer.makeRequest(1, false)).build().toByteArray(),
                TestServer.reset("0123456789abcdef0123456789abcdef", 3).toByteArray());
    }

    @Provide
    Arbitrary<MakeRequest> makes() {
        List<String> names = TestServer.REGISTRY.definitions().stream()
                .flatMap(definition -> definition.parameters().stream()).map(ParameterSpec::name).distinct().toList();
        Arbitrary<String> envIds = Arbitraries.oneOf(Arbitraries.of(TestServer.REGISTRY.ids()),
                Arbitraries.strings().ofMaxLength(6));
        Arbitrary<Map<String, ParameterValue>> params = Arbitraries.maps(
                Arbitraries.oneOf(Arbitraries.of(names), Arbitraries.strings().alpha().ofMaxLength(4)),
                parameterValues()).ofMaxSize(3);
        Arbitrary<Integer> numEnvs = Arbitraries.oneOf(Arbitraries.integers().between(0, 4), Arbitraries.integers());
        return Combinators.combine(envIds, params, numEnvs, Arbitraries.of(true, false),
                Arbitraries.integers().between(-1, 4)).as((envId, values, copies, gradient, autoreset) ->
                MakeRequest.newBuilder().setEnvId(envId).putAllParams(values)
                        .setOptions(SessionOptions.newBuilder().setNumEnvs(copies).setRewardGradient(gradient)
                                .setAutoresetModeValue(autoreset))
                        .build());
    }

    private static Arbitrary<ParameterValue> parameterValues() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().map(TestServer::number),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0).map(TestServer::number),
                Arbitraries.longs().between(-3, 300).map(TestServer::integer),
                Arbitraries.longs().map(TestServer::integer),
                Arbitraries.of(true, false).map(TestServer::bool),
                Arbitraries.strings().ofMaxLength(8).map(TestServer::text),
                Arbitraries.doubles().between(-2, 2).list().ofMaxSize(5).map(values -> ParameterValue.newBuilder()
                        .setNumbers(NumberList.newBuilder().addAllValues(values)).build()),
                Arbitraries.just(ParameterValue.getDefaultInstance()));
    }

    /** A raw stream's answers, parsed; every one must arrive and be OK or an allowed error. */
    private static final class Answers implements StreamObserver<byte[]> {
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        @Override
        public void onNext(byte[] value) {
            try {
                queue.add(InteractResponse.parseFrom(value));
            } catch (Exception e) {
                queue.add(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            queue.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            queue.add(Status.OK);
        }

        InteractResponse next() throws InterruptedException {
            Object answer = queue.poll(10, TimeUnit.SECONDS);
            assertTrue(answer instanceof InteractResponse, "expected an answer, got " + answer);
            InteractResponse response = (InteractResponse) answer;
            if (response.hasError()) {
                assertNotEquals(Status.Code.UNKNOWN.value(), response.getError().getCode(), response.toString());
                assertNotEquals(Status.Code.INTERNAL.value(), response.getError().getCode(), response.toString());
            }
            return response;
        }
    }
}
