package org.marlopt.client.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.Part;
import org.marlopt.env.ScoreReference;
import org.marlopt.env.comm.CommGraph;
import org.marlopt.env.comm.CommSpec;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;
import org.marlopt.proto.env.v2.Box;
import org.marlopt.proto.env.v2.Edge;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.ParameterInfo;

/**
 * Reads the protocol's EnvSpec into the environment API's {@link EnvSpec}: the one spec type the
 * client's networks, evaluation and the classical policies ({@code org.marlopt.env.policy}) all
 * read, whether the environment runs on a remote server or in this JVM.
 */
final class ProtoSpecs {

    private ProtoSpecs() {}

    /**
     * @param env the environment's registry entry, whose parameter declarations type the spec's values
     * @throws IllegalStateException when the server's spec contradicts itself or its declarations
     */
    static EnvSpec envSpec(org.marlopt.proto.env.v2.EnvSpec spec, EnvironmentInfo env) {
        List<ParameterSpec> declarations = env.getParametersList().stream().map(ProtoSpecs::parameterSpec).toList();
        Map<String, Object> values = new LinkedHashMap<>();
        spec.getParamsMap().forEach((name, value) -> values.put(name, EnvParams.toJava(value)));
        Parameters params = Parameters.resolve(declarations, values);
        List<AgentSpec> agents = new ArrayList<>();
        for (org.marlopt.proto.env.v2.AgentSpec agent : spec.getAgentsList()) {
            AgentSpec read = new AgentSpec(agent.getName(), box(agent.getObservationSpace()),
                    box(agent.getActionSpace()), parts(agent.getObservationPartsList()),
                    parts(agent.getActionPartsList()));
            if (read.actionPart(Part.ACTION) == null) {
                throw new IllegalStateException("the env server's spec of " + spec.getEnvId() + " gives agent "
                        + read.name() + " no '" + Part.ACTION + "' action part");
            }
            agents.add(read);
        }
        if (agents.isEmpty()) {
            throw new IllegalStateException("the env server's spec of " + spec.getEnvId() + " has no agents");
        }
        List<InfoSpec> info = spec.getInfoList().stream()
                .map(key -> new InfoSpec(key.getName(), key.getDescription(), key.getSize())).toList();
        return new EnvSpec(spec.getEnvId(), agents, box(spec.getSharedObservationSpace()), box(spec.getStateSpace()),
                spec.getMaxEpisodeSteps(), params, info, comm(spec.getComm(), agents), spec.getRewardGradientAvailable(),
                emptyToNull(spec.getScoreKey()), scoreReference(spec), emptyToNull(spec.getSuccessKey()));
    }

    /** The spec's score reference, or null when the server sets none. */
    private static ScoreReference scoreReference(org.marlopt.proto.env.v2.EnvSpec spec) {
        if (!spec.hasScoreReference()) {
            return null;
        }
        org.marlopt.proto.env.v2.ScoreReference reference = spec.getScoreReference();
        try {
            return new ScoreReference(reference.getNaivePolicy(), reference.getOptimumPolicy(),
                    reference.getOptimumKind());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the env server's spec of " + spec.getEnvId() + " has an invalid "
                    + "score_reference: " + e.getMessage(), e);
        }
    }

    static ParameterSpec parameterSpec(ParameterInfo info) {
        Object defaultValue = EnvParams.toJava(info.getDefaultValue());
        return new ParameterSpec(info.getName(), info.getDescription(),
                org.marlopt.env.param.ParameterType.valueOf(info.getType().name().substring("PARAMETER_TYPE_".length())),
                defaultValue, info.getMin(), info.getMax(), info.getChoicesList(), info.getMinLength(),
                info.getMaxLength());
    }

    private static CommSpec comm(org.marlopt.proto.env.v2.CommSpec comm, List<AgentSpec> agents) {
        if (comm.getMessageSize() == 0) {
            return CommSpec.NONE;
        }
        List<int[]> links = comm.getEdgesList().stream().map(edge -> new int[] {edge.getFrom(), edge.getTo()}).toList();
        CommGraph graph = new CommGraph(agents.size(), links);
        for (Edge edge : comm.getEdgesList()) {
            if (Math.abs(graph.weight(edge.getTo(), edge.getFrom()) - edge.getWeight()) > 1e-12) {
                throw new IllegalStateException("the env server's mixing weight W[" + edge.getTo() + "]["
                        + edge.getFrom() + "] = " + edge.getWeight() + " is not the Metropolis-Hastings weight "
                        + graph.weight(edge.getTo(), edge.getFrom()) + " the protocol defines");
            }
        }
        AgentSpec first = agents.get(0);
        Part message = first.actionPart(Part.MESSAGE);
        if (message == null) {
            throw new IllegalStateException("the env server declares a message channel, but agent " + first.name()
                    + " has no '" + Part.MESSAGE + "' action part");
        }
        float low = first.actionSpace().low()[message.offset()];
        float high = first.actionSpace().high()[message.offset()];
        return new CommSpec(comm.getTopology(), graph, comm.getMessageSize(), comm.getDelay(),
                comm.getDropProbability(), low, high);
    }

    private static BoxSpace box(Box box) {
        int[] shape = box.getShapeList().stream().mapToInt(Integer::intValue).toArray();
        float[] low = new float[box.getLowCount()];
        float[] high = new float[box.getHighCount()];
        for (int i = 0; i < low.length; i++) {
            low[i] = box.getLow(i);
        }
        for (int i = 0; i < high.length; i++) {
            high[i] = box.getHigh(i);
        }
        return new BoxSpace(shape.length == 0 && low.length == 0 ? new int[] {0} : shape, low, high);
    }

    private static List<Part> parts(List<org.marlopt.proto.env.v2.Part> parts) {
        return parts.stream().map(part -> new Part(part.getName(), part.getOffset(), part.getSize())).toList();
    }

    private static String emptyToNull(String key) {
        return key.isEmpty() ? null : key;
    }
}
