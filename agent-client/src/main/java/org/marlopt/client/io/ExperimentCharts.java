package org.marlopt.client.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The three kinds of plots of rliable (Agarwal et al. 2021, "Deep reinforcement learning at the edge of
 * the statistical precipice") for an experiment's results: sample-efficiency curves, interval estimates
 * of aggregate metrics, and performance profiles. They draw statistics computed elsewhere (see
 * {@code org.marlopt.client.stats}); NaN values are left out. An algorithm has the same colour in all
 * three charts (see {@link AlgorithmColors}).
 */
public final class ExperimentCharts {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 600;
    /** Opacity of a confidence band: light enough for the lines of the other algorithms to show through. */
    private static final int BAND_ALPHA = 50;
    /** A lone point's interval is a thin bar, so it needs more colour than a band to be seen. */
    private static final int LONE_INTERVAL_ALPHA = 140;
    /** A classical policy's band is grey to black, so fainter still. */
    private static final int LEVEL_BAND_ALPHA = 22;

    private static final int X_TICKS = 8;
    private static final int Y_TICKS = 8;
    /** Tick labels as 0.05, not XChart's default .05. */
    static final String DECIMALS = "0.##";

    private static final Color REFERENCE = new Color(0, 0, 0, 70);
    private static final Color[] LEVEL_COLORS = {Color.BLACK, new Color(0x555555), new Color(0x888888)};
    private static final float[][] LEVEL_DASHES = {{8f, 5f}, {2f, 3f}, {10f, 3f, 2f, 3f}};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * One algorithm's curve: per evaluation point, env steps and the IQM of normalised score with its
     * 95% CI.
     */
    public record Curve(String algorithm, double[] envSteps, double[] iqm, double[] low, double[] high) {
        public Curve {
            requireSameLengths("curve " + algorithm, envSteps, iqm, low, high);
        }
    }

    /** A horizontal constant line for a classical (non-learning) policy: its final IQM and CI. */
    public record Level(String policy, double value, double low, double high) {
    }

    /** One algorithm's interval estimate of one aggregate. */
    public record Interval(String algorithm, double value, double low, double high) {
    }

    /**
     * One algorithm's performance profile: fraction of runs with normalised score > tau, with its
     * CI band.
     */
    public record Profile(String algorithm, double[] thresholds, double[] fraction, double[] low, double[] high) {
        public Profile {
            requireSameLengths("profile " + algorithm, thresholds, fraction, low, high);
        }
    }

    /** A line with its confidence band, the shape both curves and profiles draw as. */
    private record Banded(String name, double[] x, double[] y, double[] low, double[] high) {
    }

    private ExperimentCharts() {}

    /**
     * Sample-efficiency curves: normalised score (IQM) vs env steps with a shaded CI band per algorithm,
     * classical policies as dashed horizontal lines.
     */
    public static void sampleEfficiency(String title, List<Curve> curves, List<Level> levels, Path file)
            throws IOException {
        List<Curve> drawn = floored(curves);
        PanelFigure.save(title + floorNote(curves, drawn),
                List.of(sampleEfficiencyPanel(drawn, levels, "env steps", AxisTicks::si)), 1, file);
    }

    /**
     * The same curves over runs of different lengths (several environments): x is each run's env
     * steps as a share of its training, in percent ({@link Curve#envSteps} holds that share in [0, 1]).
     */
    public static void sampleEfficiencyByShare(String title, List<Curve> curves, List<Level> levels, Path file)
            throws IOException {
        List<Curve> percent = floored(curves).stream().map(c -> new Curve(c.algorithm(),
                java.util.Arrays.stream(c.envSteps()).map(share -> 100 * share).toArray(), c.iqm(), c.low(),
                c.high())).toList();
        PanelFigure.save(title + floorNote(curves, percent), List.of(sampleEfficiencyPanel(percent, levels,
                "share of each run's training (%)", AxisTicks::decimal)), 1, file);
    }

    /**
     * Interval plot: one panel per aggregate (keys in order, e.g. "Median", "IQM", "Mean", "Optimality
     * gap"), each algorithm a horizontal bar spanning its CI with a tick at the point estimate, algorithms
     * as rows, x axis "normalised score".
     */
    public static void intervals(String title, LinkedHashMap<String, List<Interval>> byAggregate, Path file)
            throws IOException {
        LinkedHashMap<String, List<Interval>> drawn = new LinkedHashMap<>();
        boolean clipped = false;
        for (var entry : byAggregate.entrySet()) {
            List<Interval> intervals = entry.getValue().stream().map(i -> new Interval(i.algorithm(), floor(i.value()),
                    floor(i.low()), floor(i.high()))).toList();
            clipped |= !intervals.equals(entry.getValue());
            drawn.put(entry.getKey(), intervals);
        }
        IntervalChart.draw(title + (clipped ? FLOOR_NOTE : ""), drawn, file);
    }

    /**
     * The lowest score drawn. A run that diverges scores -1e4 against its environment's naive policy
     * (it happens early in training, and to some algorithms for good); drawn as it is, it would
     * squash every other algorithm into one line. The summary's tables keep the true values.
     */
    static final double FLOOR = -1;
    private static final String FLOOR_NOTE = " (scores below -1 drawn at -1)";

    private static double floor(double score) {
        return Double.isNaN(score) ? score : Math.max(FLOOR, score);
    }

    private static double[] floor(double[] scores) {
        return java.util.Arrays.stream(scores).map(ExperimentCharts::floor).toArray();
    }

    private static List<Curve> floored(List<Curve> curves) {
        return curves.stream().map(c -> new Curve(c.algorithm(), c.envSteps(), floor(c.iqm()), floor(c.low()),
                floor(c.high()))).toList();
    }

    private static String floorNote(List<Curve> curves, List<Curve> drawn) {
        for (int i = 0; i < curves.size(); i++) {
            if (!java.util.Arrays.equals(curves.get(i).low(), drawn.get(i).low())
                    || !java.util.Arrays.equals(curves.get(i).iqm(), drawn.get(i).iqm())) {
                return FLOOR_NOTE;
            }
        }
        return "";
    }

    /** Performance profiles: fraction of runs with score > tau vs tau, a line per algorithm with its CI band. */
    public static void performanceProfiles(String title, List<Profile> profiles, Path file) throws IOException {
        Charts.save(performanceProfilesChart(title, profiles), file);
    }

    static XYChart sampleEfficiencyChart(List<Curve> curves, List<Level> levels) {
        return sampleEfficiencyPanel(curves, levels, "env steps", AxisTicks::si).chart();
    }

    /**
     * A {@link PanelFigure} panel, so that env steps get round ticks: XChart puts its ticks at the
     * data's x when those are equally spaced, as evaluation steps are.
     */
    private static PanelFigure.Panel sampleEfficiencyPanel(List<Curve> curves, List<Level> levels, String xTitle,
                                                           DoubleFunction<String> xLabel) {
        requireNonEmpty("curves", curves);
        Objects.requireNonNull(levels, "levels");
        List<Banded> banded = curves.stream()
                .map(c -> new Banded(c.algorithm(), c.envSteps(), c.iqm(), c.low(), c.high())).toList();
        requireAPoint("curves", banded);
        double[] xRange = xRange(banded);
        double xPad = xRange[1] > xRange[0] ? 0.02 * (xRange[1] - xRange[0]) : 1;
        PanelFigure.Axis x = PanelFigure.Axis.of(xTitle, xRange[0] - xPad, xRange[1] + xPad,
                AxisTicks.between(xRange[0], xRange[1], X_TICKS), xLabel);
        // the axis always spans the score's scale, 0 to 1, and every value drawn
        double[] ys = DoubleStream.concat(DoubleStream.of(0, 1), DoubleStream.concat(
                curves.stream().flatMapToDouble(c -> DoubleStream.concat(Arrays.stream(c.iqm()),
                        DoubleStream.concat(Arrays.stream(c.low()), Arrays.stream(c.high())))),
                levels.stream().flatMapToDouble(l -> DoubleStream.of(l.value(), l.low(), l.high()))))
                .filter(Double::isFinite).toArray();
        double yLow = Arrays.stream(ys).min().getAsDouble();
        double yHigh = Arrays.stream(ys).max().getAsDouble();
        double yPad = 0.04 * (yHigh - yLow);
        PanelFigure.Axis y = PanelFigure.Axis.of("normalised score (IQM)", yLow - yPad, yHigh + yPad,
                AxisTicks.between(yLow, yHigh, Y_TICKS), AxisTicks::number);
        XYChart chart = PanelFigure.chart(WIDTH - PanelFigure.LEFT - PanelFigure.RIGHT,
                HEIGHT - PanelFigure.TITLE_HEIGHT - PanelFigure.BOTTOM, null, x, y);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        // 0 and 1 first, under the data: the score's scale
        horizontal(chart, "score 0", xRange, 0, REFERENCE, new BasicStroke(1f)).setShowInLegend(false);
        horizontal(chart, "score 1", xRange, 1, REFERENCE, new BasicStroke(1f)).setShowInLegend(false);
        // The classical policies' bands under everything else, their lines over everything else.
        for (int i = 0; i < levels.size(); i++) {
            levelBand(chart, levels.get(i), i, xRange);
        }
        // the classical policies' names take part in the colour ranks, as in the other two charts
        List<String> names = new java.util.ArrayList<>(curves.stream().map(Curve::algorithm).toList());
        levels.forEach(level -> names.add(level.policy()));
        addBanded(chart, banded, names);
        for (int i = 0; i < levels.size(); i++) {
            levelLine(chart, levels.get(i), i, xRange);
        }
        return new PanelFigure.Panel(chart, x, y, true);
    }

    static XYChart performanceProfilesChart(String title, List<Profile> profiles) {
        requireNonEmpty("profiles", profiles);
        XYChart chart = chart(title, "normalised score threshold \u03c4", "fraction of runs with score > \u03c4");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        List<Banded> banded = profiles.stream()
                .map(p -> new Banded(p.algorithm(), p.thresholds(), p.fraction(), p.low(), p.high())).toList();
        requireAPoint("profiles", banded);
        addBanded(chart, banded, banded.stream().map(Banded::name).toList());
        return chart;
    }

    private static XYChart chart(String title, String xAxis, String yAxis) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern(DECIMALS).setYAxisDecimalPattern(DECIMALS);
        return chart;
    }

    /**
     * All bands before all lines, so that no band covers another algorithm's line.
     *
     * @param names every algorithm the chart names, the ranks colours follow (see {@link AlgorithmColors})
     */
    private static void addBanded(XYChart chart, List<Banded> banded, List<String> names) {
        AlgorithmColors colors = new AlgorithmColors(names);
        for (Banded b : banded) {
            band(chart, b.name() + " CI", b.x(), b.low(), b.high(),
                    AlgorithmColors.translucent(colors.of(b.name()), BAND_ALPHA));
        }
        for (Banded b : banded) {
            line(chart, b, colors.of(b.name()));
        }
    }

    /** The area between {@code low} and {@code high}: one polygon along high, then back along low. */
    private static void band(XYChart chart, String name, double[] x, double[] low, double[] high, Color fill) {
        int[] kept = finite(x, low, high);
        if (kept.length == 0) {
            return;
        }
        double[] xs = new double[2 * kept.length];
        double[] ys = new double[2 * kept.length];
        for (int i = 0; i < kept.length; i++) {
            int back = kept[kept.length - 1 - i];
            xs[i] = x[kept[i]];
            ys[i] = high[kept[i]];
            xs[kept.length + i] = x[back];
            ys[kept.length + i] = low[back];
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setMarker(SeriesMarkers.NONE);
        series.setShowInLegend(false);
        if (kept.length == 1) {
            // A lone point's band has no area: its interval shows as a vertical bar instead.
            series.setLineColor(AlgorithmColors.translucent(fill, LONE_INTERVAL_ALPHA));
            series.setLineStyle(new BasicStroke(3f));
        } else {
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            series.setFillColor(fill);
            series.setLineColor(fill);
            series.setLineStyle(new BasicStroke(1f));
        }
    }

    /** The line itself, none if no point is finite; a single point gets a marker, as a line needs two. */
    private static void line(XYChart chart, Banded b, Color color) {
        int[] kept = finite(b.x(), b.y());
        if (kept.length == 0) {
            return;
        }
        XYSeries series = chart.addSeries(b.name(), pick(b.x(), kept), pick(b.y(), kept));
        series.setLineColor(color);
        series.setLineStyle(new BasicStroke(2f));
        series.setMarkerColor(color);
        series.setMarker(kept.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    /** A faint band over a classical policy's CI, across the curves' steps. */
    private static void levelBand(XYChart chart, Level level, int index, double[] xRange) {
        band(chart, level.policy() + " CI", xRange, new double[] {level.low(), level.low()},
                new double[] {level.high(), level.high()},
                AlgorithmColors.translucent(LEVEL_COLORS[index % LEVEL_COLORS.length], LEVEL_BAND_ALPHA));
    }

    /** A classical policy's value as a dashed line, in a shade of grey and a dash of its own. */
    private static void levelLine(XYChart chart, Level level, int index, double[] xRange) {
        if (Double.isFinite(level.value())) {
            BasicStroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    LEVEL_DASHES[index % LEVEL_DASHES.length], 0f);
            horizontal(chart, level.policy(), xRange, level.value(), LEVEL_COLORS[index % LEVEL_COLORS.length],
                    dashed);
        }
    }

    private static XYSeries horizontal(XYChart chart, String name, double[] xRange, double y, Color color,
                                       BasicStroke stroke) {
        XYSeries series = chart.addSeries(name, xRange, new double[] {y, y});
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(stroke);
        return series;
    }

    /** The {min, max} of the steps at which some curve has a value: where the horizontal lines run. */
    private static double[] xRange(List<Banded> banded) {
        double[] xs = linePoints(banded).toArray();
        return new double[] {Arrays.stream(xs).min().getAsDouble(), Arrays.stream(xs).max().getAsDouble()};
    }

    /** The x of every point some line is drawn through. */
    private static DoubleStream linePoints(List<Banded> banded) {
        return banded.stream().flatMapToDouble(b -> Arrays.stream(pick(b.x(), finite(b.x(), b.y()))));
    }

    /** The indices at which every one of {@code columns} is a finite number. */
    private static int[] finite(double[]... columns) {
        return IntStream.range(0, columns[0].length)
                .filter(i -> Arrays.stream(columns).allMatch(column -> Double.isFinite(column[i]))).toArray();
    }

    private static double[] pick(double[] values, int[] indices) {
        return Arrays.stream(indices).mapToDouble(i -> values[i]).toArray();
    }

    private static void requireAPoint(String argument, List<Banded> banded) {
        if (linePoints(banded).findAny().isEmpty()) {
            throw new IllegalArgumentException(argument + " has no point whose x and y are both finite numbers");
        }
    }

    static void requireNonEmpty(String argument, Collection<?> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(argument + " is empty: nothing to draw");
        }
    }

    private static void requireSameLengths(String what, double[]... columns) {
        if (Arrays.stream(columns).anyMatch(Objects::isNull)
                || Arrays.stream(columns).mapToInt(column -> column.length).distinct().count() > 1) {
            throw new IllegalArgumentException(what + ": its four arrays must be non-null and of one length");
        }
    }
}
