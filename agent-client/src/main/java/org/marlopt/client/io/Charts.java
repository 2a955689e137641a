package org.marlopt.client.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The run's learning curve, and the PNG rendering every chart shares (headless). */
public final class Charts {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 500;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** The team's episode return and its trailing moving average over {@code window} episodes. */
    public static void learningCurve(double[] returns, int window, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Learning Curve")
                .xAxisTitle("Episode").yAxisTitle("Team return (mean over agents and copies)").build();
        double[] episodes = IntStream.range(0, returns.length).asDoubleStream().toArray();
        XYSeries raw = chart.addSeries("return", episodes, returns);
        raw.setMarker(SeriesMarkers.NONE);
        XYSeries average = chart.addSeries("moving average (" + window + ")", episodes, movingAverage(returns, window));
        average.setMarker(SeriesMarkers.NONE);
        save(chart, file);
    }

    /** Renders {@code chart} to {@code file} as PNG. */
    public static void save(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
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
}
