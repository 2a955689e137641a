package org.marlopt.system.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.system.kubernetes.KubernetesManifests.Manifests;
import org.marlopt.system.kubernetes.KubernetesManifests.Pods;

/**
 * The checks of deploy/kubernetes, each returning what it found wrong (empty: fine), so that
 * {@link KubernetesManifestsMutationTest} can show every one of them failing on a broken copy.
 */
final class KubernetesChecks {

    /** Margin the JVM gets to exit after the drain delay and shutdown grace, before the kubelet's SIGKILL. */
    static final long EXIT_MARGIN_SECONDS = 5;
    /** The env server's heap plus direct buffers may take this share of its memory limit. */
    static final double ENV_SERVER_JVM_SHARE = 0.80;
    /** The trainer's heap may take this share of its memory limit (PyTorch's tensors live outside it). */
    static final double TRAINER_HEAP_SHARE = 0.50;
    static final String LIVENESS_SERVICE = "liveness";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DNS_TARGET = Pattern.compile("dns:///([a-z0-9-]+)(?:\\.[a-z0-9.-]+)?:(\\d+)");

    private KubernetesChecks() {
    }

    /** Problems found by one check. */
    static final class Problems {
        final List<String> found = new ArrayList<>();
        private final String overlay;

        Problems(Manifests manifests) {
            this.overlay = manifests.overlay();
        }

        void check(boolean ok, String problem) {
            if (!ok) {
                found.add(overlay + ": " + problem);
            }
        }

        boolean isEmpty() {
            return found.isEmpty();
        }

        @Override
        public String toString() {
            return String.join("\n", found);
        }
    }

    interface Check {
        void run(Manifests manifests, Problems problems, Path root) throws Exception;
    }

    // ---- selectors -------------------------------------------------------------------------------------

    static void selectorsMatchThePods(Manifests m, Problems p, Path root) {
        for (Deployment deployment : m.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            p.check(matches(deployment.getSpec().getSelector(), labels(deployment.getSpec().getTemplate().getMetadata().getLabels())),
                    "Deployment " + name + " selector does not match its own pod labels");
            for (TopologySpreadConstraint spread : Optional.ofNullable(
                    deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).orElse(List.of())) {
                p.check(matches(spread.getLabelSelector(), labels(deployment.getSpec().getTemplate().getMetadata().getLabels())),
                        "Deployment " + name + " topologySpreadConstraints select other pods than its own");
            }
        }
        Map<String, String> envServer = m.envServerPods().labels();
        for (Service service : m.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            p.check(selector != null && !selector.isEmpty(), "Service " + service.getMetadata().getName() + " has no selector");
            p.check(selector != null && !selectedPods(m, selector).isEmpty(),
                    "Service " + service.getMetadata().getName() + " selects no pods: " + selector);
        }
        Service envServerService = m.get(Service.class, "env-server");
        p.check(envServerService.getSpec().getSelector() != null && envServer.entrySet()
                        .containsAll(envServerService.getSpec().getSelector().entrySet()),
                "Service env-server does not select the env-server pods");
        for (PodDisruptionBudget pdb : m.all(PodDisruptionBudget.class)) {
            p.check(matches(pdb.getSpec().getSelector(), envServer) && matchingPods(m, pdb.getSpec().getSelector()).size() == 1,
                    "PodDisruptionBudget " + pdb.getMetadata().getName() + " does not select exactly the env-server pods");
        }
        for (NetworkPolicy policy : m.all(NetworkPolicy.class)) {
            p.check(!matchingPods(m, policy.getSpec().getPodSelector()).isEmpty(),
                    "NetworkPolicy " + policy.getMetadata().getName() + " selects no pods");
        }
        for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            p.check("Deployment".equals(target.getKind()) && "apps/v1".equals(target.getApiVersion())
                            && m.find(Deployment.class, target.getName()).isPresent(),
                    "HorizontalPodAutoscaler " + hpa.getMetadata().getName() + " targets no Deployment here: "
                            + target.getApiVersion() + " " + target.getKind() + " " + target.getName());
        }
    }

    // ---- services and ports --------------------------------------------------------------------------

    static void serviceTargetPortsNameContainerPorts(Manifests m, Problems p, Path root) {
        for (Service service : m.all(Service.class)) {
            String name = service.getMetadata().getName();
            List<Pods> selected = service.getSpec().getSelector() == null ? List.of()
                    : selectedPods(m, service.getSpec().getSelector());
            for (ServicePort port : service.getSpec().getPorts()) {
                for (Pods pods : selected) {
                    Optional<ContainerPort> target = containerPort(pods, port.getTargetPort() == null
                            ? new IntOrString(port.getPort()) : port.getTargetPort());
                    p.check(target.isPresent(), "Service " + name + " port " + port.getName() + " targets "
                            + show(port.getTargetPort()) + ", which no container of " + pods.owner() + " declares");
                }
            }
        }
        Service envServer = m.get(Service.class, "env-server");
        p.check("None".equals(envServer.getSpec().getClusterIP()),
                "Service env-server must be headless (clusterIP: None) so DNS returns every replica");
        Optional<ServicePort> grpc = envServer.getSpec().getPorts().stream().filter(port -> "grpc".equals(port.getName())).findFirst();
        p.check(grpc.isPresent(), "Service env-server has no port named grpc");
        Optional<ContainerPort> grpcContainer = namedPort(m.envServerPods(), "grpc");
        p.check(grpcContainer.isPresent(), "the env-server container has no port named grpc");
        if (grpc.isPresent() && grpcContainer.isPresent()) {
            // Headless: clients dial the pod addresses DNS returns, on the Service's port number.
            p.check(grpc.get().getPort().equals(grpcContainer.get().getContainerPort()),
                    "headless Service env-server port " + grpc.get().getPort() + " differs from the container's grpc port "
                            + grpcContainer.get().getContainerPort() + " (a headless Service does not map ports)");
            p.check(Objects.equals(String.valueOf(grpcContainer.get().getContainerPort()),
                            flag(args(m.envServerPods()), "--port").orElse("50051")),
                    "env-server --port differs from its grpc container port");
        }
    }

    // ---- probes ----------------------------------------------------------------------------------------

    static void envServerProbesAreGrpcHealthChecks(Manifests m, Problems p, Path root) {
        Pods pods = m.envServerPods();
        Container container = envServerContainer(pods);
        int grpcPort = namedPort(pods, "grpc").map(ContainerPort::getContainerPort).orElse(-1);
        checkGrpcProbe(p, "readinessProbe", container.getReadinessProbe(), grpcPort, EnvServiceGrpc.SERVICE_NAME);
        checkGrpcProbe(p, "livenessProbe", container.getLivenessProbe(), grpcPort, LIVENESS_SERVICE);
        checkGrpcProbe(p, "startupProbe", container.getStartupProbe(), grpcPort, LIVENESS_SERVICE);
        Probe readiness = container.getReadinessProbe();
        if (readiness != null) {
            long noticed = (long) or(readiness.getPeriodSeconds(), 10) * or(readiness.getFailureThreshold(), 3);
            long drain = longFlag(args(pods), "--drain-delay-seconds", 0);
            p.check(noticed <= drain, "the readiness probe notices NOT_SERVING only after " + noticed
                    + " s (periodSeconds x failureThreshold), beyond --drain-delay-seconds " + drain);
        }
    }

    private static void checkGrpcProbe(Problems p, String kind, Probe probe, int grpcPort, String service) {
        p.check(probe != null, "env-server has no " + kind);
        if (probe == null) {
            return;
        }
        GRPCAction grpc = probe.getGrpc();
        p.check(grpc != null && probe.getHttpGet() == null && probe.getExec() == null && probe.getTcpSocket() == null,
                "env-server " + kind + " must be a grpc probe only");
        if (grpc != null) {
            p.check(grpc.getPort() != null && grpc.getPort() == grpcPort,
                    "env-server " + kind + " probes port " + grpc.getPort() + ", not the grpc container port " + grpcPort);
            p.check(service.equals(grpc.getService()),
                    "env-server " + kind + " asks for health service '" + grpc.getService() + "', expected '" + service + "'");
        }
    }

    // ---- resources and JVM memory ---------------------------------------------------------------------

    static void everyContainerHasRequestsAndLimits(Manifests m, Problems p, Path root) {
        for (Pods pods : m.pods()) {
            for (Container container : pods.containers()) {
                String where = pods.owner() + " container " + container.getName();
                var resources = container.getResources();
                Map<String, Quantity> requests = resources == null ? Map.of() : Optional.ofNullable(resources.getRequests()).orElse(Map.of());
                Map<String, Quantity> limits = resources == null ? Map.of() : Optional.ofNullable(resources.getLimits()).orElse(Map.of());
                for (String resource : List.of("cpu", "memory")) {
                    p.check(requests.containsKey(resource), where + " has no " + resource + " request");
                    p.check(limits.containsKey(resource), where + " has no " + resource + " limit");
                    if (requests.containsKey(resource) && limits.containsKey(resource)) {
                        p.check(amount(requests.get(resource)).compareTo(amount(limits.get(resource))) <= 0,
                                where + " requests more " + resource + " than its limit");
                    }
                }
            }
        }
    }

    static void jvmMemoryFitsTheMemoryLimit(Manifests m, Problems p, Path root) {
        Pods envServer = m.envServerPods();
        Container server = envServerContainer(envServer);
        List<String> serverOptions = jvmOptions(server);
        Optional<Long> heap = sizeOption(serverOptions, "-Xmx");
        p.check(heap.isPresent(), "env-server sets no -Xmx in JDK_JAVA_OPTIONS (the memory budget is half of it)");
        long limit = memoryLimit(server);
        if (heap.isPresent() && limit > 0) {
            long direct = sizeOption(serverOptions, "-XX:MaxDirectMemorySize=").orElse(heap.get());
            p.check(heap.get() + direct <= ENV_SERVER_JVM_SHARE * limit, "env-server heap " + heap.get() + " + direct memory "
                    + direct + " bytes exceed " + (int) (ENV_SERVER_JVM_SHARE * 100) + "% of its memory limit " + limit);
            long budget = longFlag(args(envServer), "--memory-budget-bytes", heap.get() / 2);
            p.check(budget <= heap.get() / 2, "env-server --memory-budget-bytes " + budget + " exceeds half the heap");
        }
        Container trainer = m.trainerPods().template().getSpec().getContainers().get(0);
        Optional<Long> trainerHeap = sizeOption(jvmOptions(trainer), "-Xmx");
        long trainerLimit = memoryLimit(trainer);
        p.check(trainerHeap.isEmpty() || trainerHeap.get() <= TRAINER_HEAP_SHARE * trainerLimit,
                "trainer heap " + trainerHeap.orElse(0L) + " exceeds half its memory limit " + trainerLimit
                        + ": PyTorch's native memory needs the other half");
    }

    // ---- shutdown --------------------------------------------------------------------------------------

    static void terminationGraceCoversDrainAndShutdown(Manifests m, Problems p, Path root) {
        Pods pods = m.envServerPods();
        long drain = longFlag(args(pods), "--drain-delay-seconds", 0);
        long grace = longFlag(args(pods), "--shutdown-grace-seconds", 10);
        Long period = pods.template().getSpec().getTerminationGracePeriodSeconds();
        long effective = period == null ? 30 : period;
        p.check(effective >= drain + grace + EXIT_MARGIN_SECONDS, "env-server terminationGracePeriodSeconds " + effective
                + " < --drain-delay-seconds " + drain + " + --shutdown-grace-seconds " + grace + " + " + EXIT_MARGIN_SECONDS
                + " s margin: the kubelet would SIGKILL calls still finishing");
    }

    // ---- security --------------------------------------------------------------------------------------

    static void podsRunLockedDown(Manifests m, Problems p, Path root) throws IOException {
        long imageUid = dockerfileUid(root);
        for (Pods pods : m.pods()) {
            PodSecurityContext pod = pods.template().getSpec().getSecurityContext();
            String owner = pods.owner();
            p.check(pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot()), owner + ": runAsNonRoot is not true");
            p.check(pod != null && pod.getRunAsUser() != null && pod.getRunAsUser() > 0, owner + ": no non-zero runAsUser");
            boolean podSeccomp = pod != null && pod.getSeccompProfile() != null
                    && "RuntimeDefault".equals(pod.getSeccompProfile().getType());
            p.check(Boolean.FALSE.equals(pods.template().getSpec().getEnableServiceLinks()),
                    owner + ": enableServiceLinks must be false (a Service named env-server injects ENV_SERVER_PORT)");
            boolean needsApi = pods.template().getSpec().getServiceAccountName() != null;
            p.check(needsApi || Boolean.FALSE.equals(pods.template().getSpec().getAutomountServiceAccountToken()),
                    owner + ": mounts an API token it does not need (automountServiceAccountToken: false)");
            for (Container container : pods.containers()) {
                String where = owner + " container " + container.getName();
                SecurityContext security = container.getSecurityContext();
                p.check(security != null && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation()),
                        where + ": allowPrivilegeEscalation is not false");
                p.check(security != null && Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()),
                        where + ": readOnlyRootFilesystem is not true");
                p.check(security != null && !Boolean.TRUE.equals(security.getPrivileged()), where + ": privileged");
                p.check(security != null && security.getCapabilities() != null
                                && Optional.ofNullable(security.getCapabilities().getDrop()).orElse(List.of()).contains("ALL")
                                && Optional.ofNullable(security.getCapabilities().getAdd()).orElse(List.of()).isEmpty(),
                        where + ": capabilities must drop ALL and add none");
                p.check(podSeccomp || (security != null && security.getSeccompProfile() != null
                                && "RuntimeDefault".equals(security.getSeccompProfile().getType())),
                        where + ": no RuntimeDefault seccomp profile");
                if (container.getImage() != null && container.getImage().startsWith("marlopt/") && pod != null) {
                    p.check(Objects.equals(pod.getRunAsUser(), imageUid), where + ": runAsUser " + pod.getRunAsUser()
                            + " is not the image's user " + imageUid + " (docker/Dockerfile)");
                }
            }
        }
    }

    // ---- metrics ---------------------------------------------------------------------------------------

    static void prometheusAnnotationsPointAtTheMetricsPort(Manifests m, Problems p, Path root) {
        for (Pods pods : List.of(m.envServerPods(), m.trainerPods())) {
            Map<String, String> annotations = pods.annotations();
            p.check("true".equals(annotations.get("prometheus.io/scrape")), pods.owner() + " is not annotated prometheus.io/scrape: \"true\"");
            p.check("/metrics".equals(annotations.get("prometheus.io/path")), pods.owner() + " prometheus.io/path is not /metrics");
            String port = annotations.get("prometheus.io/port");
            Optional<ContainerPort> metrics = namedPort(pods, "metrics");
            p.check(metrics.isPresent() && String.valueOf(metrics.get().getContainerPort()).equals(port),
                    pods.owner() + " prometheus.io/port " + port + " is not its container port named metrics");
            p.check(port != null && port.equals(flag(args(pods), "--metrics-port").orElse(null)),
                    pods.owner() + " prometheus.io/port " + port + " is not the --metrics-port it serves on");
        }
        for (Pods pods : m.pods()) {
            String port = pods.annotations().get("prometheus.io/port");
            if (port != null) {
                p.check(containerPort(pods, new IntOrString(Integer.parseInt(port))).isPresent(),
                        pods.owner() + " prometheus.io/port " + port + " is not a declared container port, which the "
                                + "Prometheus config's keepequal rule needs");
            }
        }
    }

    static void prometheusDiscoversPodsWithItsOwnPermissions(Manifests m, Problems p, Path root) throws IOException {
        Optional<Deployment> prometheus = m.find(Deployment.class, "prometheus");
        if (prometheus.isEmpty()) {
            return;
        }
        var spec = prometheus.get().getSpec().getTemplate().getSpec();
        String account = spec.getServiceAccountName();
        p.check(account != null && m.find(io.fabric8.kubernetes.api.model.ServiceAccount.class, account).isPresent(),
                "Prometheus runs as service account " + account + ", which is not declared");
        boolean bound = false;
        for (RoleBinding binding : m.all(RoleBinding.class)) {
            boolean forAccount = binding.getSubjects().stream()
                    .anyMatch(s -> "ServiceAccount".equals(s.getKind()) && Objects.equals(account, s.getName()));
            Optional<Role> role = m.find(Role.class, binding.getRoleRef().getName());
            bound |= forAccount && "Role".equals(binding.getRoleRef().getKind()) && role.isPresent()
                    && role.get().getRules().stream().anyMatch(rule -> rule.getResources().contains("pods")
                    && rule.getVerbs().containsAll(List.of("list", "watch")));
        }
        p.check(bound, "no RoleBinding lets Prometheus' service account list and watch pods");
        if (m.rendered()) {
            for (Volume volume : spec.getVolumes()) {
                if (volume.getConfigMap() != null) {
                    p.check(m.find(ConfigMap.class, volume.getConfigMap().getName()).isPresent(),
                            "Prometheus mounts ConfigMap " + volume.getConfigMap().getName() + ", which is not rendered");
                }
            }
        }
        JsonNode config = KubernetesManifests.readYaml(root.resolve(KubernetesManifests.DEPLOY)
                .resolve("components/observability/prometheus.yml"));
        JsonNode job = config.path("scrape_configs").path(0);
        p.check("pod".equals(job.path("kubernetes_sd_configs").path(0).path("role").asText()),
                "prometheus.yml does not discover pods");
        String relabels = job.path("relabel_configs").toString();
        for (String annotation : List.of("scrape", "port", "path")) {
            p.check(relabels.contains("__meta_kubernetes_pod_annotation_prometheus_io_" + annotation),
                    "prometheus.yml ignores the prometheus.io/" + annotation + " annotation");
        }
    }

    // ---- trainer ---------------------------------------------------------------------------------------

    static void trainerJobWritesToItsVolumeClaimAndFindsEveryReplica(Manifests m, Problems p, Path root) {
        Job job = m.get(Job.class, "trainer");
        Pods pods = m.trainerPods();
        String restart = pods.template().getSpec().getRestartPolicy();
        p.check("OnFailure".equals(restart) || "Never".equals(restart), "Job trainer restartPolicy " + restart);
        p.check(job.getSpec().getBackoffLimit() != null, "Job trainer sets no backoffLimit");
        List<String> args = args(pods);
        String out = flag(args, "--out").orElse("");
        boolean outOnClaim = false;
        Map<String, String> claimOfVolume = pods.template().getSpec().getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null)
                .collect(Collectors.toMap(Volume::getName, v -> v.getPersistentVolumeClaim().getClaimName()));
        for (String claim : claimOfVolume.values()) {
            p.check(m.find(PersistentVolumeClaim.class, claim).isPresent(),
                    "Job trainer mounts PersistentVolumeClaim " + claim + ", which is not declared");
        }
        for (VolumeMount mount : pods.template().getSpec().getContainers().get(0).getVolumeMounts()) {
            if (claimOfVolume.containsKey(mount.getName()) && !Boolean.TRUE.equals(mount.getReadOnly())) {
                outOnClaim |= out.startsWith(mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/");
            }
        }
        p.check(outOnClaim, "the trainer's --out " + out + " is not on its PersistentVolumeClaim");
        String server = flag(args, "--server").orElse("");
        Matcher target = DNS_TARGET.matcher(server);
        p.check(target.matches(), "the trainer's --server " + server + " is not dns:///SERVICE:PORT");
        if (target.matches()) {
            Optional<Service> service = m.find(Service.class, target.group(1));
            p.check(service.isPresent() && "None".equals(service.get().getSpec().getClusterIP())
                            && service.get().getSpec().getPorts().stream()
                            .anyMatch(port -> port.getPort() == Integer.parseInt(target.group(2))),
                    "the trainer's --server " + server + " does not name a headless Service and its port");
        }
    }

    // ---- dashboards ------------------------------------------------------------------------------------

    static void dashboardsConfigMapHoldsEveryDashboardVerbatim(Manifests m, Problems p, Path root) throws IOException {
        Path dashboardDir = root.resolve("grafana/dashboards");
        Map<String, String> files;
        try (Stream<Path> list = Files.list(dashboardDir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".json")).collect(Collectors.toMap(
                    f -> f.getFileName().toString(), f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        }
        p.check(!files.isEmpty(), "no dashboards in grafana/dashboards");
        if (m.rendered()) {
            List<ConfigMap> labelled = m.all(ConfigMap.class).stream().filter(c -> "1".equals(
                    Optional.ofNullable(c.getMetadata().getLabels()).orElse(Map.of()).get("grafana_dashboard"))).toList();
            p.check(labelled.size() == 1, "expected one ConfigMap labelled grafana_dashboard: \"1\", found " + labelled.size());
            Map<String, String> data = labelled.isEmpty() ? Map.of() : Optional.ofNullable(labelled.get(0).getData()).orElse(Map.of());
            p.check(data.keySet().equals(files.keySet()), "the dashboards ConfigMap holds " + new TreeSet<>(data.keySet())
                    + ", grafana/dashboards " + new TreeSet<>(files.keySet()));
            for (Map.Entry<String, String> file : files.entrySet()) {
                String held = data.get(file.getKey());
                p.check(held != null && JSON.readTree(held).equals(JSON.readTree(file.getValue())) && held.equals(file.getValue()),
                        "the dashboards ConfigMap's " + file.getKey() + " differs from grafana/dashboards/" + file.getKey());
            }
        } else {
            JsonNode kustomization = KubernetesManifests.readYaml(root.resolve("grafana/kustomization.yaml"));
            Set<String> generated = new TreeSet<>();
            for (JsonNode generator : kustomization.path("configMapGenerator")) {
                p.check("1".equals(generator.path("options").path("labels").path("grafana_dashboard").asText()),
                        "grafana/kustomization.yaml's generator lacks the grafana_dashboard: \"1\" label");
                generator.path("files").forEach(f -> generated.add(Path.of(f.asText()).getFileName().toString()));
            }
            p.check(generated.equals(new TreeSet<>(files.keySet())), "grafana/kustomization.yaml generates " + generated
                    + ", grafana/dashboards holds " + new TreeSet<>(files.keySet()));
        }
    }

    // ---- images ----------------------------------------------------------------------------------------

    static void imagesAreTaggedAsComposeBuildsThem(Manifests m, Problems p, Path root) throws IOException {
        JsonNode services = KubernetesManifests.readYaml(root.resolve("docker-compose.yml")).path("services");
        Map<String, String> composeImages = Map.of(
                "marlopt/env-server", services.path("env-server").path("image").asText(),
                "marlopt/agent-client", services.path("agent-client").path("image").asText());
        JsonNode kustomization = KubernetesManifests.readYaml(root.resolve(KubernetesManifests.DEPLOY).resolve("base/kustomization.yaml"));
        Map<String, String> tags = new java.util.HashMap<>();
        kustomization.path("images").forEach(i -> tags.put(i.path("name").asText(), i.path("newTag").asText()));
        for (Pods pods : m.pods()) {
            for (Container container : pods.containers()) {
                String image = container.getImage();
                String where = pods.owner() + " container " + container.getName();
                if (m.rendered()) {
                    String tag = image.substring(image.lastIndexOf('/') + 1);
                    p.check(tag.contains(":") && !tag.endsWith(":latest"), where + " image " + image + " has no fixed tag");
                    String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
                    if (composeImages.containsKey(repository)) {
                        p.check(image.equals(composeImages.get(repository)), where + " image " + image
                                + " is not the one docker-compose.yml builds, " + composeImages.get(repository));
                    }
                } else if (composeImages.containsKey(image)) {
                    p.check(tags.containsKey(image) && composeImages.get(image).equals(image + ":" + tags.get(image)),
                            where + ": base/kustomization.yaml tags " + image + " " + tags.get(image)
                                    + ", docker-compose.yml builds " + composeImages.get(image));
                } else {
                    p.check(image.contains(":") && !image.endsWith(":latest"), where + " image " + image + " has no fixed tag");
                }
            }
        }
    }

    // ---- network policies ------------------------------------------------------------------------------

    static void networkPoliciesLetOnlyTrainersAndPrometheusIn(Manifests m, Problems p, Path root) {
        for (NetworkPolicy policy : m.all(NetworkPolicy.class)) {
            List<Pods> selected = matchingPods(m, policy.getSpec().getPodSelector());
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                for (NetworkPolicyPort port : rule.getPorts()) {
                    for (Pods pods : selected) {
                        p.check(containerPort(pods, port.getPort()).isPresent(), "NetworkPolicy " + policy.getMetadata().getName()
                                + " opens port " + show(port.getPort()) + ", which " + pods.owner() + " does not declare");
                    }
                }
            }
        }
        NetworkPolicy envServer = m.get(NetworkPolicy.class, "env-server");
        p.check(matches(envServer.getSpec().getPodSelector(), m.envServerPods().labels()),
                "NetworkPolicy env-server does not select the env-server pods");
        p.check(admits(envServer, m.trainerPods().labels(), "grpc"), "NetworkPolicy env-server does not let the trainer reach grpc");
        p.check(!admitsAnyone(envServer, "metrics"), "NetworkPolicy env-server lets any pod reach metrics");
        p.check(!admitsAnyone(envServer, "grpc"), "NetworkPolicy env-server lets any pod reach grpc");
        Map<String, String> prometheusLabels = m.find(Deployment.class, "prometheus")
                .map(d -> labels(d.getSpec().getTemplate().getMetadata().getLabels()))
                .orElse(Map.of("app.kubernetes.io/name", "prometheus"));
        p.check(admits(envServer, prometheusLabels, "metrics"), "NetworkPolicy env-server does not let Prometheus reach metrics");
        m.find(NetworkPolicy.class, "trainer").ifPresentOrElse(trainer -> {
            p.check(matches(trainer.getSpec().getPodSelector(), m.trainerPods().labels()),
                    "NetworkPolicy trainer does not select the trainer pods");
            p.check(admits(trainer, prometheusLabels, "metrics"), "NetworkPolicy trainer does not let Prometheus reach metrics");
        }, () -> p.check(false, "no NetworkPolicy trainer"));
    }

    private static boolean admits(NetworkPolicy policy, Map<String, String> podLabels, String portName) {
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            boolean port = rule.getPorts().isEmpty() || rule.getPorts().stream()
                    .anyMatch(p -> p.getPort() != null && portName.equals(p.getPort().getStrVal()));
            boolean peer = rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(from -> admitsPeer(from, podLabels));
            if (port && peer) {
                return true;
            }
        }
        return false;
    }

    private static boolean admitsAnyone(NetworkPolicy policy, String portName) {
        return admits(policy, Map.of("some", "stranger"), portName);
    }

    private static boolean admitsPeer(NetworkPolicyPeer peer, Map<String, String> podLabels) {
        if (peer.getIpBlock() != null) {
            return false;
        }
        return peer.getPodSelector() == null ? peer.getNamespaceSelector() != null : matches(peer.getPodSelector(), podLabels);
    }

    // ---- autoscaling and disruption ------------------------------------------------------------------

    static void autoscalerOwnsTheReplicaCountAndBudgetLeavesCapacity(Manifests m, Problems p, Path root) {
        for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
            String target = hpa.getSpec().getScaleTargetRef().getName();
            Optional<Deployment> deployment = m.find(Deployment.class, target);
            p.check(deployment.isPresent(), "HorizontalPodAutoscaler targets Deployment " + target + ", which is not declared");
            Integer min = hpa.getSpec().getMinReplicas();
            p.check(min != null && min >= 2 && hpa.getSpec().getMaxReplicas() >= min, "HorizontalPodAutoscaler replicas "
                    + min + ".." + hpa.getSpec().getMaxReplicas());
            boolean cpu = Optional.ofNullable(hpa.getSpec().getMetrics()).orElse(List.of()).stream()
                    .map(MetricSpec::getResource).filter(Objects::nonNull).anyMatch(r -> "cpu".equals(r.getName()));
            p.check(cpu, "HorizontalPodAutoscaler does not scale on CPU");
            deployment.ifPresent(d -> {
                if (m.rendered()) {
                    p.check(d.getSpec().getReplicas() == null, "Deployment " + target + " sets spec.replicas although an "
                            + "autoscaler owns it: every kubectl apply would reset the count and end sessions");
                }
                for (Container container : d.getSpec().getTemplate().getSpec().getContainers()) {
                    p.check(container.getResources() != null && container.getResources().getRequests() != null
                                    && container.getResources().getRequests().containsKey("cpu"),
                            "HorizontalPodAutoscaler on CPU needs a CPU request on container " + container.getName());
                }
            });
            for (PodDisruptionBudget pdb : m.all(PodDisruptionBudget.class)) {
                IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
                IntOrString minAvailable = pdb.getSpec().getMinAvailable();
                p.check((maxUnavailable != null && Integer.valueOf(1).equals(maxUnavailable.getIntVal()))
                                || (minAvailable != null && minAvailable.getIntVal() != null && min != null
                                && minAvailable.getIntVal() < min),
                        "PodDisruptionBudget " + pdb.getMetadata().getName() + " must allow one replica down (maxUnavailable: 1)");
            }
        }
    }

    static void everyObjectIsInTheNamespace(Manifests m, Problems p, Path root) {
        if (!m.rendered()) {
            return; // the namespace transformer is kustomize's
        }
        List<Namespace> namespaces = m.all(Namespace.class);
        p.check(namespaces.size() == 1, "expected one Namespace, found " + namespaces.size());
        String namespace = namespaces.isEmpty() ? null : namespaces.get(0).getMetadata().getName();
        for (HasMetadata object : m.objects()) {
            if (!(object instanceof Namespace)) {
                p.check(Objects.equals(namespace, object.getMetadata().getNamespace()),
                        object.getKind() + " " + object.getMetadata().getName() + " is in namespace "
                                + object.getMetadata().getNamespace() + ", not " + namespace);
            }
            p.check("marlopt".equals(Optional.ofNullable(object.getMetadata().getLabels()).orElse(Map.of())
                    .get("app.kubernetes.io/part-of")), object.getKind() + " " + object.getMetadata().getName()
                    + " lacks the label app.kubernetes.io/part-of: marlopt");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static Container envServerContainer(Pods pods) {
        return pods.template().getSpec().getContainers().stream().filter(c -> "env-server".equals(c.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no container env-server in " + pods.owner()));
    }

    static List<String> args(Pods pods) {
        return Optional.ofNullable(pods.template().getSpec().getContainers().get(0).getArgs()).orElse(List.of());
    }

    static Optional<String> flag(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
            if (args.get(i).startsWith(name + "=")) {
                return Optional.of(args.get(i).substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static long longFlag(List<String> args, String name, long defaultValue) {
        return flag(args, name).map(Long::parseLong).orElse(defaultValue);
    }

    private static List<String> jvmOptions(Container container) {
        return Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(e -> "JDK_JAVA_OPTIONS".equals(e.getName()) || "JAVA_TOOL_OPTIONS".equals(e.getName()))
                .flatMap(e -> Stream.of(Optional.ofNullable(e.getValue()).orElse("").trim().split("\\s+"))).toList();
    }

    static Optional<Long> sizeOption(List<String> options, String prefix) {
        return options.stream().filter(o -> o.startsWith(prefix)).reduce((a, b) -> b)
                .map(o -> bytes(o.substring(prefix.length())));
    }

    static long bytes(String size) {
        String lower = size.toLowerCase(Locale.ROOT);
        long unit = switch (lower.charAt(lower.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
        return Long.parseLong(digits) * unit;
    }

    private static long memoryLimit(Container container) {
        return Optional.ofNullable(container.getResources()).map(r -> r.getLimits()).map(l -> l.get("memory"))
                .map(q -> amount(q).longValue()).orElse(0L);
    }

    static BigDecimal amount(Quantity quantity) {
        return quantity.getNumericalAmount();
    }

    private static long dockerfileUid(Path root) throws IOException {
        Matcher uid = Pattern.compile("useradd[^\\n]*--uid (\\d+)").matcher(Files.readString(root.resolve("docker/Dockerfile")));
        return uid.find() ? Long.parseLong(uid.group(1)) : -1;
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("matchExpressions are not checked here; use matchLabels: " + selector);
        }
        Map<String, String> wanted = labels(selector.getMatchLabels());
        return labels.entrySet().containsAll(wanted.entrySet());
    }

    private static List<Pods> matchingPods(Manifests m, LabelSelector selector) {
        return m.pods().stream().filter(pods -> matches(selector, pods.labels())).toList();
    }

    private static List<Pods> selectedPods(Manifests m, Map<String, String> selector) {
        return m.pods().stream().filter(pods -> pods.labels().entrySet().containsAll(selector.entrySet())).toList();
    }

    static Optional<ContainerPort> namedPort(Pods pods, String name) {
        return containerPort(pods, new IntOrString(name));
    }

    static Optional<ContainerPort> containerPort(Pods pods, IntOrString port) {
        return pods.containers().stream().flatMap(c -> Optional.ofNullable(c.getPorts()).orElse(List.of()).stream())
                .filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                        : port.getIntVal() != null && port.getIntVal().equals(p.getContainerPort()))
                .findFirst();
    }

    private static String show(IntOrString port) {
        return port == null ? "(none)" : String.valueOf(port.getValue());
    }

    private static int or(Integer value, int defaultValue) {
        return value == null ? defaultValue : value;
    }
}
