package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.io.ParametersFigure.Parameters;

class ParametersFigureTest {

    static final Parameters TWO_AGENTS = new Parameters(new float[] {0.5f, 1, -0.25f, 1, 0.75f, 1}, List.of("a", "b"),
            3, 0.1);

    @Test
    void eachAgentContributesTheSumOfItsOwnBlock() {
        assertArrayEquals(new double[] {1.25, 2.75}, TWO_AGENTS.contributions(), 1e-6);
        assertEquals(4, TWO_AGENTS.sum(), 1e-6);
    }

    @Test
    void barsAreGroupedByOwnerWithAGapBetweenGroups() {
        assertArrayEquals(new double[] {0, 1, 2, 4, 5, 6}, java.util.stream.IntStream.range(0, 6)
                .mapToDouble(i -> ParametersFigure.position(TWO_AGENTS, i)).toArray());
    }

    @Test
    void parametersThatDoNotSplitIntoEqualBlocksAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Parameters(new float[5], List.of("a", "b"), 1, 0.1));
        assertTrue(e.getMessage().contains("5 parameters") && e.getMessage().contains("2 equal blocks"),
                e.getMessage());
    }

    @Test
    void writesTwoStackedPanels(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("final_parameters.png");
        ParametersFigure.draw("run", TWO_AGENTS, file);
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals(PanelFigure.LEFT + ParametersFigure.WIDTH + PanelFigure.RIGHT, png.getWidth());
        assertEquals(PanelFigure.TITLE_HEIGHT + 2 * (ParametersFigure.PANEL_HEIGHT + PanelFigure.BOTTOM),
                png.getHeight());
        assertTrue(Files.size(file) > 10_000, Files.size(file) + " bytes");
    }
}
