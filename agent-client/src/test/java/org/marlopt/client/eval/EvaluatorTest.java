package org.marlopt.client.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.ToyEnv;
import org.marlopt.client.policy.Policy;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;

/** The generic evaluation on an environment the client has no extras for. */
class EvaluatorTest {

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    /** Every agent sends {@code value}; agent i then earns (i + 1) * value per step. */
    private static Policy constant(float value) {
        return new Policy() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public void act(EnvSession session, float[][] actions) {
                for (float[] agentActions : actions) {
                    Arrays.fill(agentActions, value);
                }
            }
        };
    }

    @Test
    void theTeamReturnIsTheMeanOfTheAgentsReturnsAndInfoIsAveragedAtTheEpisodesEnd() {
        // 5 episodes on 2 copies: three batches, the last one counting one copy
        try (EnvSession session = env.client.open(new SessionRequest(ToyEnv.ID, Map.of("num_agents", "3"), 2, false))) {
            EvaluationResult result = Evaluator.evaluate(constant(0.5f), session, 10, 5, EnvExtras.NONE);
            assertEquals(5, result.episodes());
            assertEquals(3.0, result.meanEpisodeLength());
            // 3 steps: agents earn 1.5, 3 and 4.5; the team their mean
            assertEquals(3.0, result.meanReturn(), 1e-6);
            assertEquals(1.5, result.finalInfo().get("total"), 1e-6);
            assertEquals(0.5, result.finalInfo().get("actions"), 1e-6, "a vector info key: the mean of its values");
            assertNull(result.successRate());
            assertNull(result.normalizedScore());
            Map<String, Object> json = result.toJson();
            assertFalse(json.containsKey("success_rate") || json.containsKey("normalized_score")
                    || json.containsKey("steps_to_success"), "keys the environment does not define: " + json);
            assertEquals(List.of("policy", "episodes", "first_seed", "mean_return", "mean_episode_length",
                    "final_info", "episode_returns"), List.copyOf(json.keySet()));
            assertArrayEquals(new double[] {3, 3, 3, 3, 3}, result.episodeReturns(), 1e-6,
                    "each episode's team return, the last batch's second copy not counted");
            assertNull(result.episodeScores(), "no score declared");
        }
    }

    @Test
    void theTableShowsOnlyWhatTheEnvironmentDefines() {
        try (EnvSession session = env.client.open(new SessionRequest(ToyEnv.ID, Map.of(), 4, false))) {
            String table = EvaluationTable.format(List.of(Evaluator.evaluate(constant(1f), session, 0, 4,
                    EnvExtras.NONE), Evaluator.evaluate(constant(-1f), session, 0, 4, EnvExtras.NONE)));
            String[] lines = table.split("\n");
            assertEquals(List.of("policy", "return", "length", "episodes"), List.of(lines[0].split("\\s+")), table);
            assertEquals(List.of("constant", "4.5000", "3.00", "4"), List.of(lines[2].trim().split("\\s+")), table);
            assertEquals(List.of("constant", "-4.5000", "3.00", "4"), List.of(lines[3].trim().split("\\s+")), table);
        }
    }
}
