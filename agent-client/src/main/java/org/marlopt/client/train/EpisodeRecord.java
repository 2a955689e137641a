package org.marlopt.client.train;

/**
 * What one training round (episode) produced; see {@link TrainConfig} for what an episode is.
 *
 * @param episode zero-based round index
 * @param meanReturn mean over copies of the first episode's return
 * @param meanLength mean over copies of the first episode's length in steps
 * @param solvedFraction fraction of copies whose first episode was solved
 * @param losses per agent: mean over the round's steps of L_i = -mean_copies(g_i . a_i)
 * @param gradientNorms per agent: L2 norm of the gradient at the round's last step
 * @param learningRate learning rate used in the round
 * @param steps batched steps taken in the round
 * @param copies environment copies stepped together
 * @param envSteps environment steps (copies x steps) taken since the run began
 * @param wallSeconds seconds since this process started training
 */
public record EpisodeRecord(
        int episode,
        double meanReturn,
        double meanLength,
        double solvedFraction,
        float[] losses,
        float[] gradientNorms,
        double learningRate,
        int steps,
        int copies,
        long envSteps,
        double wallSeconds) {
}
