package org.marlopt.client.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment file: its shapes, its defaults, and an error naming the entry and the fix for each mistake. */
class ExperimentConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryShapeOfEntryFromYamlAndJson() throws IOException {
        Path yaml = dir.resolve("grid.yaml");
        Files.writeString(yaml, """
                seeds: [1, 2]
                environments:
                  - ResourceShare-v1
                  - id: LoadBalance-v1
                    params: {routing: weighted_round_robin, epoch: 25}
                algorithms:
                  - mappo
                  - name: matd3
                    settings: {numEnvs: 16}
                  - classical: best
                  - classical: power-of-two
                    settings: {d: 3}
                overrides:
                  matd3@LoadBalance-v1: {episodes: 7}
                """);
        ExperimentConfig config = ExperimentConfig.read(yaml);
        assertEquals("grid", config.name(), "the file's name when the config gives none");
        assertEquals(1, config.workers());
        assertEquals("LoadBalance-v1[epoch=25,routing=weighted_round_robin]", config.environments().get(1).label());
        assertEquals(Map.of("epoch", "25", "routing", "weighted_round_robin"), config.environments().get(1).params());
        assertEquals(List.of("mappo", "matd3", "best-classical", "power-of-two"),
                config.algorithms().stream().map(ExperimentConfig.Algorithm::label).toList());
        assertTrue(config.algorithms().get(3).classical());
        assertEquals(Map.of("episodes", 7), config.overridesFor(config.algorithms().get(1),
                config.environments().get(1)));

        Path json = dir.resolve("grid.json");
        Files.writeString(json, "{\"name\": \"j\", \"seeds\": [3], \"workers\": 2, \"environments\": "
                + "[{\"id\": \"ResourceShare-v1\", \"label\": \"rs\"}], \"algorithms\": [\"reward-gradient\"]}");
        ExperimentConfig fromJson = ExperimentConfig.read(json);
        assertEquals("rs", fromJson.environments().get(0).label());
        assertEquals(2, fromJson.workers());
    }

    @Test
    void everyMistakeIsNamedWithItsFix() {
        assertError("unknown key in the top level", "seeds: [1]\nenvironment: []\nalgorithms: [mappo]");
        assertError("seeds: must be a list", "environments: [ResourceShare-v1]\nalgorithms: [mappo]");
        assertError("unknown algorithm", "seeds: [1]\nenvironments: [ResourceShare-v1]\nalgorithms: [mapo]");
        assertError("'- classical: NAME'", "seeds: [1]\nenvironments: [ResourceShare-v1]\nalgorithms: [mapo]");
        assertError("under the environment's params", """
                seeds: [1]
                settings: {param.max_episode_steps: 10}
                environments: [ResourceShare-v1]
                algorithms: [mappo]""");
        assertError("'seed' is set by the grid", """
                seeds: [1]
                environments: [ResourceShare-v1]
                algorithms: [{name: mappo, settings: {seed: 3}}]""");
        assertError("must be named ALGO@ENV", """
                seeds: [1]
                environments: [ResourceShare-v1]
                algorithms: [mappo]
                overrides: {mappo@LoadBalance-v1: {episodes: 3}}""");
        assertError("appears twice", "seeds: [1]\nenvironments: [ResourceShare-v1, ResourceShare-v1]\n"
                + "algorithms: [mappo]");
        assertError("settings are numbers", """
                seeds: [1]
                environments: [ResourceShare-v1]
                algorithms: [{classical: best, settings: {step_size: fast}}]""");
        assertError("workers: must be > 0", "seeds: [1]\nworkers: 0\nenvironments: [ResourceShare-v1]\n"
                + "algorithms: [mappo]");
    }

    private static void assertError(String expected, String yaml) {
        var e = assertThrows(IllegalArgumentException.class, () -> ExperimentJobTest.config(yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
