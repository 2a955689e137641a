package org.marlopt.client.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves of a comparison in one PNG, one panel per environment side by side (a
 * {@link PanelFigure}, so its env steps get round ticks such as 200k): per
 * algorithm its mean over seeds (solid, with markers at the evaluations) and the seeds' min and max
 * (thin dotted lines of the same colour), and reference levels as dashed horizontal lines.
 */
public final class CompareChart {

    public static final int PANEL_WIDTH = 800;
    public static final int PANEL_HEIGHT = 600;
    private static final BasicStroke RANGE = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {2f, 3f}, 0f);
    private static final BasicStroke LEVEL = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 5f}, 0f);
    private static final Color[] LEVEL_COLORS = {Color.BLACK, Color.GRAY, Color.DARK_GRAY};
    private static final String TITLE = "Evaluations while training";
    private static final int X_TICKS = 6;
    private static final int Y_TICKS = 8;

    /** One algorithm's curve: at each x, the mean and the range over seeds. */
    public record Band(String name, double[] x, double[] mean, double[] min, double[] max) {
    }

    /** A horizontal reference line at {@code y}. */
    public record Level(String name, double y) {
    }

    /**
     * One environment's panel.
     *
     * @param yRange the y axis's {min, max}, or null to fit the data (a learning curve can start far
     *     below the range that tells the algorithms apart)
     */
    public record Panel(String title, String xAxis, String yAxis, double[] yRange, List<Band> bands,
                        List<Level> levels) {
    }

    private CompareChart() {}

    /** Draws {@code panels} side by side into {@code file}. */
    public static void draw(List<Panel> panels, Path file) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no panel to draw: no run finished");
        }
        List<PanelFigure.Panel> drawn = new ArrayList<>();
        for (Panel panel : panels) {
            drawn.add(chart(panel));
        }
        PanelFigure.save(TITLE, drawn, drawn.size(), file);
    }

    private static PanelFigure.Panel chart(Panel panel) {
        double xMax = panel.bands().stream().flatMapToDouble(band -> Arrays.stream(band.x())).max().orElse(1);
        PanelFigure.Axis x = PanelFigure.Axis.of(panel.xAxis(), 0, 1.02 * xMax, AxisTicks.between(0, xMax, X_TICKS),
                AxisTicks::si);
        double[] yRange = panel.yRange() != null ? panel.yRange() : fit(panel);
        PanelFigure.Axis y = PanelFigure.Axis.of(panel.yAxis(), yRange[0], yRange[1],
                AxisTicks.between(yRange[0], yRange[1], Y_TICKS), AxisTicks::number);
        XYChart chart = PanelFigure.chart(PANEL_WIDTH - PanelFigure.LEFT - PanelFigure.RIGHT,
                PANEL_HEIGHT - PanelFigure.TITLE_HEIGHT - PanelFigure.BOTTOM, panel.title(), x, y);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Color[] colors = chart.getStyler().getSeriesColors();
        for (int i = 0; i < panel.bands().size(); i++) {
            Band band = panel.bands().get(i);
            Color color = colors[i % colors.length];
            XYSeries mean = chart.addSeries(band.name(), band.x(), band.mean());
            mean.setLineColor(color);
            mean.setLineStyle(new BasicStroke(2f));
            mean.setMarkerColor(color);
            mean.setMarker(SeriesMarkers.CIRCLE);
            range(chart, band.name() + " min", band.x(), band.min(), color);
            range(chart, band.name() + " max", band.x(), band.max(), color);
        }
        for (int i = 0; i < panel.levels().size(); i++) {
            Level level = panel.levels().get(i);
            XYSeries line = chart.addSeries(level.name(), new double[] {0, xMax}, new double[] {level.y(), level.y()});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineStyle(LEVEL);
            line.setLineColor(LEVEL_COLORS[i % LEVEL_COLORS.length]);
        }
        return new PanelFigure.Panel(chart, x, y, true);
    }

    /** The y range of every finite value drawn, padded by 4% (a flat curve gets +-1). */
    private static double[] fit(Panel panel) {
        double[] values = DoubleStream.concat(panel.bands().stream().flatMapToDouble(band -> Stream.of(band.mean(),
                band.min(), band.max()).flatMapToDouble(Arrays::stream)), panel.levels().stream().mapToDouble(Level::y))
                .filter(Double::isFinite).toArray();
        double low = Arrays.stream(values).min().orElse(0);
        double high = Arrays.stream(values).max().orElse(1);
        double pad = high > low ? 0.04 * (high - low) : 1;
        return new double[] {low - pad, high + pad};
    }

    private static void range(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineStyle(RANGE);
        series.setLineColor(color);
        series.setShowInLegend(false);
    }
}
