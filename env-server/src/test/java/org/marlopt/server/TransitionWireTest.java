package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;
import org.marlopt.env.vector.Transition;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.proto.env.v2.ResetResponse;
import org.marlopt.proto.env.v2.StepResponse;

/**
 * The bulk-encoded Reset and Step answers are byte for byte what protobuf serializes for the
 * messages {@link ProtoCodec} builds from the same transition: for several sizes, empty fields,
 * every autoreset mode and the float edge values; and an answer kept for a replay never changes.
 */
class TransitionWireTest {

    private static final float[] EDGE_FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
            Float.MIN_VALUE, Float.MAX_VALUE, -1.5f, Float.intBitsToFloat(0x7fc00001)};
    private static final double[] EDGE_DOUBLES = {Double.NaN, Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE, 3.25};
    private static final EnvRegistry REGISTRY = EnvRegistry.discover().with(List.of(new EdgeValuesEnv()));

    @ParameterizedTest(name = "num_envs {0}, shared size {1}, {2}, gradient {3}")
    @CsvSource({"1, 0, DISABLED, false", "3, 2, SAME_STEP, true", "7, 0, NEXT_STEP, true", "64, 3, SAME_STEP, false",
            "300, 1, NEXT_STEP, false", "1024, 3, SAME_STEP, true"})
    void bulkAnswersAreTheStandardMessagesBytes(int numEnvs, int sharedSize, AutoresetMode mode, boolean gradient) {
        BatchedVectorEnv env = REGISTRY.make(EdgeValuesEnv.ID, Map.of("shared_size", (long) sharedSize),
                new VectorOptions(numEnvs, gradient, mode));
        TransitionWire wire = new TransitionWire(env.spec());
        Transition reset = env.reset(OptionalLong.of(5), Map.of());
        assertSameBytes(ProtoCodec.resetResponse(env.spec(), reset), wire.reset(reset), ResetResponse.parser());
        SplittableRandom random = new SplittableRandom(numEnvs);
        for (int step = 0; step < EdgeValuesEnv.EPISODE_STEPS * 3; step++) {
            Transition transition = env.step(actions(env, random));
            assertSameBytes(ProtoCodec.stepResponse(env.spec(), transition), wire.step(transition),
                    StepResponse.parser());
            if (mode == AutoresetMode.DISABLED && (transition.terminated()[0] || transition.truncated()[0])) {
                break; // without autoreset the episode is over
            }
        }
    }

    @Test
    void seedEnvironmentAtLargeBatchesWithAutoresets() {
        BatchedVectorEnv env = REGISTRY.make("DistributedOptimization-v1", Map.of(),
                new VectorOptions(1024, true, AutoresetMode.SAME_STEP));
        TransitionWire wire = new TransitionWire(env.spec());
        env.reset(OptionalLong.of(1), Map.of());
        SplittableRandom random = new SplittableRandom(3);
        boolean autoreset = false;
        for (int step = 0; step < 51; step++) {
            Transition transition = env.step(actions(env, random));
            autoreset |= transition.finalState() != null;
            assertSameBytes(ProtoCodec.stepResponse(env.spec(), transition), wire.step(transition),
                    StepResponse.parser());
        }
        assertTrue(autoreset, "the 50-step truncation should have autoreset the copies");
    }

    @Test
    void interactEnvelopeIsTheStandardInteractResponseAlsoWhenReplayed() {
        BatchedVectorEnv env = REGISTRY.make(EdgeValuesEnv.ID, Map.of(), new VectorOptions(5, true, null));
        TransitionWire wire = new TransitionWire(env.spec());
        env.reset(OptionalLong.of(1), Map.of());
        Transition transition = env.step(actions(env, new SplittableRandom(1)));
        StepResponse message = ProtoCodec.stepResponse(env.spec(), transition);
        Reply<StepResponse> reply = wire.step(transition);
        byte[] expected = InteractResponse.newBuilder().setStep(message).build().toByteArray();
        for (int send = 0; send < 2; send++) { // a replayed answer is wrapped again
            Reply<InteractResponse> wrapped = reply.within(InteractResponse.STEP_FIELD_NUMBER,
                    step -> InteractResponse.newBuilder().setStep(step).build());
            assertArrayEquals(expected, wrapped.wireBytes());
            assertArrayEquals(message.toByteArray(), reply.wireBytes(), "the unary view is untouched by the envelope");
        }
    }

    @Test
    void answerKeptForReplayIsNotChangedByLaterSteps() {
        BatchedVectorEnv env = REGISTRY.make(EdgeValuesEnv.ID, Map.of("shared_size", 3L),
                new VectorOptions(64, true, AutoresetMode.SAME_STEP));
        TransitionWire wire = new TransitionWire(env.spec());
        env.reset(OptionalLong.of(1), Map.of());
        SplittableRandom random = new SplittableRandom(9);
        Transition first = env.step(actions(env, random));
        byte[] firstBytes = ProtoCodec.stepResponse(env.spec(), first).toByteArray();
        Reply<StepResponse> kept = wire.step(first);
        for (int step = 0; step < 5; step++) {
            Transition later = env.step(actions(env, random));
            Reply<StepResponse> next = wire.step(later);
            assertArrayEquals(ProtoCodec.stepResponse(env.spec(), later).toByteArray(), next.wireBytes());
        }
        assertArrayEquals(firstBytes, kept.wireBytes(), "a later step overwrote a kept answer");
    }

    @Test
    void marshallerSendsWireBytesAsTheyAreAndMessagesUnserialized() throws IOException {
        MethodDescriptor.Marshaller<StepResponse> standard = ProtoUtils.marshaller(StepResponse.getDefaultInstance());
        ReplyMarshaller<StepResponse> marshaller = new ReplyMarshaller<>(standard);
        BatchedVectorEnv env = REGISTRY.make(EdgeValuesEnv.ID, Map.of(), new VectorOptions(4, true, null));
        env.reset(OptionalLong.of(2), Map.of());
        Transition transition = env.step(actions(env, new SplittableRandom(2)));
        StepResponse message = ProtoCodec.stepResponse(env.spec(), transition);

        // In process: the receiving side gets the very message object, never serialized.
        assertSame(message, standard.parse(marshaller.stream(Reply.of(message))));

        InputStream wire = marshaller.stream(new TransitionWire(env.spec()).step(transition));
        assertEquals(message.getSerializedSize(), wire.available());
        ByteArrayOutputStream drained = new ByteArrayOutputStream();
        ((io.grpc.Drainable) wire).drainTo(drained);
        assertArrayEquals(message.toByteArray(), drained.toByteArray());
        assertEquals(-1, wire.read());
    }

    private static <M extends com.google.protobuf.Message> void assertSameBytes(M expected, Reply<M> reply,
            com.google.protobuf.Parser<M> parser) {
        assertTrue(reply.isWire());
        assertArrayEquals(expected.toByteArray(), reply.wireBytes(), () -> "bulk bytes differ for " + expected
                .getDescriptorForType().getName());
        assertEquals(expected, reply.message(parser));
    }

    private static float[][] actions(BatchedVectorEnv env, SplittableRandom random) {
        int numEnvs = env.spec().numEnvs();
        float[][] actions = new float[env.spec().numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[numEnvs * env.spec().env().agents().get(agent).actionSpace().size()];
            for (int i = 0; i < actions[agent].length; i++) {
                actions[agent][i] = (float) (random.nextDouble() * 3 - 1.5); // some clipped to [-1, 1]
            }
        }
        return actions;
    }

    /**
     * Writes the float and double edge values (NaN with payloads, infinities, -0.0, extremes)
     * into every array of a transition; episodes end after {@link #EPISODE_STEPS} steps.
     */
    static final class EdgeValuesEnv implements EnvDefinition {

        static final String ID = "EdgeValues-v1";
        static final int EPISODE_STEPS = 3;
        private static final int AGENTS = 2;

        @Override
        public String id() {
            return ID;
        }

        @Override
        public String description() {
            return "Edge values in every array.";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.integer("shared_size", "Shared observation size; 0 for none.", 2, 0, 8));
        }

        @Override
        public ConfiguredEnv configure(Parameters params) {
            int shared = params.integer("shared_size");
            EnvSpec.Builder spec = EnvSpec.builder(ID, params)
                    .sharedObservation(BoxSpace.vector(shared, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY))
                    .state(BoxSpace.vector(3, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY))
                    .maxEpisodeSteps(EPISODE_STEPS)
                    .info(new InfoSpec("pair", "Two edge values.", 2))
                    .info(InfoSpec.scalar("one", "One edge value."))
                    .rewardGradient(true);
            for (int agent = 0; agent < AGENTS; agent++) {
                spec.agent("agent_é" + agent, BoxSpace.vector(agent == 0 ? 0 : 2, Float.NEGATIVE_INFINITY,
                        Float.POSITIVE_INFINITY), BoxSpace.vector(2, -1f, 1f));
            }
            return ConfiguredEnv.of(spec.build(), () -> new Copy(shared));
        }

        private static final class Copy implements EnvCopy {
            private final int shared;
            private int tick;

            Copy(int shared) {
                this.shared = shared;
            }

            @Override
            public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs,
                    CopyOutput out) {
                tick = copy + random.nextInt(EDGE_FLOATS.length);
                info(out);
            }

            @Override
            public void step(float[][] actions, CopyOutput out) {
                tick++;
                for (int agent = 0; agent < AGENTS; agent++) {
                    out.reward(agent, edge(agent));
                    if (out.wantsRewardGradient()) {
                        out.rewardGradient(agent, 0, edge(agent + 1));
                        out.rewardGradient(agent, 1, edge(agent + 2));
                    }
                }
                out.terminated(tick % 5 == 0);
                info(out);
            }

            @Override
            public void observe(CopyOutput out) {
                for (int i = 0; i < shared; i++) {
                    out.sharedObservation(i, edge(i));
                }
                for (int i = 0; i < 3; i++) {
                    out.state(i, edge(i + 3));
                }
                out.observation(1, 0, edge(5));
                out.observation(1, 1, edge(6));
            }

            private void info(CopyOutput out) {
                out.info(0, 0, EDGE_DOUBLES[tick % EDGE_DOUBLES.length]);
                out.info(0, 1, EDGE_DOUBLES[(tick + 1) % EDGE_DOUBLES.length]);
                out.info(1, EDGE_DOUBLES[(tick + 2) % EDGE_DOUBLES.length]);
            }

            private float edge(int offset) {
                return EDGE_FLOATS[(tick + offset) % EDGE_FLOATS.length];
            }
        }
    }
}
