package org.marlopt.client.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves of a comparison in one PNG, one panel per environment side by side: per
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

    static {
        System.setProperty("java.awt.headless", "true");
    }

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
        List<XYChart> charts = new ArrayList<>();
        for (Panel panel : panels) {
            charts.add(chart(panel));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(Panel panel) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(panel.title())
                .xAxisTitle(panel.xAxis()).yAxisTitle(panel.yAxis()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        if (panel.yRange() != null) {
            chart.getStyler().setYAxisMin(panel.yRange()[0]).setYAxisMax(panel.yRange()[1]);
        }
        Color[] colors = chart.getStyler().getSeriesColors();
        double xMax = 0;
        for (int i = 0; i < panel.bands().size(); i++) {
            Band band = panel.bands().get(i);
            Color color = colors[i % colors.length];
            XYSeries mean = chart.addSeries(band.name(), band.x(), band.mean());
            mean.setLineColor(color);
            mean.setMarkerColor(color);
            mean.setMarker(SeriesMarkers.CIRCLE);
            range(chart, band.name() + " min", band.x(), band.min(), color);
            range(chart, band.name() + " max", band.x(), band.max(), color);
            xMax = Math.max(xMax, Arrays.stream(band.x()).max().orElse(0));
        }
        for (int i = 0; i < panel.levels().size(); i++) {
            Level level = panel.levels().get(i);
            XYSeries line = chart.addSeries(level.name(), new double[] {0, xMax}, new double[] {level.y(), level.y()});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineStyle(LEVEL);
            line.setLineColor(LEVEL_COLORS[i % LEVEL_COLORS.length]);
        }
        return chart;
    }

    private static void range(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineStyle(RANGE);
        series.setLineColor(color);
        series.setShowInLegend(false);
    }
}
