package org.marlopt.client.job;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.Evaluator;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.policy.LearnedPolicy;
import org.marlopt.client.policy.Policy;
import org.marlopt.client.policy.PolicyMenu;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.env.policy.PolicyCatalog;

/**
 * Evaluates policies (learned from a checkpoint, zero, the environment's references, the
 * classical algorithms) through the same harness, on the same seeds.
 */
public final class EvaluateJob {

    /**
     * What to evaluate.
     *
     * @param checkpoint trained agents (null: none); they also set the environment and its parameters
     * @param envId the environment when there is no checkpoint (null: the seed's); with one, it must match
     * @param params environment parameters as text, over the checkpoint's
     * @param policies policy names, or "all"
     * @param settings hyperparameters of the classical policies chosen
     * @param episodes fresh resets per policy
     * @param firstSeed first reset seed (null: the run's evalSeed)
     */
    public record Request(Path checkpoint, String envId, Map<String, String> params, List<String> policies,
                          Map<String, Double> settings, int episodes, Long firstSeed) {
    }

    private EvaluateJob() {}

    public static List<EvaluationResult> run(EnvClient client, Request request) {
        if (request.episodes() <= 0) {
            throw new IllegalArgumentException("--episodes must be > 0, got " + request.episodes());
        }
        client.requireShardsAtMost(Math.min(request.episodes(), Sessions.MAX_EVALUATION_COPIES),
                "the evaluation session (--episodes, at most " + Sessions.MAX_EVALUATION_COPIES + ")");
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.State state = request.checkpoint() == null ? null : Checkpoint.load(request.checkpoint(), manager);
            try {
                TrainConfig config = configOf(state, request);
                Map<String, String> params = new LinkedHashMap<>(config.envParams());
                params.putAll(request.params());
                long seed = request.firstSeed() != null ? request.firstSeed() : config.evalSeed();
                return evaluate(client, request, config, params, seed, state, manager);
            } finally {
                if (state != null) {
                    state.models().forEach(Model::close);
                }
            }
        }
    }

    private static List<EvaluationResult> evaluate(EnvClient client, Request request, TrainConfig config,
                                                   Map<String, String> params, long seed, Checkpoint.State state,
                                                   NDManager manager) {
        String envId = config.envId();
        ObservationTransform transform = ObservationTransform.of(config.observationTransform());
        EnvExtras extras = EnvExtras.forEnv(envId);
        List<EvaluationResult> results = new ArrayList<>();
        try (EnvSession env = Sessions.evaluation(client, envId, params, request.episodes());
             AgentTeam team = state == null ? null : AgentTeam.fromModels(manager, state.models())) {
            SessionSpec spec = env.spec();
            PolicyMenu menu = new PolicyMenu(spec, team == null ? null
                    : () -> new LearnedPolicy(team, spec, transform, manager),
                    extras.referencePolicies(spec), PolicyCatalog.discover(), request.settings());
            List<Policy> policies = menu.select(request.policies()); // every name checked before any evaluation
            for (Policy policy : policies) {
                results.add(Evaluator.evaluate(policy, env, seed, request.episodes(), extras));
            }
        }
        return results;
    }

    /** The checkpoint's settings, or the defaults of the requested environment. */
    private static TrainConfig configOf(Checkpoint.State state, Request request) {
        if (state == null) {
            return TrainConfig.defaults(request.envId() != null ? request.envId() : TrainConfig.DEFAULT_ENV);
        }
        if (request.envId() != null && !request.envId().equals(state.config().envId())) {
            throw new IllegalArgumentException("the checkpoint's agents were trained on " + state.config().envId()
                    + ", not " + request.envId() + "; leave out --env to evaluate them on their own environment");
        }
        return state.config();
    }

    /** Results keyed by policy, each in its JSON form. */
    public static Map<String, Object> byPolicy(List<EvaluationResult> results) {
        Map<String, Object> map = new LinkedHashMap<>();
        results.forEach(result -> map.put(result.policy(), result.toJson()));
        return map;
    }
}
