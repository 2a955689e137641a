package org.marlopt.client.job;

import org.marlopt.client.grpc.EnvClient;
import org.marlopt.client.grpc.GrpcVectorEnv;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.env.v1.AutoresetMode;
import org.marlopt.env.v1.MakeRequest;
import org.marlopt.env.v1.SessionOptions;

/** The Make requests of training and evaluation sessions, from a run's config. */
public final class Sessions {

    /** Most copies an evaluation session steps at once. */
    static final int MAX_EVALUATION_COPIES = 1000;

    private Sessions() {}

    public static GrpcVectorEnv training(EnvClient client, TrainConfig config) {
        return client.open(make(config, config.numEnvs(), config.trainHorizon(), true));
    }

    public static GrpcVectorEnv evaluation(EnvClient client, TrainConfig config, int episodes) {
        return client.open(make(config, Math.min(episodes, MAX_EVALUATION_COPIES), config.maxSteps(), false));
    }

    private static MakeRequest make(TrainConfig config, int numEnvs, int horizon, boolean rewardGradient) {
        return MakeRequest.newBuilder()
                .setEnvId(config.envId())
                .putParams("num_agents", config.numAgents())
                .putParams("param_dim", config.paramDim())
                .putParams("target", config.target())
                .putParams("max_episode_steps", horizon)
                .putParams("success_threshold", config.successThreshold())
                .setOptions(SessionOptions.newBuilder()
                        .setNumEnvs(numEnvs)
                        .setRewardGradient(rewardGradient)
                        .setAutoresetMode(AutoresetMode.AUTORESET_MODE_SAME_STEP))
                .build();
    }
}
