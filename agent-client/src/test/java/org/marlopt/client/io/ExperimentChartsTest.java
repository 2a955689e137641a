package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.marlopt.client.io.ExperimentCharts.Curve;
import org.marlopt.client.io.ExperimentCharts.Interval;
import org.marlopt.client.io.ExperimentCharts.Level;
import org.marlopt.client.io.ExperimentCharts.Profile;

class ExperimentChartsTest {

    static final double[] STEPS = {0, 25_000, 50_000, 75_000, 100_000};

    @TempDir
    Path dir;

    @Test
    void sampleEfficiencyWritesAPngOfTheChartsSize() throws IOException {
        Path file = dir.resolve("sample_efficiency.png");
        ExperimentCharts.sampleEfficiency("t", List.of(flat("a", 0.5, 0.2, 0.8), flat("b", 0.7, 0.6, 0.8)),
                List.of(new Level("greedy", 0.4, 0.35, 0.45)), file);
        assertSize(file, ExperimentCharts.WIDTH, ExperimentCharts.HEIGHT);
    }

    @Test
    void sampleEfficiencyShadesTheBandBetweenLowAndHigh() {
        XYChart chart = ExperimentCharts.sampleEfficiencyChart(List.of(flat("a", 0.5, 0.2, 0.8)), List.of());
        assertBand(chart, 37_000, 0.33, 0.93);
    }

    @Test
    void sampleEfficiencyDrawsDegenerateCurvesAndFitsScoresOutsideZeroToOne() {
        Curve onePoint = new Curve("one point", new double[] {47_000}, new double[] {0.5}, new double[] {0.4},
                new double[] {0.6});
        Curve noWidth = flat("no width", 0.3, 0.3, 0.3);
        Curve withNaN = new Curve("with NaN", STEPS, new double[] {0.1, Double.NaN, 1.4, 1.2, -0.3},
                new double[] {0, 0.1, Double.NaN, 1.1, -0.4}, new double[] {0.2, 0.3, 1.5, 1.3, -0.2});
        XYChart chart = ExperimentCharts.sampleEfficiencyChart(List.of(onePoint, noWidth, withNaN),
                List.of(new Level("undefined", Double.NaN, Double.NaN, Double.NaN)));
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        assertNotEquals(chart.getStyler().getPlotBackgroundColor(), pixel(image, chart, 47_000, 0.43),
                "the lone point's interval shows as a bar");
        assertTrue(chart.getScreenYFromChart(1.5) > 0, "the axis reaches up to the highest score");
        assertTrue(chart.getScreenYFromChart(-0.4) < ExperimentCharts.HEIGHT, "and down to the lowest");
    }

    @Test
    void intervalsWritesAPanelPerAggregateBesideTheRowsNames() throws IOException {
        Path file = dir.resolve("intervals.png");
        ExperimentCharts.intervals("t", aggregates(), file);
        assertSize(file, IntervalChart.labelColumnWidth(List.of("a", "b", "c")) + 4 * IntervalChart.PANEL_WIDTH,
                IntervalChart.TITLE_HEIGHT + IntervalChart.panelHeight(3));
    }

    @Test
    void intervalsDrawABarOverTheIntervalWithTheFirstAlgorithmOnTop() {
        XYChart panel = IntervalChart.panels(aggregates()).get(0);
        BufferedImage image = BitmapEncoder.getBufferedImage(panel);
        // "a" (value 0.5, from 0.4 to 0.6) is the top row, 2 of rows 0 to 2.
        Color bar = pixel(image, panel, 0.45, 2);
        assertNotEquals(panel.getStyler().getPlotBackgroundColor(), bar);
        assertNotEquals(Color.BLACK, bar);
        assertEquals(panel.getStyler().getPlotBackgroundColor(), pixel(image, panel, 0.45, 0),
                "c's row has no bar at 0.45");
    }

    @Test
    void performanceProfilesWritesAPngOfTheChartsSize() throws IOException {
        Path file = dir.resolve("profiles.png");
        ExperimentCharts.performanceProfiles("t", List.of(profile("a"), profile("b")), file);
        assertSize(file, ExperimentCharts.WIDTH, ExperimentCharts.HEIGHT);
    }

    @Test
    void performanceProfilesShadeTheBand() {
        XYChart chart = ExperimentCharts.performanceProfilesChart("t", List.of(profile("a")));
        assertBand(chart, 0.37, 0.73, 0.97);
    }

    @Test
    void aProfileWithNoFiniteValueIsLeftOut() {
        double[] unknown = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Profile failed = new Profile("failed", new double[] {0, 0.25, 0.5, 0.75, 1}, unknown, unknown, unknown);
        XYChart chart = ExperimentCharts.performanceProfilesChart("t", List.of(failed, profile("a")));
        assertEquals(List.of("a CI", "a"), List.copyOf(chart.getSeriesMap().keySet()));
        assertRefused("profiles", () -> ExperimentCharts.performanceProfilesChart("t", List.of(failed)));
    }

    @Test
    void anAlgorithmHasOneColourWhateverTheOrderAndTheOthersDiffer() {
        AlgorithmColors one = new AlgorithmColors(List.of("qmix", "mappo", "ippo"));
        AlgorithmColors other = new AlgorithmColors(List.of("mappo", "ippo", "qmix", "mappo"));
        assertEquals(one.of("mappo"), other.of("mappo"));
        assertEquals(3, one.sorted().stream().map(one::of).distinct().count());
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() {
        Path file = dir.resolve("x.png");
        assertRefused("curves", () -> ExperimentCharts.sampleEfficiency("t", List.of(), List.of(), file));
        assertRefused("curves", () -> ExperimentCharts.sampleEfficiency("t",
                List.of(flat("a", Double.NaN, 0, 1)), List.of(), file));
        assertRefused("byAggregate", () -> ExperimentCharts.intervals("t", new LinkedHashMap<>(), file));
        LinkedHashMap<String, List<Interval>> emptyIqm = aggregates();
        emptyIqm.put("IQM", List.of());
        assertRefused("byAggregate[\"IQM\"]", () -> ExperimentCharts.intervals("t", emptyIqm, file));
        assertRefused("profiles", () -> ExperimentCharts.performanceProfiles("t", List.of(), file));
        assertRefused("curve a", () -> new Curve("a", STEPS, new double[1], new double[1], new double[1]));
        assertRefused("profile a", () -> new Profile("a", new double[2], new double[2], new double[2], null));
    }

    /** A curve at {@code iqm} over {@link #STEPS}, its CI from {@code low} to {@code high}. */
    static Curve flat(String algorithm, double iqm, double low, double high) {
        return new Curve(algorithm, STEPS, filled(iqm), filled(low), filled(high));
    }

    static Profile profile(String algorithm) {
        double[] tau = {0, 0.25, 0.5, 0.75, 1};
        double[] fraction = {1, 0.9, 0.75, 0.4, 0.1};
        return new Profile(algorithm, tau, fraction, Arrays.stream(fraction).map(f -> f - 0.2).toArray(),
                Arrays.stream(fraction).map(f -> Math.min(1, f + 0.05)).toArray());
    }

    static LinkedHashMap<String, List<Interval>> aggregates() {
        LinkedHashMap<String, List<Interval>> byAggregate = new LinkedHashMap<>();
        for (String aggregate : List.of("Median", "IQM", "Mean", "Optimality gap")) {
            byAggregate.put(aggregate, List.of(new Interval("c", 0.8, 0.75, 0.85), new Interval("a", 0.5, 0.4, 0.6),
                    new Interval("b", 0.7, 0.7, 0.7)));
        }
        return byAggregate;
    }

    static double[] filled(double value) {
        double[] values = new double[STEPS.length];
        Arrays.fill(values, value);
        return values;
    }

    /** Inside the band (at {@code x}, {@code inside}) neither background nor line colour; outside, background. */
    static void assertBand(XYChart chart, double x, double inside, double outside) {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        Color background = chart.getStyler().getPlotBackgroundColor();
        Color band = pixel(image, chart, x, inside);
        assertNotEquals(background, band, "the band is drawn");
        assertNotEquals(chart.getSeriesMap().get("a").getLineColor(), band, "the band is lighter than its line");
        assertEquals(background, pixel(image, chart, x, outside), "nothing is drawn outside the band");
    }

    static Color pixel(BufferedImage image, XYChart chart, double x, double y) {
        return new Color(image.getRGB((int) Math.round(chart.getScreenXFromChart(x)),
                (int) Math.round(chart.getScreenYFromChart(y))));
    }

    static void assertSize(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
    }

    static void assertRefused(String argument, Executable call) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, call);
        assertTrue(refused.getMessage().contains(argument), refused.getMessage());
    }
}
