package org.marlopt.envs.resourceshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.envs.PolicyDriver;

class EqualSplitTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();

    /** 250 steps cross the default 200-step episode's end, so an autoreset episode is scored too. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void scoresExactlyZeroAtEveryStep(int messageSize) {
        int copies = 4;
        BatchedVectorEnv env = REGISTRY.make(ResourceShare.ID, Map.of("message_size", messageSize),
                new VectorOptions(copies, false, AutoresetMode.SAME_STEP));
        EnvSpec spec = env.spec().env();
        EqualSplit policy = new EqualSplit();
        assertTrue(policy.supports(spec));
        PolicyDriver driver = new PolicyDriver(env, policy.create(spec, copies, Map.of()));
        driver.reset(0);
        double[][] scores = driver.trace(250, "score");
        for (int step = 0; step < scores.length; step++) {
            for (int copy = 0; copy < copies; copy++) {
                assertEquals(0.0, scores[step][copy], "step " + (step + 1) + " copy " + copy);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"step_size", "anything"})
    void takesNoSettings(String setting) {
        EnvSpec spec = REGISTRY.configure(ResourceShare.ID, Map.of()).spec();
        IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
                () -> new EqualSplit().create(spec, 1, Map.of(setting, 1.0)));
        assertTrue(rejected.getMessage().contains(setting) && rejected.getMessage().contains("no settings"),
                rejected.getMessage());
        assertFalse(new EqualSplit().supports(REGISTRY.configure("DistributedLeastSquares-v1", Map.of()).spec()));
    }
}
