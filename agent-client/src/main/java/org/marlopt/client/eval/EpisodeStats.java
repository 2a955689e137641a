package org.marlopt.client.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.env.InfoSpec;

/**
 * Totals over first episodes, from one or more {@link FirstEpisodeTracker} batches: the figures
 * of a training round or of an evaluation. Returns and lengths count every episode (an episode
 * still running counts what it has so far); success, score and info count ended episodes.
 */
public final class EpisodeStats {

    private final String successKey;
    private final List<InfoSpec> infoKeys;
    private final int scoreIndex;
    private final double[] agentReturns;
    private int episodes;
    private int ended;
    private double teamReturns;
    private long lengths;
    private int successes;
    private int[] stepsToSuccess = new int[16];
    private int reached;
    private final double[] infoSums;
    private double[] episodeReturns = new double[16];
    private double[] episodeScores = new double[16];

    public EpisodeStats(SessionSpec spec) {
        this.successKey = spec.successKey();
        this.infoKeys = spec.env().info();
        this.scoreIndex = spec.scoreKey() == null ? -1 : spec.env().infoIndex(spec.scoreKey());
        this.agentReturns = new double[spec.numAgents()];
        this.infoSums = new double[infoKeys.size()];
    }

    /** Adds the first episodes of copies 0 .. {@code copies - 1} of {@code tracker}. */
    public void add(FirstEpisodeTracker tracker, int copies) {
        for (int copy = 0; copy < copies; copy++) {
            if (episodes == episodeReturns.length) {
                episodeReturns = Arrays.copyOf(episodeReturns, 2 * episodes);
                episodeScores = Arrays.copyOf(episodeScores, 2 * episodes);
            }
            episodeReturns[episodes] = tracker.teamReturn(copy);
            episodeScores[episodes] = hasScore() && tracker.ended(copy) ? tracker.infoAtEnd(scoreIndex, copy)
                    : Double.NaN;
            episodes++;
            teamReturns += tracker.teamReturn(copy);
            for (int agent = 0; agent < agentReturns.length; agent++) {
                agentReturns[agent] += tracker.agentReturn(agent, copy);
            }
            lengths += tracker.length(copy);
            if (tracker.stepsToSuccess(copy) > 0) {
                if (reached == stepsToSuccess.length) {
                    stepsToSuccess = Arrays.copyOf(stepsToSuccess, 2 * reached);
                }
                stepsToSuccess[reached++] = tracker.stepsToSuccess(copy);
            }
            if (!tracker.ended(copy)) {
                continue;
            }
            ended++;
            successes += tracker.succeeded(copy) ? 1 : 0;
            for (int key = 0; key < infoSums.length; key++) {
                infoSums[key] += tracker.infoAtEnd(key, copy);
            }
        }
    }

    public int episodes() {
        return episodes;
    }

    /** Each episode's team return, in seed order. */
    public double[] episodeReturns() {
        return Arrays.copyOf(episodeReturns, episodes);
    }

    /** Each episode's normalised score at its end, in seed order (NaN where it did not end; null without a score). */
    public double[] episodeScores() {
        return hasScore() ? Arrays.copyOf(episodeScores, episodes) : null;
    }

    /** Mean team return (the mean over agents of each agent's return). */
    public double meanReturn() {
        return teamReturns / episodes;
    }

    /** Per agent, its mean return. */
    public double[] meanAgentReturns() {
        double[] means = agentReturns.clone();
        for (int agent = 0; agent < means.length; agent++) {
            means[agent] /= episodes;
        }
        return means;
    }

    public double meanLength() {
        return (double) lengths / episodes;
    }

    public boolean hasSuccess() {
        return successKey != null;
    }

    /** Fraction of all episodes that ended successfully (NaN when the environment defines no success). */
    public double successRate() {
        return hasSuccess() ? (double) successes / episodes : Double.NaN;
    }

    /** How fast success was first reached (null when the environment defines no success). */
    public StepsToSuccess stepsToSuccess() {
        return hasSuccess() ? StepsToSuccess.of(Arrays.copyOf(stepsToSuccess, reached), episodes) : null;
    }

    public boolean hasScore() {
        return scoreIndex >= 0;
    }

    /** Mean normalised score at the end of the ended episodes (NaN when none ended or there is no score). */
    public double meanScore() {
        return hasScore() && ended > 0 ? infoSums[scoreIndex] / ended : Double.NaN;
    }

    /** Per info key, its mean (over its values, then over ended episodes) in the step that ended an episode. */
    public Map<String, Double> meanInfoAtEnd() {
        Map<String, Double> means = new LinkedHashMap<>();
        for (int key = 0; key < infoKeys.size(); key++) {
            means.put(infoKeys.get(key).name(), ended > 0 ? infoSums[key] / ended : Double.NaN);
        }
        return means;
    }
}
