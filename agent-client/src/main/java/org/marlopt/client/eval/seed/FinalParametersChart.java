package org.marlopt.client.eval.seed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.marlopt.client.io.Charts;

/** The seed notebook's second figure: a bar per parameter with the target-average line. */
final class FinalParametersChart {

    private FinalParametersChart() {}

    /** @param targetAverage target / paramDim, the value every parameter takes in the oracle's solution */
    static void draw(float[] parameters, double targetAverage, Path file) throws IOException {
        double[] index = IntStream.range(0, parameters.length).asDoubleStream().toArray();
        double[] values = new double[parameters.length];
        double[] line = new double[parameters.length];
        double sum = 0;
        for (int i = 0; i < parameters.length; i++) {
            values[i] = parameters[i];
            line[i] = targetAverage;
            sum += parameters[i];
        }
        String title = String.format(Locale.ROOT, "Final Parameter Values (sum %.3f, target %.3f)", sum,
                targetAverage * parameters.length);
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT).title(title)
                .xAxisTitle("Parameter Index").yAxisTitle("Value").build();
        chart.addSeries("parameter", index, values);
        var target = chart.addSeries("target average", index, line);
        target.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        target.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        Charts.save(chart, file);
    }
}
