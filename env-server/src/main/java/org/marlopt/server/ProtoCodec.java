package org.marlopt.server;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.env.AgentSpace;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.InfoKey;
import org.marlopt.env.ParameterSpec;
import org.marlopt.env.Transition;
import org.marlopt.env.VectorEnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.v1.AgentSpec;
import org.marlopt.env.v1.AgentStep;
import org.marlopt.env.v1.Box;
import org.marlopt.env.v1.DoubleArray;
import org.marlopt.env.v1.EnvSpec;
import org.marlopt.env.v1.EnvironmentInfo;
import org.marlopt.env.v1.ParameterInfo;
import org.marlopt.env.v1.ResetResponse;
import org.marlopt.env.v1.SessionOptions;
import org.marlopt.env.v1.StepResponse;

/** Translation between the environment's plain Java types and the v1 protocol messages. */
final class ProtoCodec {

    private ProtoCodec() {}

    static EnvSpec spec(VectorEnvSpec spec) {
        EnvSpec.Builder builder = EnvSpec.newBuilder()
                .setEnvId(spec.envId())
                .setStateSpace(box(spec.stateSpace()))
                .setMaxEpisodeSteps(spec.maxEpisodeSteps())
                .putAllParams(spec.params())
                .setOptions(options(spec.options()));
        for (AgentSpace agent : spec.agents()) {
            builder.addAgents(AgentSpec.newBuilder()
                    .setName(agent.name())
                    .setObservationSpace(box(agent.observationSpace()))
                    .setActionSpace(box(agent.actionSpace())));
        }
        for (InfoKey key : spec.infoKeys()) {
            builder.putInfoKeys(key.name(), key.description());
        }
        return builder.build();
    }

    static Box box(BoxSpace space) {
        Box.Builder builder = Box.newBuilder();
        for (int dimension : space.shape()) {
            builder.addShape(dimension);
        }
        for (float low : space.low()) {
            builder.addLow(low);
        }
        for (float high : space.high()) {
            builder.addHigh(high);
        }
        return builder.build();
    }

    static SessionOptions options(VectorOptions options) {
        return SessionOptions.newBuilder()
                .setNumEnvs(options.numEnvs())
                .setRewardGradient(options.rewardGradient())
                .setAutoresetMode(autoresetMode(options.autoresetMode()))
                .build();
    }

    /** The requested mode; {@code null} for UNSPECIFIED (the environment picks its default). */
    static AutoresetMode autoresetMode(org.marlopt.env.v1.AutoresetMode mode) {
        return switch (mode) {
            case AUTORESET_MODE_UNSPECIFIED -> null;
            case AUTORESET_MODE_DISABLED -> AutoresetMode.DISABLED;
            case AUTORESET_MODE_SAME_STEP -> AutoresetMode.SAME_STEP;
            case AUTORESET_MODE_NEXT_STEP -> AutoresetMode.NEXT_STEP;
            case UNRECOGNIZED -> throw RequestException.invalid("options.autoreset_mode",
                    "unknown autoreset_mode; use DISABLED, SAME_STEP or NEXT_STEP (or leave it unset)");
        };
    }

    static org.marlopt.env.v1.AutoresetMode autoresetMode(AutoresetMode mode) {
        return switch (mode) {
            case DISABLED -> org.marlopt.env.v1.AutoresetMode.AUTORESET_MODE_DISABLED;
            case SAME_STEP -> org.marlopt.env.v1.AutoresetMode.AUTORESET_MODE_SAME_STEP;
            case NEXT_STEP -> org.marlopt.env.v1.AutoresetMode.AUTORESET_MODE_NEXT_STEP;
        };
    }

    static EnvironmentInfo environmentInfo(EnvDefinition definition) {
        EnvironmentInfo.Builder builder = EnvironmentInfo.newBuilder()
                .setId(definition.id())
                .setDescription(definition.description());
        for (ParameterSpec parameter : definition.parameters()) {
            builder.addParameters(ParameterInfo.newBuilder()
                    .setName(parameter.name())
                    .setDescription(parameter.description())
                    .setDefaultValue(parameter.defaultValue())
                    .setInteger(parameter.integer()));
        }
        return builder.build();
    }

    // The per-field loops below are written out on purpose: one shared helper taking a
    // method reference makes its call site megamorphic, which more than doubles the cost of
    // building a large batched response.

    static ResetResponse resetResponse(VectorEnvSpec spec, Transition transition) {
        ResetResponse.Builder builder = ResetResponse.newBuilder();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            AgentStep.Builder step = AgentStep.newBuilder().setAgent(spec.agents().get(agent).name());
            for (float value : transition.observation(agent)) {
                step.addObservation(value);
            }
            builder.addAgents(step);
        }
        for (float value : transition.state()) {
            builder.addState(value);
        }
        for (int key = 0; key < spec.infoKeys().size(); key++) {
            builder.putInfo(spec.infoKeys().get(key).name(), doubles(transition.info(key)));
        }
        return builder.build();
    }

    static StepResponse stepResponse(VectorEnvSpec spec, Transition transition) {
        StepResponse.Builder builder = StepResponse.newBuilder();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            builder.addAgents(agentStep(spec.agents().get(agent).name(), transition, agent));
        }
        for (float value : transition.state()) {
            builder.addState(value);
        }
        int numEnvs = transition.numEnvs();
        boolean[] autoreset = transition.autoreset();
        for (int copy = 0; copy < numEnvs; copy++) {
            builder.addTerminated(transition.terminated()[copy]);
            builder.addTruncated(transition.truncated()[copy]);
            builder.addEpisodeSteps(transition.episodeSteps()[copy]);
            if (autoreset != null) {
                builder.addAutoreset(autoreset[copy]);
            }
        }
        float[] finalState = transition.finalState();
        if (finalState != null) {
            for (float value : finalState) {
                builder.addFinalState(value);
            }
        }
        for (int key = 0; key < spec.infoKeys().size(); key++) {
            builder.putInfo(spec.infoKeys().get(key).name(), doubles(transition.info(key)));
        }
        return builder.build();
    }

    private static AgentStep agentStep(String name, Transition transition, int agent) {
        AgentStep.Builder step = AgentStep.newBuilder().setAgent(name);
        for (float value : transition.observation(agent)) {
            step.addObservation(value);
        }
        for (float value : transition.reward(agent)) {
            step.addReward(value);
        }
        float[] gradient = transition.rewardGradient(agent);
        if (gradient != null) {
            for (float value : gradient) {
                step.addRewardGradient(value);
            }
        }
        return step.build();
    }

    /** Decodes reset options the way a JSON object decodes: Double, String, Boolean, List, Map. */
    static Map<String, Object> options(Struct struct) {
        Map<String, Object> map = new LinkedHashMap<>();
        struct.getFieldsMap().forEach((key, value) -> map.put(key, plain(value)));
        return map;
    }

    private static Object plain(Value value) {
        return switch (value.getKindCase()) {
            case NUMBER_VALUE -> value.getNumberValue();
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case STRUCT_VALUE -> options(value.getStructValue());
            case LIST_VALUE -> list(value.getListValue());
            case NULL_VALUE, KIND_NOT_SET -> null;
        };
    }

    private static List<Object> list(ListValue values) {
        List<Object> list = new ArrayList<>(values.getValuesCount());
        for (Value value : values.getValuesList()) {
            list.add(plain(value));
        }
        return list;
    }

    private static DoubleArray doubles(double[] values) {
        DoubleArray.Builder builder = DoubleArray.newBuilder();
        for (double value : values) {
            builder.addValues(value);
        }
        return builder.build();
    }
}
