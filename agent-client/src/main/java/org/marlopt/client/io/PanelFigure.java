package org.marlopt.client.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Panels in a grid under one title, each an XYChart whose axes are drawn here: XChart has no
 * subplots, and it chooses its own tick values (see {@link AxisTicks}). XChart draws the plot, the
 * series and the legend; this class the grid lines (as series under the data), the tick labels and
 * the axis titles, in margins of fixed width, so the plots of one column line up whatever their labels.
 */
public final class PanelFigure {

    static final int TITLE_HEIGHT = 40;
    /** Room left of a plot for the y tick labels and the y axis title. */
    static final int LEFT = 88;
    /** Room below a plot for the x tick labels and the x axis title. */
    static final int BOTTOM = 52;
    static final int RIGHT = 12;
    private static final Color GRID = new Color(0xE4E4E4);
    private static final Color ZERO = new Color(0xB0B0B0);
    private static final int TICK_LENGTH = 4;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** An axis: its range, and the ticks in axis units with their labels. */
    public record Axis(String title, double min, double max, double[] ticks, List<String> labels) {
        public Axis {
            if (ticks.length != labels.size()) {
                throw new IllegalArgumentException("axis '" + title + "': one label per tick");
            }
        }

        /** Ticks labelled by {@code label}, at positions {@code position(tick)} on the axis. */
        public static Axis of(String title, double min, double max, double[] ticks, DoubleFunction<String> label) {
            return new Axis(title, min, max, ticks, Arrays.stream(ticks).mapToObj(label).toList());
        }
    }

    /**
     * One panel.
     *
     * @param xLabels whether its x tick labels and title are drawn (panels above one that shares
     *     their x axis leave them to it)
     */
    public record Panel(XYChart chart, Axis x, Axis y, boolean xLabels) {
    }

    private PanelFigure() {}

    /**
     * A chart of {@code width} x {@code height} pixels showing exactly [min, max] of both axes, with
     * grid lines at the ticks already added under the series to come.
     */
    public static XYChart chart(int width, int height, String title, Axis x, Axis y) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title == null ? "" : title).build();
        var styler = chart.getStyler();
        styler.setChartTitleVisible(title != null).setChartBackgroundColor(Color.WHITE);
        // the data fill the plot: the axes' ranges, padded where wanted, are the caller's
        styler.setPlotContentSize(1.0);
        styler.setAxisTicksVisible(false);
        styler.setXAxisTitleVisible(false).setYAxisTitleVisible(false);
        styler.setPlotGridLinesVisible(false).setPlotBorderColor(Color.GRAY);
        styler.setXAxisMin(x.min()).setXAxisMax(x.max()).setYAxisMin(y.min()).setYAxisMax(y.max());
        styler.setLegendBorderColor(Color.LIGHT_GRAY).setLegendBackgroundColor(new Color(255, 255, 255, 220));
        for (int i = 0; i < x.ticks().length; i++) {
            double tick = x.ticks()[i];
            gridLine(chart, "x grid " + i, new double[] {tick, tick}, new double[] {y.min(), y.max()}, GRID);
        }
        for (int i = 0; i < y.ticks().length; i++) {
            double tick = y.ticks()[i];
            gridLine(chart, "y grid " + i, new double[] {x.min(), x.max()}, new double[] {tick, tick},
                    tick == 0 ? ZERO : GRID);
        }
        return chart;
    }

    private static void gridLine(XYChart chart, String name, double[] xs, double[] ys, Color color) {
        XYSeries line = chart.addSeries(name, xs, ys);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(color);
        line.setLineStyle(new BasicStroke(1f));
        line.setShowInLegend(false);
    }

    /** Paints {@code panels}, row by row in {@code columns} columns, under {@code title} into {@code file}. */
    public static void save(String title, List<Panel> panels, int columns, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(paint(title, panels, columns), "png", file.toFile());
    }

    static BufferedImage paint(String title, List<Panel> panels, int columns) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no panel to draw");
        }
        int rows = (panels.size() + columns - 1) / columns;
        int cellWidth = LEFT + panels.get(0).chart().getWidth();
        int[] rowTop = new int[rows + 1];
        rowTop[0] = TITLE_HEIGHT;
        for (int row = 0; row < rows; row++) {
            List<Panel> inRow = panels.subList(row * columns, Math.min(panels.size(), (row + 1) * columns));
            int height = inRow.stream().mapToInt(p -> p.chart().getHeight()).max().getAsInt();
            rowTop[row + 1] = rowTop[row] + height + (inRow.stream().anyMatch(Panel::xLabels) ? BOTTOM : 0);
        }
        BufferedImage image = new BufferedImage(columns * cellWidth + RIGHT, rowTop[rows], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            paintPanel(g, panels.get(i), (i % columns) * cellWidth + LEFT, rowTop[i / columns]);
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        Font font = panels.get(0).chart().getStyler().getChartTitleFont();
        g.setFont(font.deriveFont(Font.BOLD, font.getSize2D() + 1));
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(title, Math.max(4, (image.getWidth() - metrics.stringWidth(title)) / 2),
                (TITLE_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2);
        g.dispose();
        return image;
    }

    private static void paintPanel(Graphics2D g, Panel panel, int left, int top) {
        XYChart chart = panel.chart();
        Graphics2D cell = (Graphics2D) g.create(left, top, chart.getWidth(), chart.getHeight());
        chart.paint(cell, chart.getWidth(), chart.getHeight());
        cell.dispose();
        Graphics2D labels = (Graphics2D) g.create();
        labels.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        labels.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        labels.setColor(Color.DARK_GRAY);
        labels.setFont(chart.getStyler().getAxisTickLabelsFont());
        FontMetrics metrics = labels.getFontMetrics();
        double plotLeft = left + chart.getScreenXFromChart(panel.x().min());
        double plotRight = left + chart.getScreenXFromChart(panel.x().max());
        double plotTop = top + chart.getScreenYFromChart(panel.y().max());
        double plotBottom = top + chart.getScreenYFromChart(panel.y().min());
        int widest = 0;
        for (int i = 0; i < panel.y().ticks().length; i++) {
            int y = (int) Math.round(top + chart.getScreenYFromChart(panel.y().ticks()[i]));
            String label = panel.y().labels().get(i);
            labels.drawLine((int) plotLeft - TICK_LENGTH, y, (int) plotLeft, y);
            labels.drawString(label, (float) (plotLeft - TICK_LENGTH - 3 - metrics.stringWidth(label)),
                    y + (metrics.getAscent() - metrics.getDescent()) / 2f);
            widest = Math.max(widest, metrics.stringWidth(label));
        }
        if (panel.xLabels()) {
            for (int i = 0; i < panel.x().ticks().length; i++) {
                int x = (int) Math.round(left + chart.getScreenXFromChart(panel.x().ticks()[i]));
                String label = panel.x().labels().get(i);
                labels.drawLine(x, (int) plotBottom, x, (int) plotBottom + TICK_LENGTH);
                labels.drawString(label, x - metrics.stringWidth(label) / 2f,
                        (float) plotBottom + TICK_LENGTH + 2 + metrics.getAscent());
            }
        }
        labels.setColor(Color.BLACK);
        labels.setFont(chart.getStyler().getAxisTitleFont());
        FontMetrics titleMetrics = labels.getFontMetrics();
        if (panel.xLabels()) {
            String title = panel.x().title();
            labels.drawString(title, (float) ((plotLeft + plotRight - titleMetrics.stringWidth(title)) / 2),
                    (float) plotBottom + TICK_LENGTH + 8 + metrics.getHeight() + titleMetrics.getAscent());
        }
        String yTitle = panel.y().title();
        AffineTransform unrotated = labels.getTransform();
        float yTitleX = (float) Math.max(titleMetrics.getAscent(),
                plotLeft - TICK_LENGTH - 10 - widest - titleMetrics.getDescent());
        labels.rotate(-Math.PI / 2, yTitleX, (plotTop + plotBottom) / 2);
        labels.drawString(yTitle, yTitleX - titleMetrics.stringWidth(yTitle) / 2f, (float) (plotTop + plotBottom) / 2);
        labels.setTransform(unrotated);
        labels.dispose();
    }
}
