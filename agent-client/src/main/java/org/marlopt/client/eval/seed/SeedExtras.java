package org.marlopt.client.eval.seed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.eval.EpisodeScorer;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.io.ParametersFigure;
import org.marlopt.client.policy.Policy;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.envs.seed.DistributedOptimization;

/**
 * What only the seed environment, {@value #ENV_ID}, has: the {@code oracle} reference policy,
 * one-step success and the first step's error (see {@link SeedScorer}), and the final-parameters
 * chart.
 */
public final class SeedExtras implements EnvExtras {

    public static final String ENV_ID = DistributedOptimization.ID;
    /**
     * The chart of the parameters the learned policy's first evaluation episode ended with, by
     * owning agent, and their sum against the target.
     */
    public static final String FINAL_PARAMETERS_FILE = "final_parameters.png";
    static final String TARGET = "target";
    static final String SUCCESS_THRESHOLD = "success_threshold";
    static final String DISTANCE = "distance";

    @Override
    public List<Policy> referencePolicies(SessionSpec spec) {
        return List.of(new OraclePolicy(spec));
    }

    @Override
    public EpisodeScorer newScorer(SessionSpec spec) {
        return new SeedScorer(spec);
    }

    @Override
    public void drawCharts(EvaluationResult learned, SessionSpec spec, Path runDir) throws IOException {
        ParametersFigure.draw(runDir.toAbsolutePath().getFileName() + ": the final parameters of the first "
                + "evaluation episode", new ParametersFigure.Parameters(learned.exampleFinalState(),
                spec.agentNames(), spec.env().params().number(TARGET),
                spec.env().params().number(SUCCESS_THRESHOLD)), runDir.resolve(FINAL_PARAMETERS_FILE));
    }
}
