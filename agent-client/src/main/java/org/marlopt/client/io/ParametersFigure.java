package org.marlopt.client.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The parameters an episode ended with, where each agent owns a block of them: above, a bar per
 * parameter, grouped and coloured by the agent that owns it; below, what the objective sees, each
 * agent's contribution (its block's sum) stacked up to the team's sum, beside the target and its
 * success band.
 */
public final class ParametersFigure {

    public static final int WIDTH = 1000;
    public static final int PANEL_HEIGHT = 300;
    /** A bar's width as a share of the distance between neighbouring bars. */
    private static final double BAR_SHARE = 0.7;
    private static final Color TEAM = new Color(0x555555);
    private static final Color TARGET = Color.BLACK;
    private static final Color BAND = new Color(0, 0, 0, 30);

    /**
     * The parameters and who owns them.
     *
     * @param blocks the agents in order, each owning the next {@code blockSize} parameters
     * @param target the value the parameters' sum should reach
     * @param tolerance the distance to the target within which an episode counts as solved
     */
    public record Parameters(float[] values, List<String> blocks, double target, double tolerance) {
        public Parameters {
            if (blocks.isEmpty() || values.length % blocks.size() != 0) {
                throw new IllegalArgumentException("the " + values.length + " parameters do not split into "
                        + blocks.size() + " equal blocks, one per agent");
            }
        }

        int blockSize() {
            return values.length / blocks.size();
        }

        /** Each agent's sum over its block. */
        double[] contributions() {
            return IntStream.range(0, blocks.size()).mapToDouble(agent -> IntStream.range(0, blockSize())
                    .mapToDouble(j -> values[agent * blockSize() + j]).sum()).toArray();
        }

        double sum() {
            return java.util.Arrays.stream(contributions()).sum();
        }
    }

    private ParametersFigure() {}

    public static void draw(String title, Parameters parameters, Path file) throws IOException {
        PanelFigure.save(String.format(Locale.ROOT, "%s: sum %.3f, target %s (distance %.3f)", title,
                parameters.sum(), AxisTicks.number(parameters.target()),
                Math.abs(parameters.target() - parameters.sum())),
                List.of(byAgent(parameters), sum(parameters)), 1, file);
    }

    /** The x of parameter {@code index}: blocks one bar's width apart. */
    static double position(Parameters parameters, int index) {
        return index + index / parameters.blockSize();
    }

    private static PanelFigure.Panel byAgent(Parameters p) {
        int agents = p.blocks().size();
        double[] centres = IntStream.range(0, agents)
                .mapToDouble(a -> (position(p, a * p.blockSize()) + position(p, (a + 1) * p.blockSize() - 1)) / 2)
                .toArray();
        double last = position(p, p.values().length - 1);
        double extent = Math.max(1, IntStream.range(0, p.values().length).mapToDouble(i -> Math.abs(p.values()[i]))
                .max().orElse(1));
        PanelFigure.Axis x = new PanelFigure.Axis("parameters, grouped by the agent that owns them", -0.8, last + 0.8,
                centres, p.blocks());
        PanelFigure.Axis y = PanelFigure.Axis.of("parameter value", -1.08 * extent, 1.08 * extent,
                AxisTicks.between(-extent, extent, 5), AxisTicks::number);
        XYChart chart = PanelFigure.chart(WIDTH, PANEL_HEIGHT, null, x, y);
        chart.getStyler().setLegendVisible(false);
        AlgorithmColors colors = new AlgorithmColors(p.blocks());
        float width = barWidth(x);
        for (int i = 0; i < p.values().length; i++) {
            String agent = p.blocks().get(i / p.blockSize());
            bar(chart, agent + " " + i, position(p, i), 0, p.values()[i], colors.of(agent), width);
        }
        return new PanelFigure.Panel(chart, x, y, true);
    }

    private static PanelFigure.Panel sum(Parameters p) {
        int agents = p.blocks().size();
        double[] contributions = p.contributions();
        double[] running = new double[agents + 1];
        for (int a = 0; a < agents; a++) {
            running[a + 1] = running[a] + contributions[a];
        }
        double low = java.util.Arrays.stream(running).min().getAsDouble();
        double high = Math.max(java.util.Arrays.stream(running).max().getAsDouble(), p.target() + p.tolerance());
        low = Math.min(low, Math.min(0, p.target() - p.tolerance()));
        double pad = 0.12 * (high - low);
        List<String> names = new ArrayList<>(p.blocks());
        names.add("team sum");
        PanelFigure.Axis x = new PanelFigure.Axis("each agent's contribution (the sum of its parameters), then the "
                + "team's sum", -0.6, agents + 0.6, IntStream.rangeClosed(0, agents).asDoubleStream().toArray(), names);
        PanelFigure.Axis y = PanelFigure.Axis.of("sum of parameters", low - pad, high + pad,
                AxisTicks.between(low, high, 6), AxisTicks::number);
        XYChart chart = PanelFigure.chart(WIDTH, PANEL_HEIGHT, null, x, y);
        var styler = chart.getStyler();
        // the lines are named where they are, at the left, which a rising waterfall leaves free
        styler.setLegendVisible(false);
        styler.setAnnotationTextFont(styler.getAxisTickLabelsFont()).setAnnotationTextFontColor(Color.BLACK);
        XYSeries band = chart.addSeries("success band", new double[] {x.min(), x.max(), x.max(),
            x.min()}, new double[] {p.target() + p.tolerance(), p.target() + p.tolerance(),
            p.target() - p.tolerance(), p.target() - p.tolerance()});
        band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        band.setMarker(SeriesMarkers.NONE);
        band.setFillColor(BAND);
        band.setLineColor(BAND);
        AlgorithmColors colors = new AlgorithmColors(p.blocks());
        float width = barWidth(x);
        for (int a = 0; a < agents; a++) {
            bar(chart, p.blocks().get(a), a, running[a], running[a + 1], colors.of(p.blocks().get(a)), width);
            label(chart, String.format(Locale.ROOT, "%+.3f", contributions[a]), a, running[a + 1], contributions[a],
                    pad);
        }
        bar(chart, "team sum", agents, 0, running[agents], TEAM, width);
        label(chart, String.format(Locale.ROOT, "%.3f", running[agents]), agents, running[agents], running[agents],
                pad);
        chart.addAnnotation(new AnnotationText("target " + AxisTicks.number(p.target()) + " \u00b1 "
                + AxisTicks.number(p.tolerance()) + " (solved)", x.min() + 0.55, p.target() + pad / 2, false));
        XYSeries target = chart.addSeries("target", new double[] {x.min(), x.max()},
                new double[] {p.target(), p.target()});
        target.setMarker(SeriesMarkers.NONE);
        target.setLineColor(TARGET);
        target.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {8f, 5f}, 0f));
        return new PanelFigure.Panel(chart, x, y, true);
    }

    /** A bar's stroke width in pixels: BAR_SHARE of one unit of x on the plot. */
    private static float barWidth(PanelFigure.Axis x) {
        double plotWidth = WIDTH - 2 * 10.0;
        return (float) (BAR_SHARE * plotWidth / (x.max() - x.min()));
    }

    /** A vertical bar from {@code from} to {@code to}: a line as wide as a bar, cut square at its ends. */
    private static void bar(XYChart chart, String name, double x, double from, double to, Color color, float width) {
        XYSeries bar = chart.addSeries(name, new double[] {x, x}, new double[] {from, to});
        bar.setMarker(SeriesMarkers.NONE);
        bar.setLineColor(color);
        bar.setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        bar.setShowInLegend(false);
    }

    /** The bar's value just beyond its end, above a rising bar and below a falling one. */
    private static void label(XYChart chart, String text, double x, double end, double change, double pad) {
        chart.addAnnotation(new AnnotationText(text, x, end + Math.signum(change == 0 ? 1 : change) * pad / 2,
                false));
    }
}
