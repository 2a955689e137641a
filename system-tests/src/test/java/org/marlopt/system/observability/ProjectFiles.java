package org.marlopt.system.observability;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository files and packaged jars the observability tests check. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The repository root: the nearest directory above the working directory holding the compose file. */
    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("docker-compose.yml"))
                    && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no docker-compose.yml next to a pom.xml above " + dir);
    }

    static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing " + path);
        }
        return path;
    }

    /** A module's runnable jar; the reactor packages env-server and agent-client before system-tests. */
    static Path runnableJar(String module) {
        Path jar = root().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with"
                    + " `mvn -B -pl " + module + " -am package -DskipTests` (mvn verify at the root does it)");
        }
        return jar;
    }

    /** The java launcher of the JVM running the tests, for the child JVMs. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
