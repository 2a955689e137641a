package org.marlopt.client.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.marlopt.client.io.CompareChart;
import org.marlopt.client.io.EvaluationFigures;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.CompareJob.Run;
import org.marlopt.client.job.CompareJob.Status;
import org.marlopt.client.job.CompareResults.AlgoResult;
import org.marlopt.client.job.CompareResults.EnvResult;
import org.marlopt.client.job.CompareResults.Reference;
import org.marlopt.client.stats.Aggregate;
import org.marlopt.client.stats.Estimate;

/** Writes a comparison's results: results.json (everything), results.md (the tables) and learning_curves.png. */
final class CompareReport {

    /** Column headers of the final figures, by {@link EvaluationFigures#NAMES}. */
    private static final Map<String, String> FIGURE_HEADERS = Map.of("mean_return", "mean return", "success",
            "success", "one_step_success", "one-step success", "mean_steps_to_solve", "steps to solve", "score",
            "score");

    /** The y axis of a metric from 0 to 1; a score below it (worse than the naive policy) is cut off. */
    private static final double[] FRACTION_RANGE = {-0.05, 1.05};

    private CompareReport() {}

    static void write(CompareJob.Request request, List<Run> runs, List<EnvResult> results, Path out)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", CompareJob.describe(request));
        json.put("environments", results.stream().map(CompareReport::envJson).toList());
        json.put("runs", runs.stream().map(run -> runJson(run, out)).toList());
        Json.write(out.resolve(CompareJob.RESULTS_JSON), json);
        List<CompareChart.Panel> panels = results.stream().filter(env -> !env.algorithms().isEmpty())
                .map(CompareReport::panel).toList();
        if (!panels.isEmpty()) {
            CompareChart.draw(panels, out.resolve(CompareJob.CURVES_PNG));
        }
        Files.writeString(out.resolve(CompareJob.RESULTS_MD), markdown(request, runs, results, !panels.isEmpty()),
                StandardCharsets.UTF_8);
    }

    private static Map<String, Object> envJson(EnvResult env) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("env", env.envId());
        json.put("metric", env.metric());
        json.put("threshold", env.threshold());
        json.put("best_classical", env.bestClassical());
        json.put("reward_gradient", env.rewardGradient());
        json.put("algorithms", env.algorithms().stream().map(CompareReport::algoJson).toList());
        if (!env.policyEpisodeFigures().isEmpty()) {
            json.put("policy_episode_figures", env.policyEpisodeFigures());
        }
        if (!env.improvement().isEmpty()) {
            Map<String, Object> improvement = new LinkedHashMap<>();
            env.improvement().forEach((x, row) -> {
                Map<String, Object> cells = new LinkedHashMap<>();
                row.forEach((y, estimate) -> cells.put(y, estimate.toJson()));
                improvement.put(x, cells);
            });
            json.put("probability_of_improvement", improvement);
        }
        return json;
    }

    private static Map<String, Object> algoJson(AlgoResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("algorithm", result.algorithm());
        json.put("seeds", result.seeds());
        Map<String, Object> finals = new LinkedHashMap<>();
        result.finals().forEach((name, spread) -> finals.put(name, spreadJson(spread)));
        json.put("final", finals);
        Map<String, Object> threshold = new LinkedHashMap<>();
        threshold.put("reached", result.reached());
        threshold.put("of", result.seeds().size());
        threshold.put("env_steps", spreadJson(result.envStepsToThreshold()));
        threshold.put("wall_seconds", spreadJson(result.secondsToThreshold()));
        json.put("to_threshold", threshold);
        json.put("training_seconds", spreadJson(result.trainingSeconds()));
        json.put("env_steps", spreadJson(result.envSteps()));
        json.put("peak_rss_mb", spreadJson(result.peakRssMib()));
        if (!result.aggregates().isEmpty()) {
            Map<String, Object> aggregates = new LinkedHashMap<>();
            result.aggregates().forEach((aggregate, estimate) -> aggregates.put(aggregate.key(), estimate.toJson()));
            json.put("final_aggregates", aggregates);
        }
        if (!result.episodeFigures().isEmpty()) {
            Map<String, Object> episode = new LinkedHashMap<>();
            result.episodeFigures().forEach((key, spread) -> episode.put(key, spreadJson(spread)));
            json.put("episode_figures", episode);
        }
        CompareResults.Curve curve = result.curve();
        json.put("curve", Map.of("env_steps", curve.envSteps(), "mean", curve.mean(), "min", curve.min(),
                "max", curve.max()));
        return json;
    }

    private static Object spreadJson(Spread spread) {
        return spread == null ? null : spread.toJson();
    }

    private static Map<String, Object> runJson(Run run, Path out) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("algorithm", run.algorithm());
        json.put("env", run.envId());
        json.put("seed", run.seed());
        json.put("status", run.status().name().toLowerCase(Locale.ROOT));
        json.put("dir", out.relativize(run.dir()).toString());
        json.put("note", run.note());
        return json;
    }

    private static CompareChart.Panel panel(EnvResult env) {
        List<CompareChart.Band> bands = env.algorithms().stream().map(result -> new CompareChart.Band(
                result.algorithm(), result.curve().envSteps(), result.curve().mean(), result.curve().min(),
                result.curve().max())).toList();
        List<CompareChart.Level> levels = new ArrayList<>();
        if (env.bestClassical() != null) {
            levels.add(new CompareChart.Level("best classical: " + env.bestClassical().policy(),
                    env.bestClassical().value()));
        }
        if (env.rewardGradient() != null) {
            levels.add(new CompareChart.Level(env.rewardGradient().policy() + ", final (median)",
                    env.rewardGradient().value()));
        }
        boolean fraction = env.threshold() != null; // one-step success, score or success: 0 to 1
        return new CompareChart.Panel(env.envId(), "training env steps", env.metric()
                + " (mean over seeds; dotted: min, max)", fraction ? FRACTION_RANGE : null, bands, levels);
    }

    private static String markdown(CompareJob.Request request, List<Run> runs, List<EnvResult> results,
                                   boolean chart) {
        StringBuilder md = new StringBuilder("# Comparison of training algorithms\n\n");
        md.append("Algorithms: ").append(String.join(", ", request.algorithms())).append(". Environments: ")
                .append(String.join(", ", request.envs())).append(". Seeds: ").append(request.seeds().stream()
                        .map(String::valueOf).collect(Collectors.joining(", "))).append(".\n");
        md.append("Settings of every run: ").append(request.settings().isEmpty() ? "defaults" : request.settings()
                .entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                .collect(Collectors.joining(" "))).append(request.sections().isEmpty() ? "" : "; settings file "
                        + "sections: " + String.join(", ", request.sections().keySet())).append(".\n\n");
        md.append("A cell is the median over the seeds that finished, with [min, max]. Final figures are the ")
                .append("learned policy's evaluation after training; \"to threshold\" is the training until the ")
                .append("first evaluation while training at or above the threshold, over the seeds that reached ")
                .append("it. See docs/benchmarks.md.\n");
        for (EnvResult env : results) {
            md.append('\n').append(environment(env));
        }
        List<Run> notFinished = runs.stream().filter(run -> run.status() != Status.FINISHED).toList();
        if (!notFinished.isEmpty()) {
            md.append("\n## Runs that did not finish\n\n");
            notFinished.forEach(run -> md.append("- ").append(run.label()).append(": ")
                    .append(run.status().name().toLowerCase(Locale.ROOT)).append(", ").append(run.note()).append('\n'));
        }
        if (chart) {
            md.append("\n![learning curves](").append(CompareJob.CURVES_PNG).append(")\n");
        }
        return md.toString();
    }

    private static String environment(EnvResult env) {
        StringBuilder md = new StringBuilder("## ").append(env.envId()).append("\n\n");
        if (env.algorithms().isEmpty()) {
            return md.append("No run finished.\n").toString();
        }
        md.append("Metric: ").append(env.metric()).append(env.threshold() == null ? ", no threshold"
                : String.format(Locale.ROOT, ", threshold %.2f", env.threshold()));
        md.append(". Best classical: ").append(reference(env.bestClassical()));
        md.append(". reward-gradient final (median): ").append(env.rewardGradient() == null ? "did not run"
                : String.format(Locale.ROOT, "%.3f", env.rewardGradient().value())).append(".\n\n");
        List<String> figures = EvaluationFigures.NAMES.stream()
                .filter(name -> env.algorithms().stream().anyMatch(r -> r.finals().get(name) != null)).toList();
        List<String> headers = new ArrayList<>(List.of("algorithm", "seeds"));
        figures.forEach(name -> headers.add(FIGURE_HEADERS.get(name)));
        headers.addAll(List.of("env steps to threshold", "seconds to threshold", "training seconds", "env steps",
                "peak RSS MiB"));
        md.append(row(headers)).append(row(headers.stream().map(header -> "---").toList()));
        for (AlgoResult result : env.algorithms()) {
            List<String> cells = new ArrayList<>(List.of(result.algorithm(), Integer.toString(result.seeds().size())));
            int seeds = result.seeds().size();
            figures.forEach(name -> cells.add(cell(result.finals().get(name), formatOf(name), seeds)));
            cells.add(toThreshold(env, result, result.envStepsToThreshold(), CompareReport::count));
            cells.add(toThreshold(env, result, result.secondsToThreshold(), CompareReport::seconds));
            cells.add(cell(result.trainingSeconds(), CompareReport::seconds, seeds));
            cells.add(cell(result.envSteps(), CompareReport::count, seeds));
            cells.add(cell(result.peakRssMib(), value -> String.format(Locale.ROOT, "%.0f", value), seeds));
            md.append(row(cells));
        }
        return md.append(aggregates(env)).append(episodeFigures(env)).toString();
    }

    /**
     * The final metric's rliable aggregates over seeds with their 95% stratified bootstrap
     * intervals, and the probability of improvement between every pair of algorithms.
     */
    private static String aggregates(EnvResult env) {
        List<AlgoResult> with = env.algorithms().stream().filter(result -> !result.aggregates().isEmpty()).toList();
        if (with.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nFinal ").append(env.metric()).append(" over seeds, value [95% ")
                .append("stratified bootstrap interval] (Agarwal et al. 2021):\n\n");
        List<String> headers = new ArrayList<>(List.of("algorithm"));
        for (Aggregate aggregate : Aggregate.values()) {
            headers.add(aggregate.key());
        }
        md.append(row(headers)).append(row(headers.stream().map(header -> "---").toList()));
        for (AlgoResult result : with) {
            List<String> cells = new ArrayList<>(List.of(result.algorithm()));
            for (Aggregate aggregate : Aggregate.values()) {
                cells.add(estimate(result.aggregates().get(aggregate)));
            }
            md.append(row(cells));
        }
        if (!env.improvement().isEmpty()) {
            md.append("\nProbability that a run of the row's algorithm beats one of the column's, [95% interval]:\n\n");
            List<String> names = with.stream().map(AlgoResult::algorithm).toList();
            List<String> columns = new ArrayList<>(List.of("P(row > column)"));
            columns.addAll(names);
            md.append(row(columns)).append(row(columns.stream().map(header -> "---").toList()));
            for (String x : names) {
                List<String> cells = new ArrayList<>(List.of(x));
                for (String y : names) {
                    Estimate estimate = env.improvement().getOrDefault(x, Map.of()).get(y);
                    cells.add(estimate == null ? "-" : estimate(estimate));
                }
                md.append(row(cells));
            }
        }
        return md.toString();
    }

    private static String estimate(Estimate estimate) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", estimate.value(), estimate.low(), estimate.high());
    }

    /**
     * The episode figures table: every classical policy's (one value: it is evaluated on the same
     * seeds in every run), then every algorithm's learned policy's (median [min, max] over seeds).
     */
    private static String episodeFigures(EnvResult env) {
        List<String> keys = new ArrayList<>();
        env.policyEpisodeFigures().values().forEach(figures -> figures.keySet().stream()
                .filter(key -> !keys.contains(key)).forEach(keys::add));
        env.algorithms().forEach(result -> result.episodeFigures().keySet().stream()
                .filter(key -> !keys.contains(key)).forEach(keys::add));
        if (keys.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nEpisode figures (info at the episode's end, mean over the ")
                .append("evaluation episodes; classical policies on the same seeds as the learned ones):\n\n");
        List<String> headers = new ArrayList<>(List.of("policy"));
        keys.forEach(key -> headers.add(key.substring(CompareResults.EPISODE_FIGURE_PREFIX.length())));
        md.append(row(headers)).append(row(headers.stream().map(header -> "---").toList()));
        env.policyEpisodeFigures().forEach((policy, figures) -> {
            List<String> cells = new ArrayList<>(List.of(policy));
            keys.forEach(key -> cells.add(figures.containsKey(key) ? figure(figures.get(key)) : "-"));
            md.append(row(cells));
        });
        for (AlgoResult result : env.algorithms()) {
            List<String> cells = new ArrayList<>(List.of("learned (" + result.algorithm() + ")"));
            keys.forEach(key -> cells.add(cell(result.episodeFigures().get(key), CompareReport::figure,
                    result.seeds().size())));
            md.append(row(cells));
        }
        return md.toString();
    }

    private static String figure(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String reference(Reference reference) {
        return reference == null ? "-" : String.format(Locale.ROOT, "%s %.3f", reference.policy(), reference.value());
    }

    private static String toThreshold(EnvResult env, AlgoResult result, Spread spread,
                                      Function<Double, String> format) {
        if (env.threshold() == null) {
            return "-";
        }
        return result.reached() == 0 ? "not reached" : cell(spread, format, result.seeds().size());
    }

    private static Function<Double, String> formatOf(String figure) {
        return switch (figure) {
            case "mean_return" -> value -> String.format(Locale.ROOT, "%.4g", value);
            case "mean_steps_to_solve" -> value -> String.format(Locale.ROOT, "%.2f", value);
            default -> value -> String.format(Locale.ROOT, "%.3f", value);
        };
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /**
     * "median [min, max]" (the value alone when one seed has it), "(k/n seeds)" added when only k of
     * the n seeds have the figure; "-" when none has.
     */
    private static String cell(Spread spread, Function<Double, String> format, int seeds) {
        if (spread == null) {
            return "-";
        }
        String cell = format.apply(spread.median());
        if (spread.count() > 1) {
            cell += " [" + format.apply(spread.min()) + ", " + format.apply(spread.max()) + "]";
        }
        return spread.count() < seeds ? cell + " (" + spread.count() + "/" + seeds + " seeds)" : cell;
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
