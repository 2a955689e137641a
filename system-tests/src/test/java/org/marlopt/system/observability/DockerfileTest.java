package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.marlopt.system.support.ProjectFiles;

/**
 * docker/Dockerfile, read statically (no Docker engine runs here): the build context has what it copies,
 * the dependency layer sees the whole reactor, and compose builds stages that exist.
 */
class DockerfileTest {

    private static final String DOCKERFILE = "docker/Dockerfile";
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void buildsWithMavenOnTemurin17AndShipsOnAJre() throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> stageBases = new LinkedHashMap<>();
        for (String instruction : instructions()) {
            String[] words = instruction.split("\\s+");
            if (words[0].equals("ARG") && words[1].contains("=")) {
                args.put(words[1].substring(0, words[1].indexOf('=')), words[1].substring(words[1].indexOf('=') + 1));
            } else if (words[0].equals("FROM")) {
                stageBases.put(words[3], resolveArgs(words[1], args));
            }
        }

        assertAll(
                () -> assertTrue(stageBases.get("build").matches("maven:3\\.9\\.\\d+-eclipse-temurin-17"),
                        "build stage image " + stageBases.get("build")),
                () -> assertTrue(stageBases.get("runtime").matches("eclipse-temurin:17\\.[0-9._]+-jre(-\\w+)?"),
                        "runtime stage image " + stageBases.get("runtime")),
                () -> assertEquals("runtime", stageBases.get("env-server")),
                () -> assertEquals("runtime", stageBases.get("agent-client")));
    }

    @Test
    void composeBuildsTheDockerfileStagesNamedAfterItsServices() throws IOException {
        JsonNode services = new YAMLMapper().readTree(ProjectFiles.file("docker-compose.yml").toFile())
                .path("services");
        Set<String> stages = instructions().stream().filter(i -> i.startsWith("FROM "))
                .map(i -> i.split("\\s+")[3]).collect(Collectors.toSet());

        for (String service : List.of("env-server", "agent-client")) {
            JsonNode build = services.path(service).path("build");
            assertEquals(DOCKERFILE, build.path("dockerfile").asText(), service + " dockerfile");
            assertEquals(".", build.path("context").asText(), service + " build context");
            assertEquals(service, build.path("target").asText(), service + " build target");
            assertTrue(stages.contains(service), "no stage " + service + " in " + stages);
        }
    }

    /** Maven refuses to load a reactor whose module poms are missing, so the dependency layer copies all. */
    @Test
    void dependencyLayerCopiesEveryReactorPomBeforeTheFirstMavenRun() throws IOException {
        List<String> instructions = instructions();
        int firstMavenRun = indexOf(instructions, i -> i.startsWith("RUN") && i.contains(" mvn "));
        List<String> copiedBefore = instructions.subList(0, firstMavenRun).stream()
                .filter(i -> i.startsWith("COPY ")).map(i -> i.split("\\s+")[1]).toList();
        List<String> reactorPoms = new ArrayList<>(List.of("pom.xml"));
        Matcher module = MODULE.matcher(Files.readString(ProjectFiles.file("pom.xml")));
        while (module.find()) {
            reactorPoms.add(module.group(1) + "/pom.xml");
        }

        assertEquals(reactorPoms.stream().sorted().toList(), copiedBefore.stream().sorted().toList(),
                "poms copied before the first mvn run");
        assertTrue(copiedBefore.stream().allMatch(path -> path.endsWith("pom.xml")),
                "only poms before the dependency layer, so source edits keep it cached: " + copiedBefore);
    }

    @Test
    void everyCopiedPathExistsAndIsInTheBuildContext() throws IOException {
        List<String> ignored = Files.readAllLines(ProjectFiles.file(".dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        List<Executable> checks = new ArrayList<>();
        for (String instruction : instructions()) {
            String[] words = instruction.split("\\s+");
            if (!words[0].equals("COPY") || words[1].startsWith("--from=")) {
                continue;
            }
            for (int i = 1; i < words.length - 1; i++) {
                String source = words[i];
                Path path = ProjectFiles.root().resolve(source);
                checks.add(() -> assertTrue(Files.exists(path), DOCKERFILE + " copies missing " + source));
                checks.add(() -> assertTrue(ignored.stream().noneMatch(
                                pattern -> source.equals(pattern) || source.startsWith(pattern + "/")),
                        ".dockerignore excludes " + source + " which " + DOCKERFILE + " copies"));
            }
        }
        assertTrue(checks.size() >= 2 * 8, "expected the poms and sources to be copied");
        assertAll(checks);
    }

    @Test
    void healthCheckRunsTheJarTheEnvServerImageShips() throws IOException {
        List<String> instructions = instructions();
        int envServerStage = indexOf(instructions, i -> i.matches("FROM \\S+ AS env-server"));
        String jarCopy = instructions.stream().skip(envServerStage)
                .filter(i -> i.startsWith("COPY --from=build")).findFirst().orElseThrow();
        String shippedJar = jarCopy.split("\\s+")[3];
        List<String> probe = new ArrayList<>();
        new YAMLMapper().readTree(ProjectFiles.file("docker-compose.yml").toFile()).path("services")
                .path("env-server").path("healthcheck").path("test").forEach(word -> probe.add(word.asText()));

        assertTrue(probe.contains(shippedJar), "the health check " + probe + " runs " + shippedJar);
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    private static List<String> instructions() throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(ProjectFiles.file(DOCKERFILE))) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = stripped.endsWith("\\");
            current.append(continues ? stripped.substring(0, stripped.length() - 1) : stripped).append(' ');
            if (!continues) {
                instructions.add(current.toString().strip().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static String resolveArgs(String value, Map<String, String> args) {
        Matcher reference = Pattern.compile("\\$\\{(\\w+)}").matcher(value);
        return reference.replaceAll(match -> Matcher.quoteReplacement(args.getOrDefault(match.group(1), "")));
    }

    private static int indexOf(List<String> instructions, Predicate<String> test) {
        for (int i = 0; i < instructions.size(); i++) {
            if (test.test(instructions.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no matching instruction in " + DOCKERFILE);
    }
}
