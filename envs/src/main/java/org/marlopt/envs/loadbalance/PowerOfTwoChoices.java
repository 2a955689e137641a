package org.marlopt.envs.loadbalance;

import org.marlopt.env.EnvSpec;

/**
 * Power of two choices: per job, sample two servers uniformly (with replacement) and send the job
 * to the one with fewer jobs, a uniform pick among equals. Within an epoch the observed queue
 * lengths do not change, so that per-job rule is exactly routing by fixed probabilities: with the
 * servers ranked by queue length (1 = shortest), the pair's shorter member has rank at least r
 * with probability ((N - r + 1) / N)^2, so rank r gets ((N - r + 1)^2 - (N - r)^2) / N^2 =
 * (2 (N - r) + 1) / N^2. A block of servers of equal length, ranks a .. b, gets
 * ((N - a + 1)^2 - (N - b)^2) / N^2 in all, shared evenly by symmetry.
 */
public final class PowerOfTwoChoices extends RoutingPolicy {

    public static final String NAME = "power-of-two";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Power of two choices (Mitzenmacher): the per-job rule 'sample two servers, join the shorter' as "
                + "routing probabilities (2 (N - r) + 1) / N^2 for queue-length rank r, ties averaged. No settings.";
    }

    @Override
    WeightRule newRule(EnvSpec spec) {
        return PowerOfTwoChoices::rankProbabilities;
    }

    /** The per-job rule's probability of each server, from the queue lengths in queues[0 .. n). */
    static void rankProbabilities(float[] queues, int n, float[] probabilities) {
        double squared = (double) n * n;
        for (int j = 0; j < n; j++) {
            int shorter = 0;
            int equal = 0;
            for (int i = 0; i < n; i++) {
                if (queues[i] < queues[j]) {
                    shorter++;
                } else if (queues[i] == queues[j]) {
                    equal++;
                }
            }
            double notBelowBlock = (double) (n - shorter) * (n - shorter);
            double belowBlock = (double) (n - shorter - equal) * (n - shorter - equal);
            probabilities[j] = (float) ((notBelowBlock - belowBlock) / squared / equal);
        }
    }
}
