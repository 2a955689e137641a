package org.marlopt.client.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    @Test
    void theSeedKeepsItsTrainingDefinition() {
        TrainConfig config = TrainConfig.defaults();
        assertEquals("DistributedOptimization-v1", config.envId());
        assertEquals(Map.of(), config.envParams(), "the environment's own defaults");
        assertEquals(1000, config.episodes());
        assertEquals(192, config.numEnvs());
        assertEquals(1, config.trainHorizon());
        assertEquals(5, config.stepsPerEpisode());
        assertEquals(5, config.stepsPerRound(1));
        assertEquals(5e-3, config.learningRate());
        assertEquals(64, config.hiddenSize());
        assertEquals(0, config.evalEverySteps(), "no evaluations while training unless asked");
        assertEquals(32, config.evalEveryEpisodes());
        assertEquals(1000L * 192 * 5, config.totalEnvSteps(1), "the seed's 960,000 env steps");
    }

    @Test
    void otherEnvironmentsTrainWholeEpisodesOfTheirOwnLength() {
        TrainConfig config = TrainConfig.defaults("ResourceShare-v1");
        assertEquals(0, config.trainHorizon(), "the environment's max_episode_steps");
        assertEquals(0, config.stepsPerEpisode());
        assertEquals(200, config.stepsPerRound(200), "one round is one whole episode");
        assertEquals(32, config.evalEveryEpisodes());
        assertEquals(40L * 32 * 200, config.totalEnvSteps(200));
        assertEquals(40L * 32 * 50, config.with(Map.of("trainHorizon", 50)).totalEnvSteps(200),
                "a training horizon shortens the rounds");
    }

    @Test
    void layersChooseTheEnvironmentFirstThenOverrideItsDefaults() {
        TrainConfig config = TrainConfig.resolve(Map.of("episodes", "7"), Map.of("envId", "ResourceShare-v1"),
                Map.of("param.num_agents", 4, "numEnvs", "8"));
        assertEquals("ResourceShare-v1", config.envId());
        assertEquals(7, config.episodes(), "a setting of an earlier layer survives the environment's defaults");
        assertEquals(8, config.numEnvs());
        assertEquals(Map.of("num_agents", "4"), config.envParams());
        assertEquals(0, config.trainHorizon());
    }

    @Test
    void environmentParametersAreKeptAsTextOneByOneOrAsAMap() {
        TrainConfig config = TrainConfig.defaults().with(Map.of("param.target", 3.5, "param.max_episode_steps", "20"));
        assertEquals(Map.of("target", "3.5", "max_episode_steps", "20"), config.envParams());
        TrainConfig replaced = config.with(Map.of("envParams", Map.of("arrival_rates", List.of(0.2, 0.4))));
        assertEquals(Map.of("arrival_rates", "0.2,0.4"), replaced.envParams());
        var notAMap = assertThrows(IllegalArgumentException.class,
                () -> config.with(Map.of("envParams", "target=3")));
        assertTrue(notAMap.getMessage().contains("param.NAME=VALUE"), notAMap.getMessage());
    }

    @Test
    void overridesConvertTextAndKeepTheRest() {
        TrainConfig config = TrainConfig.defaults().with(Map.of("episodes", "20", "learningRate", "0.002",
                "lrSchedule", "constant", "evaluate", "false"));
        assertEquals(20, config.episodes());
        assertEquals(0.002, config.learningRate());
        assertEquals("constant", config.lrSchedule());
        assertEquals(false, config.evaluate());
        assertEquals(192, config.numEnvs());
    }

    @Test
    void roundTripsThroughItsMap() {
        TrainConfig config = TrainConfig.defaults("DistributedLeastSquares-v1")
                .with(Map.of("seed", 7, "numEnvs", 32, "param.topology", "erdos_renyi", "param.dim", "3"));
        assertEquals(config, TrainConfig.resolve(config.toMap()));
    }

    @Test
    void errorsNameTheSetting() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("epochs", "3")));
        assertTrue(unknown.getMessage().contains("'epochs'") && unknown.getMessage().contains("episodes")
                && unknown.getMessage().contains("param.NAME"), unknown.getMessage());
        var malformed = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("numEnvs", "many")));
        assertTrue(malformed.getMessage().contains("numEnvs"), malformed.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("episodes", "0")));
        assertTrue(negative.getMessage().contains("episodes must be > 0"), negative.getMessage());
        var horizon = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("trainHorizon", "-1")));
        assertTrue(horizon.getMessage().contains("0 keeps the environment's max_episode_steps"), horizon.getMessage());
        var renamed = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("evalEvery", "10")));
        assertTrue(renamed.getMessage().contains("setting 'evalEvery' was replaced by evalEverySteps (env steps"),
                renamed.getMessage());
    }

    @Test
    void anUnknownSettingCloseToARealOneGetsADidYouMean() {
        Map<String, String> meantBy = Map.of("lr", "learningRate", "learning_rate", "learningRate",
                "num-envs", "numEnvs", "episode", "episodes", "hidenSize", "hiddenSize", "algo", "algorithm");
        meantBy.forEach((typed, meant) -> {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> TrainConfig.defaults().with(Map.of(typed, "1"))).getMessage();
            assertTrue(message.startsWith("unknown setting '" + typed + "'; did you mean '" + meant + "'? valid "
                    + "settings: "), message);
        });
        String farOff = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("temperature", "1"))).getMessage();
        assertTrue(farOff.startsWith("unknown setting 'temperature'; valid settings: "), farOff);
    }

    @Test
    void evaluationSeedsMustNotOverlapTrainingSeeds() {
        var overlap = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("evalSeed", "1000")));
        assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());

        // training resets seeds [42, 192042); the final evaluation is off, evalEverySteps decides
        TrainConfig quiet = TrainConfig.defaults().with(Map.of("evaluate", false, "evalSeed", 192_042 - 100));
        assertEquals(0, quiet.evalEverySteps(), "no evaluation at all: any evalSeed will do");
        var absolute = assertThrows(IllegalArgumentException.class,
                () -> quiet.with(Map.of("evalEverySteps", 1000)));
        assertTrue(absolute.getMessage().contains("absolute metric (10 x evalEveryEpisodes) seeds [191942, 192262) "
                + "overlap the training seeds [42, 192042): choose an evalSeed >= 192042"), absolute.getMessage());
        assertEquals(192_042, quiet.with(Map.of("evalEverySteps", 1000, "evalSeed", 192_042)).evalSeed());
    }

    @Test
    void learningRateDecaysLinearlyPerRound() {
        TrainConfig config = TrainConfig.defaults().with(Map.of("episodes", "4"));
        assertEquals(5e-3, config.learningRateAt(0), 1e-12);
        assertEquals(2.5e-3, config.learningRateAt(2), 1e-12);
        assertEquals(5e-3, config.with(Map.of("lrSchedule", "constant")).learningRateAt(3), 1e-12);
    }
}
