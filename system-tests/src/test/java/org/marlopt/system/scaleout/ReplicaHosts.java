package org.marlopt.system.scaleout;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.marlopt.system.support.ChildProcess;
import org.marlopt.system.support.ProjectFiles;

/**
 * N env-server replicas, each on a host of its own, behind one name.
 *
 * <p>Network namespaces (mode {@link Mode#NETNS}): one bridge in the host namespace holding
 * {@code 10.213.S.1/24}, and per replica a namespace joined to the bridge by a veth pair, its end inside
 * holding {@code 10.213.S.(11+i)/24}; S is a random subnet of 10.213/16 no interface uses. Every replica
 * runs as {@code ip netns exec NS java -jar env-server.jar --host 0.0.0.0 --port P --metrics-port M}, with
 * the same P and M everywhere (the hosts differ). The client JVMs stay in the host namespace and reach the
 * replicas over the bridge, as a trainer reaches remote machines. Names are unique per run
 * ({@code scaleout-RUN-i}, {@code soRUN...}).
 *
 * <p>Fallback (mode {@link Mode#LOOPBACK}) when namespaces are not available (not root, no {@code ip},
 * or {@code ip netns add} / the links fail): the replicas bind {@code 127.0.0.11}, {@code .12}, ... (Linux
 * routes all of 127/8 to lo), same P and M, as plain child processes. {@code -Dscaleout.mode=loopback}
 * forces it; {@code -Dscaleout.mode=netns} fails instead of falling back.
 *
 * <p>A hosts file maps {@link #NAME} to every replica's address; client JVMs get it with
 * {@code -Djdk.net.hosts.file=FILE} ({@link #clientJvmFlags()}), so {@code dns:///envs.scaleout.test:P}
 * resolves to all of them through the JDK resolver that grpc-java's default DNS resolver uses.
 *
 * <p>{@link #close()} stops the replicas and deletes the namespaces, links and files, also after a failed
 * start; a shutdown hook does the same if the test JVM exits first, and a start removes the namespaces
 * and bridges an earlier run left behind when that run's JVM is gone.
 */
public final class ReplicaHosts implements AutoCloseable {

    /** The one name that resolves to every replica. */
    public static final String NAME = "envs.scaleout.test";

    public enum Mode { NETNS, LOOPBACK }

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);
    private static final String PREFIX = "scaleout-";
    private static final Path OWNERS = Path.of(System.getProperty("java.io.tmpdir"), "marlopt-scaleout");
    private static final int NETNS_GRPC_PORT = 50051;
    private static final int NETNS_METRICS_PORT = 9464;

    /** One replica: its host's address, its namespace (null on loopback) and its process. */
    public static final class Replica {
        private final int index;
        private final String address;
        private final String namespace;
        private ChildProcess process;
        private long pid = -1;

        private Replica(int index, String address, String namespace) {
            this.index = index;
            this.address = address;
            this.namespace = namespace;
        }

        public int index() {
            return index;
        }

        public String address() {
            return address;
        }

        /** The network namespace it runs in, or null in loopback mode. */
        public String namespace() {
            return namespace;
        }

        public long pid() {
            return pid;
        }

        public boolean alive() {
            return process != null && process.exitCode().isEmpty();
        }

        public String logTail() {
            return process == null ? "(not started)" : process.logTail();
        }
    }

    private final Mode mode;
    private final String why;
    private final String runId;
    private final String bridge;
    private final String subnet;
    private final int port;
    private final int metricsPort;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<String> namespacesMade = new ArrayList<>();
    private final Path workDir;
    private final Path hostsFile;
    private final Thread cleanupOnExit;
    private boolean bridgeMade;
    private boolean closed;

    private ReplicaHosts(Mode mode, String why, int count, int port, int metricsPort, String subnet)
            throws IOException {
        this.mode = mode;
        this.why = why;
        this.runId = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        this.bridge = "so" + runId + "br";
        this.subnet = subnet;
        this.port = port;
        this.metricsPort = metricsPort;
        this.workDir = Files.createTempDirectory("scaleout-" + runId);
        this.hostsFile = workDir.resolve("hosts");
        for (int i = 0; i < count; i++) {
            String address = mode == Mode.NETNS ? subnet + "." + (11 + i) : "127.0.0." + (11 + i);
            replicas.add(new Replica(i, address, mode == Mode.NETNS ? PREFIX + runId + "-" + i : null));
        }
        this.cleanupOnExit = new Thread(this::cleanUp, "clean up scale-out hosts " + runId);
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * Starts {@code count} replicas (at most 200) with {@code extraServerFlags}, in namespaces when it can,
     * else on loopback addresses; returns once every one listens. Prints the mode and why.
     */
    public static ReplicaHosts start(int count, String... extraServerFlags) throws IOException, InterruptedException {
        if (count < 1 || count > 200) {
            throw new IllegalArgumentException("1 to 200 replicas, not " + count);
        }
        String wanted = System.getProperty("scaleout.mode", "auto");
        ReplicaHosts hosts = null;
        String fallbackReason = null;
        if (!wanted.equals("loopback")) {
            String unavailable = namespacesUnavailable();
            if (unavailable == null) {
                removeLeftovers();
                hosts = new ReplicaHosts(Mode.NETNS, "network namespaces available (root, ip netns)", count,
                        NETNS_GRPC_PORT, NETNS_METRICS_PORT, freeSubnet());
                try {
                    hosts.makeNamespaces();
                } catch (IOException | RuntimeException e) {
                    fallbackReason = "setting up namespaces failed: " + e.getMessage();
                    hosts.close();
                    hosts = null;
                }
            } else {
                fallbackReason = unavailable;
            }
            if (hosts == null && wanted.equals("netns")) {
                throw new IllegalStateException("-Dscaleout.mode=netns but " + fallbackReason);
            }
        } else {
            fallbackReason = "-Dscaleout.mode=loopback";
        }
        if (hosts == null) {
            int[] ports = freePortsOnAll(count);
            hosts = new ReplicaHosts(Mode.LOOPBACK, "fallback to loopback addresses: " + fallbackReason, count,
                    ports[0], ports[1], null);
        }
        try {
            hosts.writeHostsFile();
            hosts.startReplicas(extraServerFlags);
        } catch (IOException | RuntimeException | InterruptedException e) {
            hosts.close();
            throw e;
        }
        System.out.println("[scaleout] " + hosts.describe());
        return hosts;
    }

    public Mode mode() {
        return mode;
    }

    /** Which mode and why, with every replica's address and namespace, for the test output. */
    public String describe() {
        StringBuilder text = new StringBuilder("mode " + mode + " (" + why + "); " + NAME + " -> ");
        for (Replica replica : replicas) {
            text.append(replica.address).append(':').append(port)
                    .append(replica.namespace == null ? "" : " [netns " + replica.namespace + "]")
                    .append(replica.index + 1 < replicas.size() ? ", " : "");
        }
        return text.append("; metrics port ").append(metricsPort).append("; hosts file ").append(hostsFile)
                .toString();
    }

    public List<Replica> replicas() {
        return Collections.unmodifiableList(replicas);
    }

    public Replica replica(int index) {
        return replicas.get(index);
    }

    /** The gRPC port, the same on every replica. */
    public int port() {
        return port;
    }

    public int metricsPort() {
        return metricsPort;
    }

    /** {@code dns:///envs.scaleout.test:P}: the name every replica's address is behind. */
    public String dnsTarget() {
        return "dns:///" + NAME + ":" + port;
    }

    /** {@code a1:P,a2:P,...}: the static list form of --server. */
    public String staticTargets() {
        return String.join(",", replicas.stream().map(this::target).toList());
    }

    /** {@code address:P} of one replica. */
    public String target(Replica replica) {
        return replica.address + ":" + port;
    }

    public Path hostsFile() {
        return hostsFile;
    }

    /** The JVM flags that make a client JVM resolve {@link #NAME} through the hosts file. */
    public List<String> clientJvmFlags() {
        return List.of("-Djdk.net.hosts.file=" + hostsFile);
    }

    /** SIGKILL to one replica (the JVM itself: {@code ip netns exec} execs it), waiting until it is gone. */
    public void kill(int index) throws InterruptedException {
        Replica replica = replicas.get(index);
        ProcessHandle.of(replica.pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(replica.pid).ifPresent(handle -> handle.onExit().join());
        System.out.println("[scaleout] SIGKILL replica " + index + " (" + replica.address + ", pid " + replica.pid
                + ")");
    }

    /** The replica's /metrics text, read over HTTP from the host namespace. */
    public String metricsText(int index) throws IOException {
        URL url = new URL("http://" + replicas.get(index).address + ":" + metricsPort + "/metrics");
        HttpURLConnection connection = (HttpURLConnection) url.openConnection(java.net.Proxy.NO_PROXY);
        connection.setConnectTimeout(3000);
        connection.setReadTimeout(10000);
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    /**
     * The replica's env steps ({@code marl_env_steps_total}, from env-server's EnvServerMetrics: a batched
     * Step counts each of its copies), summed over every environment.
     */
    public double envSteps(int index) throws IOException {
        return sum(metricsText(index), "marl_env_steps_total");
    }

    /**
     * Seconds the replica spent handling Step calls ({@code marl_env_step_latency_seconds_sum}, the
     * server-side Step timer), summed over every environment.
     */
    public double stepSeconds(int index) throws IOException {
        return sum(metricsText(index), "marl_env_step_latency_seconds_sum");
    }

    /** Every replica's env steps, in replica order (NaN for a replica that does not answer). */
    public double[] envStepsOfAll() {
        double[] steps = new double[replicas.size()];
        for (int i = 0; i < steps.length; i++) {
            try {
                steps[i] = envSteps(i);
            } catch (IOException e) {
                steps[i] = Double.NaN;
            }
        }
        return steps;
    }

    /**
     * Polls the replicas' step counters until, together, they counted {@code steps} more than
     * {@code baseline} (replicas that do not answer count as their baseline); returns the counts then.
     * The counters move with every Step, so this says how far a run is better than its buffered CSV.
     *
     * @throws AssertionError when {@code stillRunning} turns false or the time passes first
     */
    public double[] awaitStepsSince(double[] baseline, double steps, Duration timeout,
            java.util.function.BooleanSupplier stillRunning) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double done = 0;
        while (System.nanoTime() < deadline) {
            double[] now = envStepsOfAll();
            done = 0;
            for (int i = 0; i < now.length; i++) {
                done += Double.isNaN(now[i]) ? 0 : now[i] - baseline[i];
            }
            if (done >= steps) {
                return now;
            }
            if (!stillRunning.getAsBoolean()) {
                throw new AssertionError("the run ended after " + done + " of the " + steps + " steps waited for");
            }
            Thread.sleep(50);
        }
        throw new AssertionError(done + " of the " + steps + " steps waited for within " + timeout);
    }

    /** The sum of every sample of {@code metric} (any labels) in Prometheus text format. */
    static double sum(String metricsText, String metric) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(metric) + "(?:\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);
        Matcher matcher = sample.matcher(metricsText);
        double total = 0;
        boolean found = false;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no " + metric + " in the metrics:\n" + metricsText);
        }
        return total;
    }

    /** The namespaces and links this run made that still exist (empty after close). */
    public List<String> leftovers() throws IOException, InterruptedException {
        List<String> left = new ArrayList<>();
        if (mode != Mode.NETNS) {
            return left;
        }
        String namespaces = ip("netns", "list").output();
        for (Replica replica : replicas) {
            if (Pattern.compile("^" + Pattern.quote(replica.namespace) + "\\b", Pattern.MULTILINE)
                    .matcher(namespaces).find()) {
                left.add("netns " + replica.namespace);
            }
        }
        String links = ip("-o", "link", "show").output();
        if (links.contains("so" + runId)) {
            left.add("links of so" + runId + ": " + links.lines().filter(l -> l.contains("so" + runId)).toList());
        }
        return left;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) cleanUp itself
        }
    }

    // ---------------------------------------------------------------- setup

    /** Null when namespaces can be used, else why not. */
    private static String namespacesUnavailable() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root (user " + System.getProperty("user.name") + ")";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip")) && !Files.isExecutable(Path.of("/bin/ip"))) {
            return "no `ip` command (iproute2)";
        }
        return null;
    }

    private void makeNamespaces() throws IOException, InterruptedException {
        Files.createDirectories(OWNERS);
        Files.writeString(OWNERS.resolve(runId), Long.toString(ProcessHandle.current().pid()));
        ipOrFail("link", "add", bridge, "type", "bridge");
        bridgeMade = true;
        ipOrFail("addr", "add", subnet + ".1/24", "dev", bridge);
        ipOrFail("link", "set", bridge, "up");
        for (Replica replica : replicas) {
            String outside = "so" + runId + "h" + replica.index;
            String inside = "so" + runId + "n" + replica.index;
            ipOrFail("netns", "add", replica.namespace);
            namespacesMade.add(replica.namespace);
            ipOrFail("link", "add", outside, "type", "veth", "peer", "name", inside);
            ipOrFail("link", "set", inside, "netns", replica.namespace);
            ipOrFail("link", "set", outside, "master", bridge, "up");
            ipOrFail("-n", replica.namespace, "addr", "add", replica.address + "/24", "dev", inside);
            ipOrFail("-n", replica.namespace, "link", "set", inside, "up");
            ipOrFail("-n", replica.namespace, "link", "set", "lo", "up");
            ipOrFail("-n", replica.namespace, "route", "add", "default", "via", subnet + ".1");
        }
    }

    private void writeHostsFile() throws IOException {
        StringBuilder text = new StringBuilder("# scale-out test " + runId + ": " + NAME + " -> every replica\n")
                .append("127.0.0.1 localhost\n");
        for (Replica replica : replicas) {
            text.append(replica.address).append(' ').append(NAME).append('\n');
        }
        Files.writeString(hostsFile, text);
    }

    private void startReplicas(String... extraServerFlags) throws IOException, InterruptedException {
        for (Replica replica : replicas) {
            List<String> command = new ArrayList<>();
            if (replica.namespace != null) {
                command.addAll(List.of(ipCommand(), "netns", "exec", replica.namespace));
            }
            command.addAll(List.of(ProjectFiles.javaExecutable(), "-jar",
                    ProjectFiles.runnableJar("env-server").toString(),
                    "--host", replica.namespace != null ? "0.0.0.0" : replica.address,
                    "--port", Integer.toString(port), "--metrics-port", Integer.toString(metricsPort)));
            command.addAll(List.of(extraServerFlags));
            replica.process = ChildProcess.start("env-server replica " + replica.index + " (" + replica.address + ")",
                    workDir.resolve("replica-" + replica.index + ".log"), command);
        }
        // started together, awaited one by one: JVM starts overlap
        for (Replica replica : replicas) {
            replica.process.awaitOutput(LISTENING, STARTUP);
            replica.pid = pidOf(replica);
        }
    }

    /** The replica's JVM: {@code ip netns exec} execs java in place (no fork), so it is the child itself. */
    private static long pidOf(Replica replica) {
        long pid = replica.process.pid();
        String command = ProcessHandle.of(pid).flatMap(handle -> handle.info().command()).orElse("?");
        if (!command.endsWith("java")) {
            throw new IllegalStateException("replica " + replica.index + "'s process " + pid + " runs " + command
                    + ", not java: SIGKILL would not reach the server");
        }
        return pid;
    }

    /** A 10.213.S prefix no interface of the host namespace uses. */
    private static String freeSubnet() throws IOException, InterruptedException {
        String used = ip("-o", "-4", "addr", "show").output();
        for (int attempt = 0; attempt < 100; attempt++) {
            String prefix = "10.213." + ThreadLocalRandom.current().nextInt(1, 255);
            if (!used.contains(" " + prefix + ".")) {
                return prefix;
            }
        }
        throw new IllegalStateException("no free 10.213.S.0/24 subnet");
    }

    /** A gRPC and a metrics port free on all of 127.0.0.11.. at once. */
    private static int[] freePortsOnAll(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int[] ports = {ThreadLocalRandom.current().nextInt(20000, 60000), ThreadLocalRandom.current().nextInt(20000, 60000)};
            if (ports[0] != ports[1] && freeOnAll(ports[0], count) && freeOnAll(ports[1], count)) {
                return ports;
            }
        }
        throw new IllegalStateException("no port free on all of 127.0.0.11..");
    }

    private static boolean freeOnAll(int port, int count) {
        for (int i = 0; i < count; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (11 + i)), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- cleanup

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Replica replica : replicas) {
            if (replica.process != null) {
                try {
                    ProcessHandle.of(replica.pid).ifPresent(ProcessHandle::destroyForcibly);
                    replica.process.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    System.err.println("[scaleout] stopping replica " + replica.index + ": " + e);
                }
            }
        }
        if (mode == Mode.NETNS) {
            for (String namespace : namespacesMade) {
                killAllIn(namespace);
                quietly("netns", "del", namespace); // takes the veth end inside, so the pair, with it
            }
            for (Replica replica : replicas) {
                quietly("link", "del", "so" + runId + "h" + replica.index); // a pair whose end never moved
            }
            if (bridgeMade) {
                quietly("link", "del", bridge);
            }
            try {
                Files.deleteIfExists(OWNERS.resolve(runId));
            } catch (IOException e) {
                // harmless
            }
        }
        deleteTree(workDir);
    }

    /** Namespaces and bridges of earlier runs whose JVM is gone (killed before its hook could run). */
    private static void removeLeftovers() {
        try {
            if (!Files.isDirectory(OWNERS)) {
                return;
            }
            try (var owners = Files.list(OWNERS)) {
                for (Path owner : owners.toList()) {
                    String run = owner.getFileName().toString();
                    long pid = Long.parseLong(Files.readString(owner).trim());
                    if (ProcessHandle.of(pid).isPresent()) {
                        continue;
                    }
                    for (String line : ip("netns", "list").output().lines().toList()) {
                        String namespace = line.split("\\s+")[0];
                        if (namespace.startsWith(PREFIX + run + "-")) {
                            killAllIn(namespace);
                            quietly("netns", "del", namespace);
                        }
                    }
                    quietly("link", "del", "so" + run + "br");
                    try (var dirs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
                            "scaleout-" + run + "*")) {
                        dirs.forEach(ReplicaHosts::deleteTree); // its hosts file and replica logs
                    }
                    Files.deleteIfExists(owner);
                    System.out.println("[scaleout] removed the namespaces of run " + run + " (pid " + pid + " is gone)");
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[scaleout] could not remove leftovers: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void killAllIn(String namespace) {
        try {
            for (String pid : ip("netns", "pids", namespace).output().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(handle -> {
                        handle.destroyForcibly();
                        handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
                    });
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[scaleout] listing the processes of " + namespace + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    // ---------------------------------------------------------------- ip

    private record Result(int exitCode, String output) {
    }

    private static String ipCommand() {
        for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "ip";
    }

    private static Result ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ipCommand());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("scaleout-ip", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(IP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException(String.join(" ", command) + " did not finish within " + IP_TIMEOUT);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void ipOrFail(String... args) throws IOException, InterruptedException {
        Result result = ip(args);
        if (result.exitCode != 0) {
            throw new IOException("`ip " + String.join(" ", args) + "` failed (" + result.exitCode + "): "
                    + result.output.strip());
        }
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException e) {
            System.err.println("[scaleout] ip " + String.join(" ", args) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For messages: every replica's steps by address. */
    public Map<String, Double> envStepsByAddress() {
        double[] steps = envStepsOfAll();
        Map<String, Double> byAddress = new LinkedHashMap<>();
        for (Replica replica : replicas) {
            byAddress.put(replica.address, steps[replica.index]);
        }
        return byAddress;
    }
}
