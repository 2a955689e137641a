package org.marlopt.system;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.system.byoa.Prerequisites;
import org.marlopt.system.support.EnvServerProcess;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * The Python package python/ (marlopt_env) against the packaged server: its unittest tests in the light form
 * (Debian's python3, no optional dependencies, straight from the checkout), then installed with
 * {@code pip install --no-build-isolation --no-index} (from a copy of python/) into a venv with Gymnasium and PettingZoo, where
 * PettingZoo's own parallel_api_test must pass. The venv is kept in target/ between runs, and the package is
 * installed again whenever its files change; when Gymnasium and PettingZoo cannot be installed (no package index
 * reachable), that test is skipped saying so.
 */
class PythonPackageTest {

    private static final Duration TESTS_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration PIP_TIMEOUT = Duration.ofMinutes(4);
    private static final Path VENV = ProjectFiles.root().resolve("system-tests/target/pettingzoo-venv");
    private static final Path VENV_PYTHON = VENV.resolve("bin/python");
    /** The digest of the package files last installed into the venv. */
    private static final Path INSTALLED_DIGEST = VENV.resolve("marlopt-env.sha256");
    private static final Path PACKAGE = ProjectFiles.root().resolve("python");
    /** The package files copied out of the checkout, so the build leaves nothing (build/, *.egg-info) there. */
    private static final Path PACKAGE_COPY = ProjectFiles.root().resolve("system-tests/target/marlopt-env-package");

    private static EnvServerProcess server;

    @BeforeAll
    static void startServer() throws IOException, InterruptedException {
        Prerequisites.requirePythonGrpc();
        server = EnvServerProcess.start();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void lightFormPassesWithoutOptionalDependencies() throws IOException, InterruptedException {
        ExternalCommand run = ExternalCommand.run(ProjectFiles.root(),
                Map.of("PYTHONPATH", "python", "MARLOPT_TEST_SERVER", server.target()), TESTS_TIMEOUT,
                Prerequisites.PYTHON, "-m", "unittest", "discover", "-s", "python/tests", "-p", "test_light.py", "-v");
        assertAll(
                () -> assertEquals(0, run.exitCode(), () -> describe(run)),
                () -> assertEquals("OK", run.lastLine(), () -> "every test ran and passed: " + describe(run)));
    }

    @Test
    void installedPettingZooFormPassesParallelApiTest() throws IOException, InterruptedException {
        requirePettingZooVenv();
        installPackageWhenChanged();
        ExternalCommand run = ExternalCommand.run(ProjectFiles.root(),
                Map.of("MARLOPT_TEST_SERVER", server.target(), "MARLOPT_TEST_INSTALLED", "1"), TESTS_TIMEOUT,
                VENV_PYTHON.toString(), "-m", "unittest", "discover", "-s", "python/tests", "-p", "test_pettingzoo.py", "-v");
        assertAll(
                () -> assertEquals(0, run.exitCode(), () -> describe(run)),
                () -> assertEquals("OK", run.lastLine(), () -> "every test ran (none skipped) and passed: " + describe(run)),
                () -> assertEquals(2, run.output().split("Passed Parallel API test", -1).length - 1,
                        () -> "parallel_api_test passes for both environments: " + describe(run)));
    }

    /** A venv seeing Debian's packages, with Gymnasium and PettingZoo from whatever index pip is configured with. */
    private static void requirePettingZooVenv() throws IOException, InterruptedException {
        if (Files.isExecutable(VENV_PYTHON) && ExternalCommand.run(Duration.ofSeconds(30), VENV_PYTHON.toString(), "-c",
                "from importlib.util import find_spec as f; exit(not (f('gymnasium') and f('pettingzoo')))")
                .exitCode() == 0) {
            return;
        }
        ExternalCommand venv = ExternalCommand.run(Duration.ofMinutes(1), Prerequisites.PYTHON, "-m", "venv",
                "--clear", "--system-site-packages", VENV.toString());
        assertEquals(0, venv.exitCode(), () -> "python3-venv is missing: run `bash scripts/install-test-deps.sh`\n"
                + venv.describe());
        ExternalCommand pip = pipInstall("gymnasium", "pettingzoo");
        Assumptions.assumeTrue(pip.exitCode() == 0, () -> "gymnasium and pettingzoo cannot be installed "
                + "on this machine (no package index pip is configured with has them), so the PettingZoo form is "
                + "not tested here; pip said: " + pip.lastLine());
    }

    /** pip install --no-index: nothing is downloaded, the build uses Debian's setuptools and wheel. */
    private static void installPackageWhenChanged() throws IOException, InterruptedException {
        List<Path> files = packageFiles();
        String digest = digest(files);
        if (Files.exists(INSTALLED_DIGEST) && Files.readString(INSTALLED_DIGEST).equals(digest)) {
            return;
        }
        copyPackage(files);
        ExternalCommand install = pipInstall("--no-build-isolation", "--no-index", PACKAGE_COPY.toString());
        assertEquals(0, install.exitCode(), () -> "the package installs offline with Debian's setuptools "
                + "(bash scripts/install-test-deps.sh): " + install.describe());
        Files.writeString(INSTALLED_DIGEST, digest);
    }

    /** pyproject.toml, README.md and marlopt_env/ (the proto link is a regular file here: it is followed). */
    private static List<Path> packageFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(PACKAGE.resolve("pyproject.toml"), PACKAGE.resolve("README.md")));
        try (Stream<Path> walk = Files.walk(PACKAGE.resolve("marlopt_env"))) {
            walk.filter(Files::isRegularFile).filter(file -> !file.toString().contains("__pycache__")).sorted()
                    .forEach(files::add);
        }
        return files;
    }

    private static void copyPackage(List<Path> files) throws IOException {
        if (Files.exists(PACKAGE_COPY)) {
            try (Stream<Path> walk = Files.walk(PACKAGE_COPY)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        for (Path file : files) {
            Path copy = PACKAGE_COPY.resolve(PACKAGE.relativize(file));
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
        }
    }

    /** SHA-256 over the files' paths and contents. */
    private static String digest(List<Path> files) throws IOException {
        MessageDigest sha256 = sha256();
        for (Path file : files) {
            sha256.update(PACKAGE.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            sha256.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** pip install into the venv; with no retries, pip gives up on an unreachable index at once. */
    private static ExternalCommand pipInstall(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(VENV_PYTHON.toString(), "-m", "pip", "install", "-q",
                "--disable-pip-version-check", "--retries", "0", "--timeout", "10"));
        command.addAll(List.of(args));
        return ExternalCommand.run(PIP_TIMEOUT, command.toArray(String[]::new));
    }

    private static String describe(ExternalCommand run) {
        return run.describe() + "\n--- env server log ---\n" + server.logTail();
    }
}
