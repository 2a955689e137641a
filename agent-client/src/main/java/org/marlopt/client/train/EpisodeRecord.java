package org.marlopt.client.train;

/**
 * What one training round (episode) produced; see {@link TrainConfig} for what an episode is.
 * Figures count each copy's first episode in the round.
 *
 * @param episode zero-based round index
 * @param meanReturn mean over copies of the team's return (the mean over agents of each agent's return)
 * @param agentReturns per agent, its mean return over copies
 * @param meanLength mean over copies of the first episode's length in steps
 * @param successFraction fraction of copies whose first episode ended successfully (NaN when the
 *     environment defines no success)
 * @param score mean normalised score at the end of the ended first episodes (NaN when the
 *     environment declares none, or none ended in the round)
 * @param losses per agent: its actor loss averaged over the round's updates (reward-gradient:
 *     L_i = -mean_copies(g_i . a_i); matd3: -Q1_i; mappo and coma: the clipped surrogate minus the entropy bonus)
 * @param gradientNorms per agent: L2 norm of its actor gradient at the round's last update (before clipping)
 * @param learningRate learning rate used in the round
 * @param steps batched steps taken in the round
 * @param copies environment copies stepped together
 * @param envSteps environment steps (copies x steps) taken since the run began
 * @param wallSeconds seconds since this process started training
 */
public record EpisodeRecord(
        int episode,
        double meanReturn,
        double[] agentReturns,
        double meanLength,
        double successFraction,
        double score,
        float[] losses,
        float[] gradientNorms,
        double learningRate,
        int steps,
        int copies,
        long envSteps,
        double wallSeconds) {

    /** This record with {@code wallSeconds} replaced. */
    public EpisodeRecord withWallSeconds(double seconds) {
        return new EpisodeRecord(episode, meanReturn, agentReturns, meanLength, successFraction, score, losses,
                gradientNorms, learningRate, steps, copies, envSteps, seconds);
    }
}
