package org.marlopt.client.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.stream.DoubleStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A run's learning curve, from its directory: the team return and, where the environment defines
 * one, the success fraction or normalised score, in panels stacked over one axis of training env
 * steps. Each round's value is a faint point, the {@link Smoother smoothed} curve a line; the
 * evaluations while training (evaluations.csv) and the final evaluation (evaluation.json) are
 * markers with their spread. The title names the run directory, algorithm, environment and seed.
 */
public final class LearningCurveFigure {

    public static final int WIDTH = 1000;
    public static final int PANEL_HEIGHT = 300;
    private static final int MAX_X_TICKS = 8;
    private static final int MAX_Y_TICKS = 6;
    /** Scores below this are drawn at it: a diverging run's -1e4 would flatten everything else. */
    static final double SCORE_FLOOR = -1;
    private static final Color RETURN = new Color(0x0173B2);
    private static final Color SUCCESS = new Color(0x029E73);
    private static final Color EVALUATION = new Color(0xD55E00);
    private static final Color FINAL = Color.BLACK;
    private static final int RAW_ALPHA = 70;
    private static final int SPREAD_ALPHA = 60;

    /** The config.json keys this figure reads. */
    record Run(String id, String algorithm, String envId, long seed, int window, int evalEveryEpisodes,
               String successColumn, String scoreColumn) {

        static Run of(JsonNode config) {
            JsonNode settings = config.path("config");
            JsonNode session = config.path("provenance").path("training_session");
            return new Run(config.path("run_id").asText("?"), config.path("algorithm").asText("?"),
                    settings.path("envId").asText("?"), settings.path("seed").asLong(),
                    Math.max(1, settings.path("movingAverageWindow").asInt(100)),
                    settings.path("evalEveryEpisodes").asInt(0), text(session.get("success_key")),
                    text(session.get("score_key")));
        }

        String title() {
            return String.format(Locale.ROOT, "%s: %s on %s, seed %d", id, algorithm, envId, seed);
        }

        private static String text(JsonNode node) {
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    /** The second panel's figure: the score where the environment has one, else success. */
    record Metric(String column, String title, String evaluationFigure, String finalKey, boolean fraction) {

        static Metric of(Run run) {
            if (run.scoreColumn() != null) {
                return new Metric(run.scoreColumn(), "normalised score", "score", "normalized_score", false);
            }
            if (run.successColumn() != null) {
                return new Metric(run.successColumn(), "success (" + run.successColumn() + ")", "success",
                        "success_rate", true);
            }
            return null;
        }
    }

    /** One value per round: x its cumulative env steps. */
    record Series(double[] x, double[] y) {
    }

    /** Evaluation points with their spread (NaN where unknown). */
    record Points(double[] x, double[] y, double[] low, double[] high) {
        static final Points NONE = new Points(new double[0], new double[0], new double[0], new double[0]);
    }

    private LearningCurveFigure() {}

    /** Draws the learning curve of the run in {@code runDir} into {@code file}. */
    public static void draw(Path runDir, Path file) throws IOException {
        Run run = Run.of(Json.MAPPER.readTree(runDir.resolve("config.json").toFile()));
        Metric metric = Metric.of(run);
        List<String> lines = Files.readAllLines(runDir.resolve("episodes.csv"), StandardCharsets.UTF_8);
        double[] steps = column(lines, "env_steps");
        Series returns = new Series(steps, column(lines, "return"));
        List<EvaluationCsv.Row> evaluations = Files.exists(runDir.resolve("evaluations.csv"))
                ? EvaluationCsv.read(runDir.resolve("evaluations.csv")) : List.of();
        JsonNode last = Files.exists(runDir.resolve("evaluation.json"))
                ? Json.MAPPER.readTree(runDir.resolve("evaluation.json").toFile()) : null;
        double end = steps.length == 0 ? 1 : steps[steps.length - 1];
        double halfWidth = run.window() * medianStep(steps) / 2;
        // a little room either side, so that the first and the last point are not on the border
        PanelFigure.Axis x = PanelFigure.Axis.of("env steps", -0.01 * end, 1.015 * end,
                AxisTicks.between(0, end, MAX_X_TICKS), AxisTicks::si);
        List<PanelFigure.Panel> panels = new ArrayList<>();
        panels.add(returnPanel(x, returns, halfWidth, run, evaluations, last, metric == null));
        if (metric != null) {
            Series values = new Series(steps, column(lines, metric.column()));
            panels.add(metricPanel(x, values, halfWidth, run, metric, evaluations, last));
        }
        PanelFigure.save(run.title(), panels, 1, file);
    }

    private static PanelFigure.Panel returnPanel(PanelFigure.Axis x, Series raw, double halfWidth, Run run,
                                                 List<EvaluationCsv.Row> evaluations, JsonNode last, boolean bottom) {
        Points periodic = periodic(evaluations, row -> row.figures().meanReturn(), 0);
        Points closing = last == null ? Points.NONE : finalReturn(last, end(raw));
        ReturnScale scale = ReturnScale.of(raw.y());
        // smoothed in the axis's units: on symlog a mean over a window would let the few early large
        // returns pull the whole window up by decades
        double[] shown = scale.apply(raw.y());
        double[] smooth = Smoother.smooth(raw.x(), shown, halfWidth);
        double[] all = java.util.stream.Stream.of(shown, scale.apply(periodic.y()), scale.apply(closing.low()),
                scale.apply(closing.high())).flatMapToDouble(Arrays::stream).filter(Double::isFinite).toArray();
        double low = Arrays.stream(all).min().orElse(-1);
        double high = Arrays.stream(all).max().orElse(1);
        if (!scale.linear()) {
            low = Math.min(low, 0);
            high = Math.max(high, 0);
        }
        // a flat curve (one round, or a return that never moves) still gets an axis around it
        double pad = high > low ? 0.04 * (high - low) : 0.1 * Math.max(1e-3, Math.abs(high));
        double[] ticks = scale.ticks(scale.invert(low - pad), scale.invert(high + pad), MAX_Y_TICKS);
        PanelFigure.Axis y = PanelFigure.Axis.of("team return" + (scale.linear() ? "" : " (symlog)"), low - pad,
                high + pad, scale.apply(ticks), value -> AxisTicks.number(scale.invert(value)));
        XYChart chart = PanelFigure.chart(WIDTH, PANEL_HEIGHT, null, x, y);
        curves(chart, raw.x(), shown, smooth, RETURN, run);
        evaluationMarkers(chart, transform(periodic, scale), transform(closing, scale), run, last, "",
                "spread: quartiles of episode returns");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return new PanelFigure.Panel(chart, x, y, bottom);
    }

    private static PanelFigure.Panel metricPanel(PanelFigure.Axis x, Series raw, double halfWidth, Run run,
                                                 Metric metric, List<EvaluationCsv.Row> evaluations, JsonNode last) {
        String figure = evaluationFigure(metric, evaluations, last);
        Points periodic = periodic(evaluations, row -> row.figures().get(figure),
                metric.fraction() ? run.evalEveryEpisodes() : 0);
        Points closing = last == null ? Points.NONE : finalMetric(last, figure, metric, end(raw));
        double[] values = Arrays.stream(raw.y()).map(v -> Math.max(SCORE_FLOOR, v)).toArray();
        double[] smooth = Smoother.smooth(raw.x(), values, halfWidth);
        if (metric.fraction()) {
            smooth = Arrays.stream(smooth).map(v -> Math.min(1, Math.max(0, v))).toArray();
        }
        double low = metric.fraction() ? 0 : Math.min(0, Arrays.stream(values).min().orElse(0));
        double pad = 0.03 * (1.0 - low);
        DoubleFunction<String> label = metric.fraction() ? AxisTicks::percent : AxisTicks::number;
        PanelFigure.Axis y = PanelFigure.Axis.of(metric.title(), low - pad, 1 + pad,
                AxisTicks.between(low, 1, MAX_Y_TICKS), label);
        XYChart chart = PanelFigure.chart(WIDTH, PANEL_HEIGHT, null, x, y);
        curves(chart, raw.x(), values, smooth, SUCCESS, run);
        String spread = metric.fraction() ? "spread: 95% Wilson interval" : null;
        evaluationMarkers(chart, periodic, closing, run, last, figure.replace('_', ' ') + ", ", spread);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return new PanelFigure.Panel(chart, x, y, true);
    }

    /**
     * The evaluation figure drawn beside the training column: on the seed one-step success, as its
     * training rounds are one step long; else the metric's own.
     */
    private static String evaluationFigure(Metric metric, List<EvaluationCsv.Row> evaluations, JsonNode last) {
        boolean oneStep = evaluations.stream().anyMatch(row -> !Double.isNaN(row.figures().oneStepSuccess()))
                || (last != null && last.has(EvaluationFigures.ONE_STEP_SUCCESS_KEY));
        return metric.fraction() && oneStep ? "one_step_success" : metric.evaluationFigure();
    }

    private static void curves(XYChart chart, double[] x, double[] raw, double[] smooth, Color color, Run run) {
        XYSeries points = chart.addSeries(chart.getSeriesMap().size() + " per round", x, raw);
        points.setLabel("per round");
        points.setMarker(SeriesMarkers.NONE);
        points.setLineColor(AlgorithmColors.translucent(color, RAW_ALPHA));
        points.setLineStyle(new BasicStroke(1f));
        XYSeries line = chart.addSeries(chart.getSeriesMap().size() + " smoothed", x, smooth);
        line.setLabel("smoothed (local linear, " + run.window() + "-round window)");
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(color);
        line.setLineStyle(new BasicStroke(2.2f));
    }

    /** @param figure what the evaluation measured, where the panel's title does not say it */
    private static void evaluationMarkers(XYChart chart, Points periodic, Points closing, Run run, JsonNode last,
                                          String figure, String spread) {
        if (periodic.x().length > 0) {
            band(chart, periodic, EVALUATION);
            XYSeries series = chart.addSeries("evaluation", periodic.x(), periodic.y());
            series.setLabel("evaluation while training (" + figure + run.evalEveryEpisodes()
                    + " episodes, greedy)");
            series.setMarker(SeriesMarkers.DIAMOND);
            series.setMarkerColor(EVALUATION);
            series.setLineColor(EVALUATION);
            series.setLineStyle(new BasicStroke(1f));
        }
        if (closing.x().length > 0) {
            if (Double.isFinite(closing.low()[0])) {
                XYSeries bar = chart.addSeries("final spread", new double[] {closing.x()[0], closing.x()[0]},
                        new double[] {closing.low()[0], closing.high()[0]});
                bar.setMarker(SeriesMarkers.NONE);
                bar.setLineColor(FINAL);
                bar.setLineStyle(new BasicStroke(3f));
                bar.setShowInLegend(false);
            }
            XYSeries point = chart.addSeries("final", closing.x(), closing.y());
            point.setLabel("final evaluation (" + figure + last.path("episodes").asInt() + " episodes"
                    + (spread == null ? "" : "; " + spread) + ")");
            point.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            point.setMarker(SeriesMarkers.CIRCLE);
            point.setMarkerColor(FINAL);
        }
    }

    /** The translucent area between the points' low and high, where every point has one. */
    private static void band(XYChart chart, Points points, Color color) {
        int n = points.x().length;
        if (n < 2 || !DoubleStream.of(points.low()).allMatch(Double::isFinite)) {
            return;
        }
        double[] xs = new double[2 * n];
        double[] ys = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xs[i] = points.x()[i];
            ys[i] = points.high()[i];
            xs[2 * n - 1 - i] = points.x()[i];
            ys[2 * n - 1 - i] = points.low()[i];
        }
        XYSeries area = chart.addSeries("evaluation spread", xs, ys);
        area.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        area.setMarker(SeriesMarkers.NONE);
        area.setFillColor(AlgorithmColors.translucent(color, SPREAD_ALPHA));
        area.setLineColor(AlgorithmColors.translucent(color, SPREAD_ALPHA));
        area.setShowInLegend(false);
    }

    /** The evaluations' figure, with a Wilson interval over {@code episodes} when it is a fraction (episodes > 0). */
    private static Points periodic(List<EvaluationCsv.Row> rows, java.util.function.ToDoubleFunction<EvaluationCsv.Row>
            figure, int episodes) {
        List<EvaluationCsv.Row> kept = rows.stream().filter(row -> Double.isFinite(figure.applyAsDouble(row))).toList();
        double[] x = kept.stream().mapToDouble(EvaluationCsv.Row::envSteps).toArray();
        double[] y = kept.stream().mapToDouble(figure).toArray();
        double[][] interval = Arrays.stream(y).mapToObj(p -> episodes > 0 ? wilson(p, episodes)
                : new double[] {Double.NaN, Double.NaN}).toArray(double[][]::new);
        return new Points(x, y, Arrays.stream(interval).mapToDouble(i -> i[0]).toArray(),
                Arrays.stream(interval).mapToDouble(i -> i[1]).toArray());
    }

    private static Points finalReturn(JsonNode evaluation, double x) {
        double[] returns = Json.doubles(evaluation.path("episode_returns"));
        Arrays.sort(returns);
        double mean = evaluation.path("mean_return").asDouble(Double.NaN);
        boolean spread = returns.length > 1;
        return new Points(new double[] {x}, new double[] {mean},
                new double[] {spread ? quantile(returns, 0.25) : Double.NaN},
                new double[] {spread ? quantile(returns, 0.75) : Double.NaN});
    }

    private static Points finalMetric(JsonNode evaluation, String figure, Metric metric, double x) {
        String key = figure.equals("one_step_success") ? EvaluationFigures.ONE_STEP_SUCCESS_KEY : metric.finalKey();
        double value = evaluation.path(key).asDouble(Double.NaN);
        if (!Double.isFinite(value)) {
            return Points.NONE;
        }
        double[] interval = metric.fraction() ? wilson(value, evaluation.path("episodes").asInt())
                : new double[] {Double.NaN, Double.NaN};
        return new Points(new double[] {x}, new double[] {Math.max(SCORE_FLOOR, value)}, new double[] {interval[0]},
                new double[] {interval[1]});
    }

    /** The 95% Wilson score interval of a fraction {@code p} of {@code n} episodes. */
    static double[] wilson(double p, int n) {
        if (n <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959964;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static Points transform(Points points, ReturnScale scale) {
        return new Points(points.x(), scale.apply(points.y()), scale.apply(points.low()), scale.apply(points.high()));
    }

    /** Where the final evaluation is drawn: after the last round. */
    private static double end(Series series) {
        return series.x().length == 0 ? 0 : series.x()[series.x().length - 1];
    }

    /** The median env steps of a round, the unit the smoothing window's rounds are converted with. */
    static double medianStep(double[] steps) {
        if (steps.length < 2) {
            return 1;
        }
        double[] differences = new double[steps.length - 1];
        for (int i = 1; i < steps.length; i++) {
            differences[i - 1] = steps[i] - steps[i - 1];
        }
        Arrays.sort(differences);
        return Math.max(1, differences[differences.length / 2]);
    }

    /** The column called {@code name} of an episodes.csv. */
    static double[] column(List<String> lines, String name) throws IOException {
        int index = Arrays.asList(lines.get(0).split(",")).indexOf(name);
        if (index < 0) {
            throw new IOException("episodes.csv has no column '" + name + "'; its header: " + lines.get(0));
        }
        return lines.stream().skip(1).filter(line -> !line.isBlank())
                .mapToDouble(line -> Double.parseDouble(line.split(",")[index])).toArray();
    }
}
