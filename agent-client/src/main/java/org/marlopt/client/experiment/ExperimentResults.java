package org.marlopt.client.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.marlopt.client.experiment.ExperimentConfig.Algorithm;
import org.marlopt.client.stats.Aggregate;
import org.marlopt.client.stats.Estimate;
import org.marlopt.client.stats.PerformanceProfile;
import org.marlopt.client.stats.StratifiedBootstrap;

/**
 * The experiment's statistics, after Agarwal et al. (2021): per environment and over all of them,
 * each algorithm's final normalised scores (the absolute metric of each run) with the IQM, mean,
 * median and optimality gap, each with a 95% stratified bootstrap interval; the probability of
 * improvement between every pair of algorithms; sample-efficiency curves (IQM over runs with its
 * interval at each evaluation); and performance profiles.
 *
 * <p>"Over all environments" takes the algorithms that have runs on every environment, each
 * environment a task of the stratified bootstrap. Its curves put the evaluations of runs of
 * different lengths on one axis, the share of each run's training done.
 */
public final class ExperimentResults {

    static final double CONFIDENCE = 0.95;
    /** Thresholds of the performance profiles: tau from 0 to the highest score (at least 1). */
    static final int PROFILE_POINTS = 101;
    private static final StratifiedBootstrap BOOTSTRAP = new StratifiedBootstrap(2_000, 0);

    /**
     * One algorithm's final scores.
     *
     * @param scores per task (one for an environment, one per environment over all), per run
     * @param policies the policies evaluated (a classical "best" may differ per environment)
     */
    public record AlgoSummary(String algorithm, boolean classical, double[][] scores,
                              Map<Aggregate, Estimate> aggregates, List<String> policies) {

        int runs() {
            return Arrays.stream(scores).mapToInt(task -> task.length).sum();
        }
    }

    /** A sample-efficiency curve: at each point, x (env steps, or the share of training) and the IQM with its interval. */
    public record Curve(String algorithm, double[] x, double[] iqm, double[] low, double[] high) {
    }

    /** A performance profile with its pointwise interval. */
    public record Profile(String algorithm, double[] thresholds, double[] fraction, double[] low, double[] high) {
    }

    /**
     * The statistics of one scope: an environment, or all of them.
     *
     * @param scope the environment's label, or {@value #ALL}
     * @param improvement P(row algorithm's run beats the column's) with its interval
     */
    public record Scope(String scope, List<AlgoSummary> algorithms, Map<String, Map<String, Estimate>> improvement,
                        List<Curve> curves, List<Profile> profiles) {
    }

    public static final String ALL = "all environments";

    private ExperimentResults() {}

    /** The statistics of every environment, then of all of them, from the runs' scores. */
    static List<Scope> of(ExperimentConfig config, List<RunScores> runs) {
        List<Scope> scopes = new ArrayList<>();
        List<String> envs = config.environments().stream().map(ExperimentConfig.Environment::label).toList();
        for (String env : envs) {
            scopes.add(scope(env, config.algorithms(), List.of(env), runs, false));
        }
        if (envs.size() > 1) {
            scopes.add(scope(ALL, config.algorithms(), envs, runs, true));
        }
        return scopes;
    }

    private static Scope scope(String name, List<Algorithm> algorithms, List<String> envs, List<RunScores> runs,
                               boolean shareOfTraining) {
        List<AlgoSummary> summaries = new ArrayList<>();
        List<Curve> curves = new ArrayList<>();
        for (Algorithm algorithm : algorithms) {
            List<List<RunScores>> byEnv = envs.stream().map(env -> runs.stream()
                    .filter(r -> r.run().algorithm().equals(algorithm) && r.run().env().label().equals(env))
                    .toList()).toList();
            if (byEnv.stream().anyMatch(List::isEmpty)) {
                continue; // not on every environment of the scope: its aggregate would compare other tasks
            }
            summaries.add(summary(algorithm, byEnv));
            if (!algorithm.classical()) {
                curves.add(curve(algorithm.label(), byEnv, shareOfTraining));
            }
        }
        return new Scope(name, summaries, improvement(summaries), curves, profiles(summaries));
    }

    private static AlgoSummary summary(Algorithm algorithm, List<List<RunScores>> byEnv) {
        double[][] scores = byEnv.stream().map(onEnv -> onEnv.stream().mapToDouble(RunScores::absolute).toArray())
                .toArray(double[][]::new);
        Map<Aggregate, Estimate> aggregates = new EnumMap<>(Aggregate.class);
        for (Aggregate aggregate : Aggregate.values()) {
            aggregates.put(aggregate, BOOTSTRAP.estimate(scores, aggregate::of, CONFIDENCE));
        }
        List<String> policies = byEnv.stream().flatMap(List::stream).map(RunScores::policy).distinct().toList();
        return new AlgoSummary(algorithm.label(), algorithm.classical(), scores, aggregates, policies);
    }

    private static Map<String, Map<String, Estimate>> improvement(List<AlgoSummary> summaries) {
        Map<String, Map<String, Estimate>> table = new LinkedHashMap<>();
        for (AlgoSummary x : summaries) {
            Map<String, Estimate> row = new LinkedHashMap<>();
            for (AlgoSummary y : summaries) {
                if (x != y) {
                    row.put(y.algorithm(), BOOTSTRAP.improvementProbability(x.scores(), y.scores(), CONFIDENCE));
                }
            }
            table.put(x.algorithm(), row);
        }
        return table;
    }

    /**
     * IQM over runs along training. On one environment the runs of an algorithm share their
     * evaluation points: x is their mean env steps at each evaluation every run has. Over several
     * environments, whose runs differ in length and evaluation count, each run's curve is
     * interpolated linearly at {@value #SHARE_POINTS} evenly spaced shares of its training (its env
     * steps over its last evaluation's), from the latest first evaluation of any run on.
     */
    private static Curve curve(String algorithm, List<List<RunScores>> byEnv, boolean shareOfTraining) {
        double[] x = shareOfTraining ? shareGrid(byEnv) : meanEnvSteps(byEnv);
        double[] iqm = new double[x.length];
        double[] low = new double[x.length];
        double[] high = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            int index = k;
            double[][] scores = byEnv.stream().map(onEnv -> onEnv.stream().mapToDouble(run -> shareOfTraining
                    ? scoreAtShare(run, x[index]) : run.curve()[index]).toArray()).toArray(double[][]::new);
            Estimate estimate = BOOTSTRAP.estimate(scores, Aggregate.IQM::of, CONFIDENCE);
            iqm[k] = estimate.value();
            low[k] = estimate.low();
            high[k] = estimate.high();
        }
        return new Curve(algorithm, x, iqm, low, high);
    }

    static final int SHARE_POINTS = 20;

    /** The mean env steps of the runs at each evaluation every run has. */
    private static double[] meanEnvSteps(List<List<RunScores>> byEnv) {
        int points = byEnv.stream().flatMap(List::stream).mapToInt(r -> r.curve().length).min().orElse(0);
        double[] x = new double[points];
        for (int k = 0; k < points; k++) {
            int index = k;
            x[k] = byEnv.stream().flatMap(List::stream).mapToDouble(r -> r.envSteps()[index]).average()
                    .orElseThrow();
        }
        return x;
    }

    /** Shares k / SHARE_POINTS of training at which every run has been evaluated at least once. */
    private static double[] shareGrid(List<List<RunScores>> byEnv) {
        double start = byEnv.stream().flatMap(List::stream).filter(r -> r.curve().length > 0)
                .mapToDouble(r -> share(r, 0)).max().orElse(1);
        if (byEnv.stream().flatMap(List::stream).anyMatch(r -> r.curve().length == 0)) {
            return new double[0];
        }
        return java.util.stream.IntStream.rangeClosed(1, SHARE_POINTS).mapToDouble(k -> (double) k / SHARE_POINTS)
                .filter(share -> share >= start - 1e-12).toArray();
    }

    private static double share(RunScores run, int evaluation) {
        return run.envSteps()[evaluation] / run.envSteps()[run.envSteps().length - 1];
    }

    /** The run's score at a share of its training, linear between its evaluations. */
    private static double scoreAtShare(RunScores run, double share) {
        int last = run.curve().length - 1;
        for (int k = 1; k <= last; k++) {
            if (share(run, k) >= share) {
                double from = share(run, k - 1);
                double weight = (share - from) / (share(run, k) - from);
                return run.curve()[k - 1] + Math.max(0, Math.min(1, weight)) * (run.curve()[k] - run.curve()[k - 1]);
            }
        }
        return run.curve()[last];
    }

    /** Profiles over tau in [0, max(1, highest score)], each point's interval by the stratified bootstrap. */
    private static List<Profile> profiles(List<AlgoSummary> summaries) {
        double top = Math.max(1, summaries.stream().flatMap(s -> Arrays.stream(s.scores()))
                .flatMapToDouble(DoubleStream::of).filter(Double::isFinite).max().orElse(1));
        double[] thresholds = new double[PROFILE_POINTS];
        for (int i = 0; i < PROFILE_POINTS; i++) {
            thresholds[i] = top * i / (PROFILE_POINTS - 1);
        }
        List<Profile> profiles = new ArrayList<>();
        for (AlgoSummary summary : summaries) {
            double[] fraction = PerformanceProfile.of(summary.scores(), thresholds);
            double[] low = new double[PROFILE_POINTS];
            double[] high = new double[PROFILE_POINTS];
            for (int i = 0; i < PROFILE_POINTS; i++) {
                double tau = thresholds[i];
                Estimate estimate = BOOTSTRAP.estimate(summary.scores(),
                        scores -> PerformanceProfile.of(scores, new double[] {tau})[0], CONFIDENCE);
                low[i] = estimate.low();
                high[i] = estimate.high();
            }
            profiles.add(new Profile(summary.algorithm(), thresholds, fraction, low, high));
        }
        return profiles;
    }
}
