package org.marlopt.client.train;

/** Receives every finished training round: CSV, metrics, progress, checkpoints. */
@FunctionalInterface
public interface TrainingListener {

    void onEpisode(EpisodeRecord record) throws java.io.IOException;
}
