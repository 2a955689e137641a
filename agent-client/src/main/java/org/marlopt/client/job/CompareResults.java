package org.marlopt.client.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.marlopt.client.algo.RewardGradientTrainer;
import org.marlopt.client.io.EvaluationCsv;
import org.marlopt.client.io.EvaluationFigures;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.CompareJob.Run;
import org.marlopt.client.job.CompareJob.Status;
import org.marlopt.client.policy.LearnedPolicy;
import org.marlopt.client.policy.ZeroPolicy;
import org.marlopt.client.stats.Aggregate;
import org.marlopt.client.stats.Estimate;
import org.marlopt.client.stats.StratifiedBootstrap;

/**
 * The comparison's figures per environment and algorithm, over the seeds that finished, read from
 * each run's summary.json, evaluations.csv and evaluation_all.json.
 *
 * <p>Environments whose info values at an episode's end are episode figures (keys beginning with
 * {@value #EPISODE_FIGURE_PREFIX}: a systems environment's mean and p99 response time, cost, SLO
 * violations) are also compared on those, for every policy evaluation_all.json holds.
 *
 * <p>Where the metric is a fraction or a normalised score (not the mean return), each algorithm's
 * final values over its seeds also get rliable's aggregates with 95% stratified bootstrap
 * intervals, and every pair of algorithms the probability that one's run beats the other's.
 *
 * <p>Each environment is judged on one metric ({@link EvaluationFigures#metric}), the first it
 * defines of one-step success (the seed), normalised score, success; "reaching" means the metric at or above {@value #THRESHOLD}
 * in an evaluation while training. An environment with none of them is judged on the mean return,
 * without a threshold.
 */
final class CompareResults {

    static final double THRESHOLD = 0.9;
    static final String EPISODE_FIGURE_PREFIX = "episode_";
    static final double CONFIDENCE = 0.95;
    private static final StratifiedBootstrap BOOTSTRAP = new StratifiedBootstrap(2_000, 0);

    /** A learning curve over seeds: per evaluation round, the mean env steps and the metric's mean, min and max. */
    record Curve(double[] envSteps, double[] mean, double[] min, double[] max) {
    }

    /**
     * One algorithm on one environment.
     *
     * @param seeds the seeds whose run finished
     * @param finals per {@link EvaluationFigures#NAMES} figure, its final evaluation's spread (null: undefined)
     * @param reached how many of the seeds reached the threshold while training
     * @param envStepsToThreshold env steps to the first evaluation at the threshold, over the seeds that reached it
     * @param secondsToThreshold training wall time to the same evaluation
     * @param episodeFigures per episode figure, the learned policy's final evaluation's spread
     * @param aggregates per {@link Aggregate}, its value over the seeds' final metric with its interval
     *     (empty when the metric is the mean return)
     * @param finalMetric the final metric of each seed that has it
     */
    record AlgoResult(String algorithm, List<Long> seeds, Map<String, Spread> finals, int reached,
                      Spread envStepsToThreshold, Spread secondsToThreshold, Spread trainingSeconds, Spread envSteps,
                      Spread peakRssMib, Curve curve, Map<String, Spread> episodeFigures,
                      Map<Aggregate, Estimate> aggregates, double[] finalMetric) {
    }

    /** A policy's final figure on the environment's metric. */
    record Reference(String policy, double value) {
    }

    /**
     * One environment.
     *
     * @param metric the figure it is judged on (null when no run finished)
     * @param threshold what reaching means on the metric (null for the mean return)
     * @param bestClassical the best policy in evaluation_all.json other than learned and zero (null when none)
     * @param rewardGradient reward-gradient's median final figure (null when it did not run)
     * @param policyEpisodeFigures per policy other than learned, its episode figures in the first finished
     *     run's evaluation_all.json (every run evaluates them on the same seeds, unless a settings section
     *     changes evalSeed or evalEpisodes)
     * @param improvement P(row's run beats column's run) on the final metric, with its interval, for
     *     every ordered pair of algorithms (empty when the metric is the mean return)
     */
    record EnvResult(String envId, String metric, Double threshold, Reference bestClassical, Reference rewardGradient,
                     List<AlgoResult> algorithms, Map<String, Map<String, Double>> policyEpisodeFigures,
                     Map<String, Map<String, Estimate>> improvement) {
    }

    /** What a finished run left in its directory. */
    private record Finished(Run run, RunSummary summary, List<EvaluationCsv.Row> curve,
                            Map<String, EvaluationFigures> policies, Map<String, Map<String, Double>> episodeFigures) {
    }

    private CompareResults() {}

    static List<EnvResult> aggregate(List<Run> runs, List<String> envs, List<String> algorithms) throws IOException {
        List<Finished> finished = new ArrayList<>();
        for (Run run : runs) {
            if (run.status() == Status.FINISHED) {
                finished.add(load(run));
            }
        }
        List<EnvResult> results = new ArrayList<>();
        for (String envId : envs) {
            List<Finished> onEnv = finished.stream().filter(f -> f.run().envId().equals(envId)).toList();
            results.add(onEnv.isEmpty() ? new EnvResult(envId, null, null, null, null, List.of(), Map.of(), Map.of())
                    : environment(envId, onEnv, algorithms));
        }
        return results;
    }

    private static Finished load(Run run) throws IOException {
        Path all = run.dir().resolve(TrainJob.EVALUATION_ALL_FILE);
        Map<String, EvaluationFigures> policies = new LinkedHashMap<>();
        Map<String, Map<String, Double>> episodeFigures = new LinkedHashMap<>();
        if (Files.exists(all)) { // absent when the run was told evaluate=false
            Json.MAPPER.readTree(all.toFile()).fields().forEachRemaining(entry -> {
                policies.put(entry.getKey(), EvaluationFigures.ofEvaluationJson(entry.getValue()));
                episodeFigures.put(entry.getKey(), episodeFigures(entry.getValue()));
            });
        }
        List<EvaluationCsv.Row> curve = EvaluationCsv.read(run.dir().resolve(TrainJob.EVALUATIONS_FILE));
        if (curve.isEmpty()) {
            throw new IOException(run.dir().resolve(TrainJob.EVALUATIONS_FILE) + " has no rows: was the run "
                    + "trained with evalEverySteps = 0?");
        }
        return new Finished(run, RunSummary.read(run.dir()), curve, policies, episodeFigures);
    }

    /** The final_info values of an evaluation whose keys begin with {@value #EPISODE_FIGURE_PREFIX}. */
    private static Map<String, Double> episodeFigures(JsonNode evaluation) {
        Map<String, Double> figures = new LinkedHashMap<>();
        evaluation.path("final_info").fields().forEachRemaining(info -> {
            if (info.getKey().startsWith(EPISODE_FIGURE_PREFIX)) {
                figures.put(info.getKey(), info.getValue().isNumber() ? info.getValue().asDouble() : Double.NaN);
            }
        });
        return figures;
    }

    private static EnvResult environment(String envId, List<Finished> onEnv, List<String> algorithms) {
        String metric = onEnv.get(0).curve().get(0).figures().metric();
        Double threshold = metric.equals(EvaluationFigures.FALLBACK_METRIC) ? null : THRESHOLD;
        List<AlgoResult> results = new ArrayList<>();
        for (String algorithm : algorithms) {
            List<Finished> runs = onEnv.stream().filter(f -> f.run().algorithm().equals(algorithm)).toList();
            if (!runs.isEmpty()) {
                results.add(algorithm(algorithm, runs, metric, threshold));
            }
        }
        Reference rewardGradient = results.stream().filter(r -> r.algorithm().equals(RewardGradientTrainer.NAME))
                .filter(r -> r.finals().get(metric) != null).findFirst()
                .map(r -> new Reference(r.algorithm(), r.finals().get(metric).median())).orElse(null);
        Map<String, Map<String, Double>> policyFigures = new LinkedHashMap<>(onEnv.get(0).episodeFigures());
        policyFigures.remove(LearnedPolicy.NAME);
        policyFigures.values().removeIf(Map::isEmpty);
        return new EnvResult(envId, metric, threshold, bestClassical(onEnv.get(0).policies(), metric),
                rewardGradient, results, policyFigures, threshold == null ? Map.of() : improvement(results));
    }

    private static AlgoResult algorithm(String algorithm, List<Finished> runs, String metric, Double threshold) {
        Map<String, Spread> finals = new LinkedHashMap<>();
        for (String name : EvaluationFigures.NAMES) {
            finals.put(name, spread(runs, f -> f.summary().evaluation() == null ? Double.NaN
                    : f.summary().evaluation().get(name)));
        }
        double[] finalMetric = runs.stream().filter(f -> f.summary().evaluation() != null)
                .mapToDouble(f -> f.summary().evaluation().get(metric)).filter(value -> !Double.isNaN(value)).toArray();
        List<EvaluationCsv.Row> firstReached = new ArrayList<>();
        for (Finished run : runs) {
            run.curve().stream().filter(row -> threshold != null && row.figures().get(metric) >= threshold)
                    .findFirst().ifPresent(firstReached::add);
        }
        return new AlgoResult(algorithm, runs.stream().map(f -> f.run().seed()).toList(), finals,
                firstReached.size(), Spread.of(firstReached.stream().mapToDouble(EvaluationCsv.Row::envSteps).toArray()),
                Spread.of(firstReached.stream().mapToDouble(EvaluationCsv.Row::wallSeconds).toArray()),
                spread(runs, f -> f.summary().trainingSeconds()), spread(runs, f -> f.summary().envSteps()),
                spread(runs, f -> f.summary().peakRssMib()), curve(runs, metric), learnedEpisodeFigures(runs),
                threshold == null ? Map.of() : aggregates(finalMetric), finalMetric);
    }

    /** rliable's aggregates of one environment's final values over seeds (one task). */
    private static Map<Aggregate, Estimate> aggregates(double[] finalMetric) {
        Map<Aggregate, Estimate> aggregates = new EnumMap<>(Aggregate.class);
        if (finalMetric.length > 0) {
            for (Aggregate aggregate : Aggregate.values()) {
                aggregates.put(aggregate, BOOTSTRAP.estimate(new double[][] {finalMetric}, aggregate::of, CONFIDENCE));
            }
        }
        return aggregates;
    }

    /** P(X > Y) with its interval for every ordered pair of algorithms with final values. */
    private static Map<String, Map<String, Estimate>> improvement(List<AlgoResult> results) {
        Map<String, Map<String, Estimate>> table = new LinkedHashMap<>();
        for (AlgoResult x : results) {
            for (AlgoResult y : results) {
                if (x != y && x.finalMetric().length > 0 && y.finalMetric().length > 0) {
                    table.computeIfAbsent(x.algorithm(), name -> new LinkedHashMap<>()).put(y.algorithm(),
                            BOOTSTRAP.improvementProbability(new double[][] {x.finalMetric()},
                                    new double[][] {y.finalMetric()}, CONFIDENCE));
                }
            }
        }
        return table;
    }

    /** Per episode figure of the learned policy, its spread over the runs. */
    private static Map<String, Spread> learnedEpisodeFigures(List<Finished> runs) {
        Map<String, Spread> spreads = new LinkedHashMap<>();
        Map<String, Double> first = runs.get(0).episodeFigures().getOrDefault(LearnedPolicy.NAME, Map.of());
        for (String key : first.keySet()) {
            spreads.put(key, spread(runs, f -> f.episodeFigures().getOrDefault(LearnedPolicy.NAME, Map.of())
                    .getOrDefault(key, Double.NaN)));
        }
        return spreads;
    }

    private static Spread spread(List<Finished> runs, ToDoubleFunction<Finished> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }

    /** The mean curve and its range over the runs, at the evaluation rounds every run has. */
    private static Curve curve(List<Finished> runs, String metric) {
        Map<Integer, List<EvaluationCsv.Row>> byRound = new TreeMap<>();
        for (Finished run : runs) {
            run.curve().forEach(row -> byRound.computeIfAbsent(row.round(), round -> new ArrayList<>()).add(row));
        }
        List<List<EvaluationCsv.Row>> common = byRound.values().stream().filter(rows -> rows.size() == runs.size())
                .toList();
        int points = common.size();
        Curve curve = new Curve(new double[points], new double[points], new double[points], new double[points]);
        for (int i = 0; i < points; i++) {
            double[] values = common.get(i).stream().mapToDouble(row -> row.figures().get(metric)).toArray();
            curve.envSteps()[i] = common.get(i).stream().mapToDouble(EvaluationCsv.Row::envSteps).average()
                    .orElseThrow();
            curve.mean()[i] = Arrays.stream(values).average().orElseThrow();
            curve.min()[i] = Arrays.stream(values).min().orElseThrow();
            curve.max()[i] = Arrays.stream(values).max().orElseThrow();
        }
        return curve;
    }

    /** The best of the classical and reference policies on the metric (zero is the floor, not a baseline). */
    private static Reference bestClassical(Map<String, EvaluationFigures> policies, String metric) {
        Reference best = null;
        for (var entry : policies.entrySet()) {
            String policy = entry.getKey();
            double value = entry.getValue().get(metric);
            boolean baseline = !policy.equals(LearnedPolicy.NAME) && !policy.equals(ZeroPolicy.NAME);
            if (baseline && !Double.isNaN(value) && (best == null || value > best.value())) {
                best = new Reference(policy, value);
            }
        }
        return best;
    }
}
