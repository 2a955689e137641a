package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * The compose files as Compose itself resolves them. No Docker engine runs here, but `docker-compose config`
 * validates the files against the Compose schema and prints the resolved model.
 *
 * <p>Compose runs in an environment of its own: only PATH, HOME and the variables a test names, and an empty
 * env file instead of a developer's .env, so what the files require is what the tests see.
 */
final class ComposeConfig {

    /** The stack alone, and the stack with TLS and tokens (docker-compose.secure.yml on top). */
    static final List<String> PLAIN = List.of("docker-compose.yml");
    static final List<String> SECURE = List.of("docker-compose.yml", "docker-compose.secure.yml");
    static final List<List<String>> FILE_SETS = List.of(PLAIN, SECURE);

    /** The Grafana admin password the tests start the stack with; the files have no default. */
    static final String PASSWORD_VARIABLE = "GRAFANA_ADMIN_PASSWORD";
    static final String TEST_PASSWORD = "test-only-grafana-password";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Map<List<String>, JsonNode> RESOLVED = new ConcurrentHashMap<>();

    private ComposeConfig() {
    }

    /** {@code files} resolved with the test password and nothing else set; resolved once per test run. */
    static JsonNode resolve(List<String> files) throws Exception {
        JsonNode config = RESOLVED.get(files);
        if (config == null) {
            config = resolve(files, Map.of(PASSWORD_VARIABLE, TEST_PASSWORD));
            RESOLVED.put(files, config);
        }
        return config.deepCopy();
    }

    /** {@code files} resolved with exactly {@code environment} set; fails when Compose rejects them. */
    static JsonNode resolve(List<String> files, Map<String, String> environment) throws Exception {
        ExternalCommand command = config(files, environment);
        assertEquals(0, command.exitCode(), "docker-compose config rejected " + files + ": " + command.describe());
        return new YAMLMapper().readTree(command.output());
    }

    /** `docker-compose config` of {@code files}, with exactly {@code environment} set. */
    static ExternalCommand config(List<String> files, Map<String, String> environment) throws Exception {
        ExternalCommand.requireOnPath("docker-compose");
        Path emptyEnvFile = Files.createTempFile("compose", ".env");
        try {
            List<String> command = new ArrayList<>(List.of("env", "-i"));
            Map<String, String> variables = new TreeMap<>(environment);
            for (String inherited : List.of("PATH", "HOME")) {
                variables.putIfAbsent(inherited, System.getenv().getOrDefault(inherited, ""));
            }
            variables.forEach((name, value) -> command.add(name + "=" + value));
            command.addAll(List.of("docker-compose", "--env-file", emptyEnvFile.toString()));
            files.forEach(file -> command.addAll(List.of("-f", file)));
            command.add("config");
            return ExternalCommand.run(ProjectFiles.root(), Map.of(), TIMEOUT, command.toArray(String[]::new));
        } finally {
            Files.deleteIfExists(emptyEnvFile);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }
}
