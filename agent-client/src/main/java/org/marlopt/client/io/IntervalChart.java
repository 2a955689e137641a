package org.marlopt.client.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.marlopt.client.io.ExperimentCharts.Interval;

/**
 * rliable's interval plot: a panel per aggregate, side by side under the title, the algorithms as rows
 * (in sorted order, top to bottom), each a bar over its confidence interval with a black tick at the
 * point estimate.
 *
 * <p>XChart has no subplots. {@link CompareChart} puts its panels side by side with
 * {@code BitmapEncoder.saveBitmap(charts, rows, columns, ...)}, which leaves no room for a title over
 * them all nor for the rows' names once at their left; so here the panels are painted into one image
 * below a title line, right of a column of names.
 */
final class IntervalChart {

    static final int PANEL_WIDTH = 420;
    static final int TITLE_HEIGHT = 40;
    /** A panel's height beside its rows: its title, the x axis's labels and title, and padding. */
    private static final int PANEL_FRAME = 120;
    private static final int ROW_HEIGHT = 48;
    private static final BasicStroke BAR = new BasicStroke(ROW_HEIGHT * 0.45f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER);
    private static final BasicStroke TICK = new BasicStroke(2.5f);
    /** The tick's half length, in rows: it stands out above and below the bar. */
    private static final double TICK_HALF = 0.3;
    private static final int BAR_ALPHA = 190;
    private static final Font ROW_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final int LABEL_PADDING = 10;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private IntervalChart() {}

    static void draw(String title, LinkedHashMap<String, List<Interval>> byAggregate, Path file)
            throws IOException {
        List<String> rows = algorithms(byAggregate).sorted();
        List<XYChart> panels = panels(byAggregate);
        int labels = labelColumnWidth(rows);
        int panelHeight = panels.get(0).getHeight();
        BufferedImage image = new BufferedImage(labels + PANEL_WIDTH * panels.size(), TITLE_HEIGHT + panelHeight,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(panels.get(0).getStyler().getChartBackgroundColor());
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D cell = (Graphics2D) g.create(labels + i * PANEL_WIDTH, TITLE_HEIGHT, PANEL_WIDTH, panelHeight);
            panels.get(i).paint(cell, PANEL_WIDTH, panelHeight);
            cell.dispose();
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        paintTitle(g, title, image.getWidth(), panels.get(0).getStyler().getChartTitleFont());
        paintRowNames(g, rows, panels.get(0), labels);
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    /** The width of the column left of the panels that names the rows, once for all the panels. */
    static int labelColumnWidth(List<String> rows) {
        FontRenderContext context = new FontRenderContext(null, true, true);
        double widest = rows.stream().mapToDouble(name -> ROW_FONT.getStringBounds(name, context).getWidth())
                .max().orElse(0);
        return (int) Math.ceil(widest) + 2 * LABEL_PADDING;
    }

    /** One panel per aggregate, its rows at the same heights in each. */
    static List<XYChart> panels(LinkedHashMap<String, List<Interval>> byAggregate) {
        if (byAggregate == null || byAggregate.isEmpty()) {
            throw new IllegalArgumentException("byAggregate is empty: nothing to draw");
        }
        byAggregate.forEach((aggregate, intervals) -> ExperimentCharts.requireNonEmpty(
                "byAggregate[\"" + aggregate + "\"]", intervals));
        AlgorithmColors colors = algorithms(byAggregate);
        List<XYChart> panels = new ArrayList<>();
        for (Map.Entry<String, List<Interval>> entry : byAggregate.entrySet()) {
            panels.add(panel(entry.getKey(), entry.getValue(), colors));
        }
        return panels;
    }

    /** The colours and rows come from all the aggregates' algorithms together. */
    private static AlgorithmColors algorithms(LinkedHashMap<String, List<Interval>> byAggregate) {
        return new AlgorithmColors(byAggregate.values().stream().flatMap(List::stream).map(Interval::algorithm)
                .toList());
    }

    static int panelHeight(int rows) {
        return PANEL_FRAME + ROW_HEIGHT * rows;
    }

    /** One aggregate's panel; where all its intervals are NaN, it stays empty. */
    private static XYChart panel(String aggregate, List<Interval> intervals, AlgorithmColors colors) {
        List<String> rows = colors.sorted();
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(panelHeight(rows.size())).title(aggregate)
                .xAxisTitle("normalised score").build();
        // The rows' names are painted once, left of all the panels: XChart's y axis labels only numbers.
        chart.getStyler().setPlotGridHorizontalLinesVisible(false).setYAxisTicksVisible(false)
                .setYAxisMin(-0.5).setYAxisMax(rows.size() - 0.5).setLegendVisible(false);
        chart.getStyler().setXAxisDecimalPattern(ExperimentCharts.DECIMALS);
        for (Interval interval : intervals) {
            double row = row(rows, interval.algorithm());
            Color color = AlgorithmColors.translucent(colors.of(interval.algorithm()), BAR_ALPHA);
            if (Double.isFinite(interval.low()) && Double.isFinite(interval.high())) {
                segment(chart, interval.algorithm() + " CI", new double[] {interval.low(), interval.high()},
                        new double[] {row, row}, color, BAR);
            }
        }
        // The ticks after all the bars, so that none is hidden under a bar.
        for (Interval interval : intervals) {
            double row = row(rows, interval.algorithm());
            if (Double.isFinite(interval.value())) {
                segment(chart, interval.algorithm(), new double[] {interval.value(), interval.value()},
                        new double[] {row - TICK_HALF, row + TICK_HALF}, Color.BLACK, TICK);
            }
        }
        return chart;
    }

    /** The first algorithm on top: row numbers grow upwards. */
    private static double row(List<String> rows, String algorithm) {
        return rows.size() - 1 - rows.indexOf(algorithm);
    }

    private static void segment(XYChart chart, String name, double[] x, double[] y, Color color, BasicStroke stroke) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(stroke);
    }

    private static void paintTitle(Graphics2D g, String title, int width, Font font) {
        g.setFont(font.deriveFont(Font.BOLD, font.getSize2D() + 2));
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(title, (width - metrics.stringWidth(title)) / 2,
                (TITLE_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2);
    }

    /** Each name right-aligned at its row's height, which {@code panel} knows once painted. */
    private static void paintRowNames(Graphics2D g, List<String> rows, XYChart panel, int width) {
        g.setFont(ROW_FONT);
        FontMetrics metrics = g.getFontMetrics();
        for (String name : rows) {
            double y = TITLE_HEIGHT + panel.getScreenYFromChart(row(rows, name));
            g.drawString(name, width - LABEL_PADDING - metrics.stringWidth(name),
                    (float) (y + (metrics.getAscent() - metrics.getDescent()) / 2.0));
        }
    }
}
