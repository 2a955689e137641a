package org.marlopt.client.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.marlopt.client.experiment.ExperimentResults.AlgoSummary;
import org.marlopt.client.experiment.ExperimentResults.Scope;
import org.marlopt.client.io.ExperimentCharts;
import org.marlopt.client.io.Json;
import org.marlopt.client.stats.Aggregate;
import org.marlopt.client.stats.Estimate;

/**
 * Writes an experiment's summary: summary.json (everything, with the scales and every run's
 * scores), summary.csv (one row per scope, algorithm and aggregate), summary.md (the tables),
 * marl_eval.json (the raw scores in marl-eval's layout, see {@link MarlEvalExport}) and the PNGs:
 * per scope, sample-efficiency curves, interval estimates and performance profiles.
 */
final class ExperimentReport {

    static final String SUMMARY_JSON = "summary.json";
    static final String SUMMARY_CSV = "summary.csv";
    static final String SUMMARY_MD = "summary.md";
    static final String MARL_EVAL_JSON = "marl_eval.json";
    static final String PLOTS_DIR = "plots";
    private static final List<Aggregate> ORDER = List.of(Aggregate.MEDIAN, Aggregate.IQM, Aggregate.MEAN,
            Aggregate.OPTIMALITY_GAP);

    private ExperimentReport() {}

    static void write(ExperimentPlan plan, Map<String, ScoreScale> scales, List<RunScores> runs, List<Scope> scopes,
                      List<RunExecutor.Outcome> outcomes, Path out) throws IOException {
        Json.write(out.resolve(SUMMARY_JSON), json(plan, scales, runs, scopes, outcomes));
        Files.writeString(out.resolve(SUMMARY_CSV), csv(scopes), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(SUMMARY_MD), markdown(plan, scales, scopes, outcomes), StandardCharsets.UTF_8);
        Json.write(out.resolve(MARL_EVAL_JSON), MarlEvalExport.of(plan.config(), runs));
        for (Scope scope : scopes) {
            drawCharts(scope, out.resolve(PLOTS_DIR));
        }
    }

    private static Map<String, Object> json(ExperimentPlan plan, Map<String, ScoreScale> scales, List<RunScores> runs,
                                            List<Scope> scopes, List<RunExecutor.Outcome> outcomes) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", plan.config().toJson());
        json.put("confidence", ExperimentResults.CONFIDENCE);
        Map<String, Object> envs = new LinkedHashMap<>();
        plan.envs().forEach((label, env) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", env.env().id());
            entry.put("params", env.env().params());
            entry.put("eval_seed", env.evalSeed());
            entry.put("periodic_episodes", env.periodicEpisodes());
            entry.put("absolute_episodes", env.absoluteEpisodes());
            entry.put("normalisation", scales.get(label).toJson());
            envs.put(label, entry);
        });
        json.put("environments", envs);
        json.put("scopes", scopes.stream().map(ExperimentReport::scopeJson).toList());
        json.put("runs", runs.stream().map(ExperimentReport::runJson).toList());
        json.put("skipped", plan.skipped());
        json.put("pending", outcomes.stream().filter(o -> o.status() == RunExecutor.Status.PENDING)
                .map(o -> o.run().label()).toList());
        json.put("failed", outcomes.stream().filter(o -> o.status() == RunExecutor.Status.FAILED)
                .map(o -> Map.of("run", o.run().label(), "error", o.note())).toList());
        return json;
    }

    private static Map<String, Object> scopeJson(Scope scope) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scope", scope.scope());
        List<Map<String, Object>> algorithms = new ArrayList<>();
        for (AlgoSummary summary : scope.algorithms()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("algorithm", summary.algorithm());
            entry.put("classical", summary.classical());
            entry.put("policies", summary.policies());
            entry.put("runs", summary.runs());
            ORDER.forEach(aggregate -> entry.put(aggregate.key(), summary.aggregates().get(aggregate).toJson()));
            algorithms.add(entry);
        }
        json.put("algorithms", algorithms);
        Map<String, Object> improvement = new LinkedHashMap<>();
        scope.improvement().forEach((x, row) -> {
            Map<String, Object> cells = new LinkedHashMap<>();
            row.forEach((y, estimate) -> cells.put(y, estimate.toJson()));
            improvement.put(x, cells);
        });
        json.put("probability_of_improvement", improvement);
        json.put("sample_efficiency", scope.curves());
        return json;
    }

    private static Map<String, Object> runJson(RunScores scores) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("algorithm", scores.run().algorithm().label());
        json.put("env", scores.run().env().label());
        json.put("seed", scores.run().seed());
        json.put("dir", scores.run().dir().toString());
        json.put("policy", scores.policy());
        json.put("absolute_metric", scores.absolute());
        json.put("env_steps", scores.envSteps());
        json.put("curve", scores.curve());
        return json;
    }

    private static String csv(List<Scope> scopes) {
        StringBuilder csv = new StringBuilder("scope,algorithm,runs,statistic,value,ci_low,ci_high\n");
        for (Scope scope : scopes) {
            for (AlgoSummary summary : scope.algorithms()) {
                for (Aggregate aggregate : ORDER) {
                    Estimate estimate = summary.aggregates().get(aggregate);
                    csv.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%.6g,%.6g,%.6g%n", quote(scope.scope()),
                            quote(summary.algorithm()), summary.runs(), aggregate.key(), estimate.value(),
                            estimate.low(), estimate.high()));
                }
            }
            scope.improvement().forEach((x, row) -> row.forEach((y, estimate) -> csv.append(String.format(
                    Locale.ROOT, "%s,%s,%d,%s,%.6g,%.6g,%.6g%n", quote(scope.scope()), quote(x), 0,
                    quote("probability_of_improvement_over:" + y), estimate.value(), estimate.low(),
                    estimate.high()))));
        }
        return csv.toString();
    }

    private static String quote(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    private static String markdown(ExperimentPlan plan, Map<String, ScoreScale> scales, List<Scope> scopes,
                                   List<RunExecutor.Outcome> outcomes) {
        StringBuilder md = new StringBuilder("# Experiment " + plan.config().name() + "\n\n");
        md.append("Normalised score: 0 is the environment's naive policy, 1 its optimum (or bound, or strongest "
                + "reference, as it declares). Each run's score is its absolute metric: its best checkpoint "
                + "re-evaluated on ten times the episodes of an evaluation while training (a classical policy is "
                + "evaluated on the same seeds). Intervals are 95% stratified bootstrap confidence intervals.\n\n");
        md.append("| environment | normalisation |\n|---|---|\n");
        scales.forEach((env, scale) -> md.append("| ").append(env).append(" | ").append(describe(scale))
                .append(" |\n"));
        for (Scope scope : scopes) {
            md.append("\n## ").append(scope.scope()).append("\n\n");
            md.append("| algorithm | runs | median | IQM | mean | optimality gap |\n|---|---:|---|---|---|---|\n");
            for (AlgoSummary summary : scope.algorithms()) {
                md.append("| ").append(summary.algorithm()).append(summary.classical() ? " (" + String.join(", ",
                        summary.policies()) + ")" : "").append(" | ").append(summary.runs());
                ORDER.forEach(aggregate -> md.append(" | ").append(cell(summary.aggregates().get(aggregate))));
                md.append(" |\n");
            }
            if (scope.algorithms().size() > 1) {
                md.append("\nP(row's run beats column's run):\n\n|  |");
                scope.algorithms().forEach(a -> md.append(' ').append(a.algorithm()).append(" |"));
                md.append("\n|---|").append("---|".repeat(scope.algorithms().size())).append('\n');
                scope.improvement().forEach((x, row) -> {
                    md.append("| ").append(x).append(" |");
                    scope.algorithms().forEach(y -> md.append(' ').append(y.algorithm().equals(x) ? ""
                            : cell(row.get(y.algorithm()))).append(" |"));
                    md.append('\n');
                });
            }
            String file = chartName(scope.scope());
            md.append("\n![sample efficiency](").append(PLOTS_DIR).append('/').append(file).append("-curves.png) ")
                    .append("![intervals](").append(PLOTS_DIR).append('/').append(file).append("-intervals.png) ")
                    .append("![profiles](").append(PLOTS_DIR).append('/').append(file).append("-profiles.png)\n");
        }
        if (!plan.skipped().isEmpty()) {
            md.append("\nNot run: ").append(String.join("; ", plan.skipped())).append(".\n");
        }
        outcomes.stream().filter(o -> o.status() == RunExecutor.Status.FAILED).forEach(o ->
                md.append("\nFailed: ").append(o.run().label()).append(": ").append(o.note()).append('\n'));
        Map<String, List<String>> pending = new LinkedHashMap<>(); // "algorithm on env" -> its seeds
        outcomes.stream().filter(o -> o.status() == RunExecutor.Status.PENDING).forEach(o -> pending.computeIfAbsent(
                o.run().algorithm().label() + " on " + o.run().env().label(), pair -> new ArrayList<>())
                .add(o.run().seed() == null ? "-" : String.valueOf(o.run().seed())));
        if (!pending.isEmpty()) {
            md.append("\nNot finished yet (").append(pending.values().stream().mapToInt(List::size).sum())
                    .append(" runs, left out above): ");
            md.append(pending.entrySet().stream().map(e -> e.getKey() + " (seeds " + String.join(", ", e.getValue())
                    + ")").collect(java.util.stream.Collectors.joining("; "))).append(".\n");
        }
        return md.toString();
    }

    private static String describe(ScoreScale scale) {
        if (scale.method().equals(ScoreScale.SCORE_KEY)) {
            return "the environment's own normalised score";
        }
        return String.format(Locale.ROOT, "mean return, 0 = %s (%.4g), 1 = %s (%s, %.4g)", scale.naivePolicy(),
                scale.toJson().get("naive_mean_return"), scale.optimumPolicy(), scale.optimumKind(),
                scale.toJson().get("optimum_mean_return"));
    }

    private static String cell(Estimate estimate) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", estimate.value(), estimate.low(), estimate.high());
    }

    static String chartName(String scope) {
        return scope.equals(ExperimentResults.ALL) ? "all" : ExperimentPlan.fileName(scope);
    }

    private static void drawCharts(Scope scope, Path dir) throws IOException {
        if (scope.algorithms().isEmpty()) {
            return;
        }
        String name = chartName(scope.scope());
        List<ExperimentCharts.Curve> curves = scope.curves().stream().filter(c -> c.x().length > 0)
                .map(c -> new ExperimentCharts.Curve(c.algorithm(), c.x(), c.iqm(), c.low(), c.high())).toList();
        List<ExperimentCharts.Level> levels = new ArrayList<>();
        for (AlgoSummary summary : scope.algorithms()) {
            if (summary.classical()) {
                Estimate iqm = summary.aggregates().get(Aggregate.IQM);
                levels.add(new ExperimentCharts.Level(summary.algorithm(), iqm.value(), iqm.low(), iqm.high()));
            }
        }
        if (!curves.isEmpty() && scope.scope().equals(ExperimentResults.ALL)) {
            ExperimentCharts.sampleEfficiencyByShare(scope.scope(), curves, levels, dir.resolve(name + "-curves.png"));
        } else if (!curves.isEmpty()) {
            ExperimentCharts.sampleEfficiency(scope.scope(), curves, levels, dir.resolve(name + "-curves.png"));
        }
        LinkedHashMap<String, List<ExperimentCharts.Interval>> intervals = new LinkedHashMap<>();
        for (Aggregate aggregate : ORDER) {
            intervals.put(aggregate.title(), scope.algorithms().stream().map(a -> {
                Estimate e = a.aggregates().get(aggregate);
                return new ExperimentCharts.Interval(a.algorithm(), e.value(), e.low(), e.high());
            }).toList());
        }
        ExperimentCharts.intervals(scope.scope(), intervals, dir.resolve(name + "-intervals.png"));
        ExperimentCharts.performanceProfiles(scope.scope(), scope.profiles().stream()
                .map(p -> new ExperimentCharts.Profile(p.algorithm(), p.thresholds(), p.fraction(), p.low(), p.high()))
                .toList(), dir.resolve(name + "-profiles.png"));
    }
}
