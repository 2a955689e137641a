package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * docker-compose.yml as Compose itself resolves it. No Docker engine runs here, but `docker-compose config`
 * validates the file against the Compose schema and prints the resolved model.
 */
final class ComposeConfig {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ComposeConfig() {
    }

    /** The resolved file, with {@code environment} added to the variables Compose interpolates. */
    static JsonNode resolve(Map<String, String> environment) throws Exception {
        ExternalCommand command = ExternalCommand.run(ProjectFiles.root(), environment, TIMEOUT,
                "docker-compose", "-f", "docker-compose.yml", "config");
        assertEquals(0, command.exitCode(), "docker-compose config rejected docker-compose.yml: " + command.describe());
        return new YAMLMapper().readTree(command.output());
    }

    static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }
}
