package org.marlopt.client.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.client.ClientVersion;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvParams;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.Part;
import org.marlopt.env.ScoreReference;
import org.marlopt.proto.env.v2.Capabilities;

/**
 * Where trained agents come from, recorded next to every run (config.json) and checkpoint
 * (provenance.json): the environment with every parameter in force, the spec the agents were
 * trained on, the server (with its replicas as resolved and the shards of the training session)
 * and protocol versions it reported, and this client's version.
 */
final class Provenance {

    private Provenance() {}

    static Map<String, Object> of(EnvClient client, TrainConfig config, SessionSpec training, String algorithm) {
        Capabilities capabilities = client.capabilities();
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("algorithm", algorithm);
        provenance.put("env_id", config.envId());
        provenance.put("env_params", EnvParams.resolve(client.environment(config.envId()), config.envParams()));
        provenance.put("training_session", summary(training));
        provenance.put("server", client.target());
        // results do not depend on them, so they stay out of the config a resume compares
        provenance.put("server_replicas", client.replicas());
        provenance.put("shards", Math.min(client.shards(), config.numEnvs()));
        provenance.put("protocol_version", capabilities.getProtocolVersion());
        provenance.put("server_version", capabilities.getServerVersion());
        provenance.put("client_version", ClientVersion.get());
        return provenance;
    }

    /** The spec's sizes, keys and channel: what the networks were shaped from. */
    private static Map<String, Object> summary(SessionSpec spec) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("num_envs", spec.numEnvs());
        summary.put("reward_gradient", spec.rewardGradient());
        summary.put("params", spec.env().params().asMap());
        summary.put("max_episode_steps", spec.maxEpisodeSteps());
        summary.put("shared_observation_size", spec.sharedSize());
        summary.put("state_size", spec.stateSize());
        List<Map<String, Object>> agents = spec.env().agents().stream().map(Provenance::agent).toList();
        summary.put("agents", agents);
        Map<String, Integer> info = new LinkedHashMap<>();
        for (InfoSpec key : spec.env().info()) {
            info.put(key.name(), key.size());
        }
        summary.put("info", info);
        summary.put("score_key", spec.scoreKey());
        summary.put("score_reference", scoreReference(spec.scoreReference()));
        summary.put("success_key", spec.successKey());
        summary.put("reward_gradient_available", spec.env().rewardGradientAvailable());
        Map<String, Object> comm = new LinkedHashMap<>();
        comm.put("topology", spec.env().comm().topology());
        comm.put("message_size", spec.env().comm().messageSize());
        comm.put("delay", spec.env().comm().delay());
        comm.put("drop_probability", spec.env().comm().dropProbability());
        comm.put("edges", spec.env().comm().enabled() ? spec.env().comm().graph().edges().size() : 0);
        summary.put("comm", comm);
        return summary;
    }

    /** The reference in the protocol's field names, or null when none is declared. */
    private static Map<String, Object> scoreReference(ScoreReference reference) {
        if (reference == null) {
            return null;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("naive_policy", reference.naivePolicy());
        summary.put("optimum_policy", reference.optimumPolicy());
        summary.put("optimum_kind", reference.kind());
        return summary;
    }

    private static Map<String, Object> agent(AgentSpec agent) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", agent.name());
        summary.put("observation_parts", parts(agent.observationParts()));
        summary.put("action_parts", parts(agent.actionParts()));
        return summary;
    }

    private static Map<String, Integer> parts(List<Part> parts) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        parts.forEach(part -> sizes.put(part.name(), part.size()));
        return sizes;
    }
}
