package org.marlopt.system.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * bin/agent-client, the README's way to run the client: it starts the packaged jar with the
 * class-data archive the build wrote beside it, passes arguments and exit codes through, and
 * never lets a stale or foreign archive show in the output.
 */
class AgentClientLauncherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String VERSION_LINE = "agent-client ";

    @Test
    void startsTheJarWithTheArchiveTheBuildWrote() throws Exception {
        Path jar = ProjectFiles.runnableJar("agent-client");
        assertTrue(Files.isRegularFile(archiveOf(jar)), "the build writes " + archiveOf(jar));
        // JAVA_OPTS comes last: the JVM's own CDS log, off in the launcher, says which archive it mapped
        ExternalCommand run = launch(Map.of("JAVA_OPTS", "-Xshare:on -Xlog:cds=info"), "--version");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Opened archive " + archiveOf(jar) + "."), run.output());
        assertTrue(run.output().contains("Mapped dynamic region"), run.output());
        assertTrue(run.output().contains(VERSION_LINE), run.output());
    }

    @Test
    void anArchiveOlderThanItsJarIsLeftOut(@TempDir Path dir) throws Exception {
        Path jar = copyWithArchive(dir);
        Files.setLastModifiedTime(archiveOf(jar), FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        // with the archive given, -Xshare:on would fail: the launcher must not have given it
        ExternalCommand run = launch(Map.of("AGENT_CLIENT_JAR", jar.toString(), "JAVA_OPTS", "-Xshare:on"),
                "--version");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().startsWith(VERSION_LINE), run.output());
    }

    @Test
    void anArchiveOfAnotherJarIsRefusedQuietly(@TempDir Path dir) throws Exception {
        Path jar = copyWithArchive(dir); // the archive names the original jar's path: the JVM refuses it
        ExternalCommand run = launch(Map.of("AGENT_CLIENT_JAR", jar.toString()), "--version");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(1, run.output().lines().count(), "only the version, no JVM warning: " + run.output());
        assertTrue(run.output().startsWith(VERSION_LINE), run.output());
    }

    @Test
    void passesArgumentsAndTheExitCodeThrough() throws Exception {
        ExternalCommand run = launch(Map.of(), "train", "--episodes", "zero");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("--episodes"), run.output());
    }

    @Test
    void aMissingJarSaysHowToBuildIt(@TempDir Path dir) throws Exception {
        ExternalCommand run = launch(Map.of("AGENT_CLIENT_JAR", dir.resolve("agent-client.jar").toString()),
                "--version");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("mvn -B -q package -DskipTests"), run.output());
    }

    private static ExternalCommand launch(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = ProjectFiles.file("bin/agent-client").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Map<String, String> withJdk = new java.util.HashMap<>(environment);
        withJdk.put("JAVA_HOME", System.getProperty("java.home"));
        return ExternalCommand.run(ProjectFiles.root(), withJdk, TIMEOUT, command);
    }

    /** A copy of the packaged jar and, written after it, a copy of its archive, in {@code dir}. */
    private static Path copyWithArchive(Path dir) throws IOException {
        Path original = ProjectFiles.runnableJar("agent-client");
        Path jar = Files.copy(original, dir.resolve("agent-client.jar"));
        Path archive = Files.copy(archiveOf(original), archiveOf(jar));
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1_000));
        return jar;
    }

    private static Path archiveOf(Path jar) {
        return jar.resolveSibling(jar.getFileName().toString().replace(".jar", ".jsa"));
    }
}
