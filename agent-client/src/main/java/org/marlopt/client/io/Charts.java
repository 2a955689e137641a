package org.marlopt.client.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The run's two figures, as the seed notebook drew them, rendered headless to PNG. */
public final class Charts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 500;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Episode return and its trailing moving average over {@code window} episodes. */
    public static void learningCurve(double[] returns, int window, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Learning Curve")
                .xAxisTitle("Episode").yAxisTitle("Return (mean over copies)").build();
        double[] episodes = IntStream.range(0, returns.length).asDoubleStream().toArray();
        XYSeries raw = chart.addSeries("return", episodes, returns);
        raw.setMarker(SeriesMarkers.NONE);
        XYSeries average = chart.addSeries("moving average (" + window + ")", episodes, movingAverage(returns, window));
        average.setMarker(SeriesMarkers.NONE);
        save(chart, file);
    }

    /** Bar per parameter with the target-average line (target / paramDim). */
    public static void finalParameters(float[] parameters, double targetAverage, Path file) throws IOException {
        double[] index = IntStream.range(0, parameters.length).asDoubleStream().toArray();
        double[] values = new double[parameters.length];
        double[] line = new double[parameters.length];
        double sum = 0;
        for (int i = 0; i < parameters.length; i++) {
            values[i] = parameters[i];
            line[i] = targetAverage;
            sum += parameters[i];
        }
        String title = String.format(java.util.Locale.ROOT, "Final Parameter Values (sum %.3f, target %.3f)", sum,
                targetAverage * parameters.length);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("Parameter Index").yAxisTitle("Value").build();
        chart.addSeries("parameter", index, values);
        var target = chart.addSeries("target average", index, line);
        target.setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        target.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        save(chart, file);
    }

    static double[] movingAverage(double[] values, int window) {
        double[] average = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            if (i >= window) {
                sum -= values[i - window];
            }
            average[i] = sum / Math.min(i + 1, window);
        }
        return average;
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
