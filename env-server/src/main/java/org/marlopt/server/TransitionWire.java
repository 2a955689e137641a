package org.marlopt.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.VectorEnvSpec;
import org.marlopt.env.vector.Transition;
import org.marlopt.proto.env.v2.ResetResponse;
import org.marlopt.proto.env.v2.StepResponse;

/**
 * Writes a session's Reset and Step answers as protobuf wire bytes straight from the
 * {@link Transition}'s arrays: each packed float or double field is one bulk little-endian copy,
 * so nothing is done per value except for the per-copy flags and step counts. The bytes parse to
 * exactly the message {@link ProtoCodec} builds (field for field; map entries in spec order).
 *
 * <p>Each answer gets a fresh array of its exact size: an answer may be kept for a Step replay
 * and is sent after the session's lock is released, so it must not share a buffer with the next.
 */
final class TransitionWire {

    // Field numbers of env.proto, all length-delimited here.
    private static final int AGENT_NAME = 1;
    private static final int AGENT_OBSERVATION = 2;
    private static final int AGENT_REWARD = 3;
    private static final int AGENT_REWARD_GRADIENT = 4;
    private static final int AGENT_FINAL_OBSERVATION = 5;
    private static final int AGENTS = 1;
    private static final int SHARED_OBSERVATION = 2;
    private static final int STATE = 3;
    private static final int TERMINATED = 4;
    private static final int TRUNCATED = 5;
    private static final int STEP_INFO = 6;
    private static final int RESET_INFO = 4;
    private static final int FINAL_SHARED_OBSERVATION = 7;
    private static final int FINAL_STATE = 8;
    private static final int AUTORESET = 9;
    private static final int EPISODE_STEPS = 10;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int DOUBLE_VALUES = 1;

    private final byte[][] agentNames;
    private final byte[][] infoKeys;

    TransitionWire(VectorEnvSpec spec) {
        agentNames = spec.env().agents().stream().map(agent -> utf8(agent.name())).toArray(byte[][]::new);
        infoKeys = spec.env().info().stream().map(InfoSpec::name).map(TransitionWire::utf8).toArray(byte[][]::new);
    }

    Reply<ResetResponse> reset(Transition transition) {
        int[] agentSizes = new int[agentNames.length];
        long size = 0;
        for (int agent = 0; agent < agentNames.length; agent++) {
            agentSizes[agent] = Math.toIntExact(field(agentNames[agent].length)
                    + packed(4L * transition.observation(agent).length));
            size += field(agentSizes[agent]);
        }
        size += sharedAndState(transition) + info(transition);
        Writer out = new Writer(size);
        for (int agent = 0; agent < agentNames.length; agent++) {
            out.header(AGENTS, agentSizes[agent]);
            out.bytes(AGENT_NAME, agentNames[agent]);
            out.floats(AGENT_OBSERVATION, transition.observation(agent));
        }
        out.floats(SHARED_OBSERVATION, transition.sharedObservation());
        out.floats(STATE, transition.state());
        writeInfo(out, RESET_INFO, transition);
        return out.reply();
    }

    Reply<StepResponse> step(Transition transition) {
        boolean ended = transition.finalState() != null;
        int[] agentSizes = new int[agentNames.length];
        long size = 0;
        for (int agent = 0; agent < agentNames.length; agent++) {
            agentSizes[agent] = Math.toIntExact(agentStepSize(transition, agent, ended));
            size += field(agentSizes[agent]);
        }
        int numEnvs = transition.numEnvs();
        int[] episodeSteps = transition.episodeSteps();
        long stepsBytes = 0;
        for (int steps : episodeSteps) {
            stepsBytes += Reply.varintSize(Integer.toUnsignedLong(steps));
        }
        size += sharedAndState(transition) + 2 * packed(numEnvs) + info(transition) + packed(stepsBytes);
        if (ended) {
            size += packed(4L * transition.finalSharedObservation().length) + packed(4L * transition.finalState().length);
        }
        if (transition.autoreset() != null) {
            size += packed(numEnvs);
        }
        Writer out = new Writer(size);
        for (int agent = 0; agent < agentNames.length; agent++) {
            out.header(AGENTS, agentSizes[agent]);
            out.bytes(AGENT_NAME, agentNames[agent]);
            out.floats(AGENT_OBSERVATION, transition.observation(agent));
            out.floats(AGENT_REWARD, transition.reward(agent));
            float[] gradient = transition.rewardGradient(agent);
            if (gradient != null) {
                out.floats(AGENT_REWARD_GRADIENT, gradient);
            }
            if (ended) {
                out.floats(AGENT_FINAL_OBSERVATION, transition.finalObservation(agent));
            }
        }
        out.floats(SHARED_OBSERVATION, transition.sharedObservation());
        out.floats(STATE, transition.state());
        out.booleans(TERMINATED, transition.terminated());
        out.booleans(TRUNCATED, transition.truncated());
        writeInfo(out, STEP_INFO, transition);
        if (ended) {
            out.floats(FINAL_SHARED_OBSERVATION, transition.finalSharedObservation());
            out.floats(FINAL_STATE, transition.finalState());
        }
        if (transition.autoreset() != null) {
            out.booleans(AUTORESET, transition.autoreset());
        }
        out.varints(EPISODE_STEPS, episodeSteps, stepsBytes);
        return out.reply();
    }

    private long agentStepSize(Transition transition, int agent, boolean ended) {
        long size = field(agentNames[agent].length)
                + packed(4L * transition.observation(agent).length)
                + packed(4L * transition.reward(agent).length);
        float[] gradient = transition.rewardGradient(agent);
        if (gradient != null) {
            size += packed(4L * gradient.length);
        }
        if (ended) {
            size += packed(4L * transition.finalObservation(agent).length);
        }
        return size;
    }

    private static long sharedAndState(Transition transition) {
        return packed(4L * transition.sharedObservation().length) + packed(4L * transition.state().length);
    }

    private long info(Transition transition) {
        long size = 0;
        for (int key = 0; key < infoKeys.length; key++) {
            size += field(infoEntrySize(key, transition));
        }
        return size;
    }

    private long infoEntrySize(int key, Transition transition) {
        return field(infoKeys[key].length) + field(packed(8L * transition.info(key).length));
    }

    private void writeInfo(Writer out, int field, Transition transition) {
        for (int key = 0; key < infoKeys.length; key++) {
            double[] values = transition.info(key);
            out.header(field, infoEntrySize(key, transition));
            out.bytes(ENTRY_KEY, infoKeys[key]);
            out.header(ENTRY_VALUE, packed(8L * values.length));
            out.doubles(DOUBLE_VALUES, values);
        }
    }

    /** Bytes of a length-delimited field (tag, length, content) that is always written. */
    private static long field(long contentBytes) {
        return 1 + Reply.varintSize(contentBytes) + contentBytes;
    }

    /** Bytes of a packed repeated field: nothing when empty, as protobuf writes it. */
    private static long packed(long contentBytes) {
        return contentBytes == 0 ? 0 : field(contentBytes);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Fills one exactly sized array after {@link Reply#ENVELOPE_BYTES} of free room. */
    private static final class Writer {

        private final byte[] bytes;
        private final ByteBuffer littleEndian;
        private int position = Reply.ENVELOPE_BYTES;

        Writer(long messageBytes) {
            if (messageBytes > Integer.MAX_VALUE - Reply.ENVELOPE_BYTES) {
                throw new IllegalStateException("a reply of " + messageBytes + " bytes exceeds a Java array; "
                        + "the server's --max-message-bytes keeps sessions far below this");
            }
            bytes = new byte[Reply.ENVELOPE_BYTES + (int) messageBytes];
            littleEndian = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Tag and length of a length-delimited field (field numbers below 16 take one byte). */
        void header(int field, long length) {
            bytes[position++] = (byte) (field << 3 | 2);
            position = Reply.writeVarint(bytes, position, length);
        }

        void bytes(int field, byte[] content) {
            header(field, content.length);
            System.arraycopy(content, 0, bytes, position, content.length);
            position += content.length;
        }

        void floats(int field, float[] values) {
            if (values.length == 0) {
                return;
            }
            header(field, 4L * values.length);
            littleEndian.position(position);
            littleEndian.asFloatBuffer().put(values);
            position += 4 * values.length;
        }

        void doubles(int field, double[] values) {
            if (values.length == 0) {
                return;
            }
            header(field, 8L * values.length);
            littleEndian.position(position);
            littleEndian.asDoubleBuffer().put(values);
            position += 8 * values.length;
        }

        void booleans(int field, boolean[] values) {
            if (values.length == 0) {
                return;
            }
            header(field, values.length);
            for (boolean value : values) {
                bytes[position++] = (byte) (value ? 1 : 0);
            }
        }

        void varints(int field, int[] values, long contentBytes) {
            if (values.length == 0) {
                return;
            }
            header(field, contentBytes);
            for (int value : values) {
                position = Reply.writeVarint(bytes, position, Integer.toUnsignedLong(value));
            }
        }

        <M> Reply<M> reply() {
            if (position != bytes.length) {
                throw new IllegalStateException("bulk encoder wrote " + position + " of " + bytes.length
                        + " bytes: its size and write passes disagree");
            }
            return Reply.wire(bytes, Reply.ENVELOPE_BYTES);
        }
    }
}
