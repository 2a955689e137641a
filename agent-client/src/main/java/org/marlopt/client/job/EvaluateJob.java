package org.marlopt.client.job;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.LearnedPolicy;
import org.marlopt.client.agent.OraclePolicy;
import org.marlopt.client.agent.Policy;
import org.marlopt.client.agent.ZeroPolicy;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.Evaluator;
import org.marlopt.client.grpc.EnvClient;
import org.marlopt.client.grpc.GrpcVectorEnv;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.train.TrainConfig;

/** Evaluates policies (learned from a checkpoint, zero, oracle) through the same harness. */
public final class EvaluateJob {

    public static final List<String> POLICIES = List.of("learned", "zero", "oracle");

    private EvaluateJob() {}

    /** The policy called {@code name}; {@code team} is only used by {@code learned}. */
    static Policy policy(String name, AgentTeam team, NDManager manager) {
        return switch (name) {
            case "learned" -> new LearnedPolicy(team, manager);
            case "zero" -> new ZeroPolicy();
            case "oracle" -> new OraclePolicy();
            default -> throw new IllegalArgumentException("unknown policy '" + name + "'; choose from " + POLICIES);
        };
    }

    /**
     * @param checkpoint the trained agents; required for {@code learned}, else only supplies the
     *     environment settings (null: defaults)
     */
    public static List<EvaluationResult> run(EnvClient client, Path checkpoint, List<String> policies, int episodes,
                                             Long firstSeed) {
        if (episodes <= 0) {
            throw new IllegalArgumentException("--episodes must be > 0, got " + episodes);
        }
        if (policies.contains("learned") && checkpoint == null) {
            throw new IllegalArgumentException("policy 'learned' needs --checkpoint DIR (a trained run's checkpoint)");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.State state = checkpoint == null ? null : Checkpoint.load(checkpoint, manager);
            TrainConfig config = state == null ? TrainConfig.defaults() : state.config();
            long seed = firstSeed != null ? firstSeed : config.evalSeed();
            List<EvaluationResult> results = new ArrayList<>();
            try (GrpcVectorEnv env = Sessions.evaluation(client, config, episodes);
                 AgentTeam team = state == null ? null : AgentTeam.fromModels(manager, state.models())) {
                List<Policy> chosen = new ArrayList<>();
                for (String name : policies) {
                    chosen.add(policy(name, team, manager)); // rejects unknown names before any evaluation
                }
                for (Policy policy : chosen) {
                    results.add(Evaluator.evaluate(policy, env, seed, episodes));
                }
            } finally {
                if (state != null) {
                    state.models().forEach(Model::close);
                }
            }
            return results;
        }
    }
}
