package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurveFigureTest {

    @TempDir
    Path run;

    @Test
    void theTitleNamesRunAlgorithmEnvironmentAndSeed() throws IOException {
        LearningCurveFigure.Run config = LearningCurveFigure.Run.of(Json.MAPPER.readTree(config("solved")));
        assertEquals("run-7: mappo on Toy-v0, seed 7", config.title());
        assertEquals("solved", config.successColumn());
        assertEquals(50, config.window());
    }

    @Test
    void writesAReturnAndASuccessPanelWithTheEvaluations() throws IOException {
        writeRun("solved");
        Path file = run.resolve("learning_curve.png");
        LearningCurveFigure.draw(run, file);
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals(PanelFigure.LEFT + LearningCurveFigure.WIDTH + PanelFigure.RIGHT, png.getWidth());
        assertEquals(PanelFigure.TITLE_HEIGHT + 2 * LearningCurveFigure.PANEL_HEIGHT + PanelFigure.BOTTOM,
                png.getHeight(), "two panels over one x axis");
        assertTrue(Files.size(file) > 20_000, Files.size(file) + " bytes");
    }

    @Test
    void anEnvironmentWithoutSuccessOrScoreGetsTheReturnPanelOnly() throws IOException {
        writeRun(null);
        Path file = run.resolve("learning_curve.png");
        LearningCurveFigure.draw(run, file);
        assertEquals(PanelFigure.TITLE_HEIGHT + LearningCurveFigure.PANEL_HEIGHT + PanelFigure.BOTTOM,
                ImageIO.read(file.toFile()).getHeight());
    }

    @Test
    void aReturnThatNeverMovesStillGetsAnAxis() throws IOException {
        writeRun(null);
        List<String> lines = Files.readAllLines(run.resolve("episodes.csv"));
        List<String> flat = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 0; i < 3; i++) {
            flat.add(i + ",-39.3767,1,-39.3767,0.001,5," + 96 * (i + 1) + ",0.1");
        }
        Files.write(run.resolve("episodes.csv"), flat);
        Files.delete(run.resolve("evaluations.csv"));
        Files.delete(run.resolve("evaluation.json"));
        Path file = run.resolve("learning_curve.png");
        LearningCurveFigure.draw(run, file);
        assertTrue(Files.size(file) > 5_000);
    }

    @Test
    void aFractionsSpreadIsItsWilsonInterval() {
        assertArrayEquals(new double[] {0.3363, 0.6637}, LearningCurveFigure.wilson(0.5, 32), 1e-4);
        assertArrayEquals(new double[] {0.99617, 1}, LearningCurveFigure.wilson(1, 1000), 1e-5);
    }

    /** 300 rounds of 96 env steps: returns rising from -5 towards 0, success from 0 towards 1. */
    private void writeRun(String successKey) throws IOException {
        Files.writeString(run.resolve("config.json"), config(successKey));
        List<String> episodes = new ArrayList<>();
        episodes.add("episode,return,length" + (successKey == null ? "" : "," + successKey)
                + ",return_a,learning_rate,steps,env_steps,wall_time_s");
        for (int i = 0; i < 300; i++) {
            double progress = 1 - Math.exp(-i / 60.0);
            double noise = 0.1 * Math.sin(i * 1.7);
            double ret = -5 * (1 - progress) - 0.02 + 0.01 * noise;
            episodes.add(String.format(Locale.ROOT, "%d,%.6g,1%s,%.6g,0.001,5,%d,%.3f", i, ret,
                    successKey == null ? "" : String.format(Locale.ROOT, ",%.4f", Math.min(1, progress + noise)),
                    ret, 96 * (i + 1), 0.1 * i));
        }
        Files.write(run.resolve("episodes.csv"), episodes);
        List<String> evaluations = new ArrayList<>(List.of(EvaluationCsv.HEADER));
        for (int round = 50; round <= 300; round += 50) {
            double progress = 1 - Math.exp(-round / 60.0);
            evaluations.add(String.format(Locale.ROOT, "%d,%d,1.0,%.4f,%s,,1,", round, 96 * round,
                    -5 * (1 - progress), successKey == null ? "" : String.format(Locale.ROOT, "%.4f", progress)));
        }
        Files.write(run.resolve("evaluations.csv"), evaluations);
        Files.writeString(run.resolve("evaluation.json"), "{\"episodes\": 4, \"mean_return\": -0.03, "
                + "\"success_rate\": 0.75, \"episode_returns\": [-0.01, -0.02, -0.03, -0.06]}");
    }

    private static String config(String successKey) {
        return "{\"run_id\": \"run-7\", \"algorithm\": \"mappo\", \"config\": {\"envId\": \"Toy-v0\", \"seed\": 7, "
                + "\"movingAverageWindow\": 50, \"evalEveryEpisodes\": 32}, \"provenance\": {\"training_session\": "
                + "{\"success_key\": " + (successKey == null ? "null" : "\"" + successKey + "\"")
                + ", \"score_key\": null}}}";
    }
}
