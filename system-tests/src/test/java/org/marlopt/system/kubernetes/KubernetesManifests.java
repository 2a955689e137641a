package org.marlopt.system.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.marlopt.system.support.ExternalCommand;

/**
 * The objects an overlay of deploy/kubernetes produces, each parsed into its typed fabric8 Kubernetes model.
 *
 * <p>With {@code kubectl} on PATH an overlay is rendered exactly as {@code kubectl apply -k} would send it
 * ({@code kubectl kustomize DIR}): generators, patches, images, namespace and labels applied. Without it (or
 * with {@code -Dmarlopt.kubernetes.render=files}) the fallback reads the YAML files the kustomizations list
 * under {@code resources} and {@code components}, recursively, and applies nothing: no generated ConfigMaps,
 * no patches, no image tags, no namespace. The checks that need the rendered result then check the
 * kustomization files instead, or are skipped ({@link #rendered()}).
 *
 * <p>Parsing is strict: an apiVersion/kind outside {@link #KINDS} fails, and so does any field the model
 * does not know (fabric8 keeps those in {@code additionalProperties}; every such map must be empty), so
 * a misspelt or misplaced field cannot pass unnoticed as it would with {@code kubectl apply}'s lenient
 * client side.
 */
final class KubernetesManifests {

    static final String DEPLOY = "deploy/kubernetes";

    /** Every kind the manifests may contain, by apiVersion/kind. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class));

    private static final YAMLMapper YAML = new YAMLMapper();
    /**
     * Jackson 2, the project's. fabric8 8 is built for Jackson 3, whose databind needs a newer
     * jackson-annotations than the one the root pom pins; the models' property annotations are the shared
     * com.fasterxml.jackson.annotation ones, which Jackson 2 reads too, so only the two scalar types that
     * rely on Jackson 3 deserializers need one here.
     */
    private static final ObjectMapper MODEL = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .registerModule(new SimpleModule("fabric8-scalars")
                    .addDeserializer(IntOrString.class, new JsonDeserializer<>() {
                        @Override
                        public IntOrString deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                            return parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                                    ? new IntOrString(parser.getIntValue()) : new IntOrString(parser.getValueAsString());
                        }
                    })
                    .addDeserializer(Quantity.class, new JsonDeserializer<>() {
                        @Override
                        public Quantity deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                            return Quantity.parse(parser.getValueAsString());
                        }
                    }));
    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(60);

    /** A workload's pod template: a Deployment's or a Job's. */
    record Pods(String owner, PodTemplateSpec template) {
        Map<String, String> labels() {
            return Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of());
        }

        Map<String, String> annotations() {
            return Optional.ofNullable(template.getMetadata().getAnnotations()).orElse(Map.of());
        }

        List<Container> containers() {
            List<Container> all = new ArrayList<>(template.getSpec().getContainers());
            all.addAll(Optional.ofNullable(template.getSpec().getInitContainers()).orElse(List.of()));
            return all;
        }
    }

    /** What one overlay produced. */
    record Manifests(String overlay, boolean rendered, List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
            return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
        }

        <T extends HasMetadata> T get(Class<T> type, String name) {
            return find(type, name).orElseThrow(() -> new AssertionError(
                    overlay + ": no " + type.getSimpleName() + " named " + name));
        }

        List<Pods> pods() {
            List<Pods> pods = new ArrayList<>();
            all(Deployment.class).forEach(d -> pods.add(new Pods("Deployment " + d.getMetadata().getName(),
                    d.getSpec().getTemplate())));
            all(Job.class).forEach(j -> pods.add(new Pods("Job " + j.getMetadata().getName(),
                    j.getSpec().getTemplate())));
            return pods;
        }

        Pods envServerPods() {
            return new Pods("Deployment env-server", get(Deployment.class, "env-server").getSpec().getTemplate());
        }

        Pods trainerPods() {
            return new Pods("Job trainer", get(Job.class, "trainer").getSpec().getTemplate());
        }
    }

    private KubernetesManifests() {
    }

    /** The overlays, by directory name. */
    static List<String> overlays(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root.resolve(DEPLOY).resolve("overlays"))) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().toList();
        }
    }

    /** Whether overlays are rendered by kustomize (kubectl on PATH, not forced off). */
    static boolean kustomizeAvailable() {
        return !"files".equals(System.getProperty("marlopt.kubernetes.render")) && ExternalCommand.isOnPath("kubectl");
    }

    /** The objects of overlay {@code name} under {@code root}'s deploy/kubernetes/overlays. */
    static Manifests load(Path root, String name) throws Exception {
        Path dir = root.resolve(DEPLOY).resolve("overlays").resolve(name);
        List<JsonNode> documents = new ArrayList<>();
        boolean rendered = kustomizeAvailable();
        if (rendered) {
            ExternalCommand render = ExternalCommand.run(root, Map.of(), RENDER_TIMEOUT,
                    "kubectl", "kustomize", dir.toString());
            if (render.exitCode() != 0) {
                throw new AssertionError("kustomize cannot render " + name + ": " + render.describe());
            }
            documents.addAll(yamlDocuments(render.output()));
        } else {
            collectResourceFiles(dir, documents);
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode document : documents) {
            objects.add(parse(document, name));
        }
        return new Manifests(name, rendered, objects);
    }

    /** One object into its model class, refusing unknown kinds and unknown fields. */
    static HasMetadata parse(JsonNode document, String origin) throws Exception {
        String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(key);
        String name = document.path("metadata").path("name").asText();
        if (type == null) {
            throw new AssertionError(origin + ": " + key + " " + name + " is not a kind these manifests may use "
                    + "(known: " + KINDS.keySet().stream().sorted().toList() + ")");
        }
        HasMetadata object = MODEL.readValue(document.toString(), type);
        List<String> unknown = new ArrayList<>();
        unknownFields(object, key + " " + name, unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(origin + ": fields the Kubernetes API does not know: " + unknown);
        }
        return object;
    }

    static List<JsonNode> yamlDocuments(String text) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode document : YAML.readValues(YAML.createParser(text), JsonNode.class).readAll()) {
            if (document != null && !document.isNull() && !document.isMissingNode() && !document.isEmpty()) {
                documents.add(document);
            }
        }
        return documents;
    }

    static JsonNode readYaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    /** The fallback: every file listed under resources and components, recursively, as written. */
    private static void collectResourceFiles(Path kustomizationDir, List<JsonNode> documents) throws IOException {
        JsonNode kustomization = YAML.readTree(kustomizationDir.resolve("kustomization.yaml").toFile());
        for (String section : List.of("resources", "components")) {
            for (JsonNode entry : kustomization.path(section)) {
                Path path = kustomizationDir.resolve(entry.asText()).normalize();
                if (Files.isDirectory(path)) {
                    collectResourceFiles(path, documents);
                } else {
                    documents.addAll(yamlDocuments(Files.readString(path)));
                }
            }
        }
    }

    /** Collects the path of every non-empty additionalProperties map in a fabric8 model object graph. */
    static void unknownFields(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> unknownFields(element, path + "." + key, found));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                unknownFields(element, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot read " + path + "." + field.getName(), e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(key -> found.add(path + "." + key));
                    }
                } else {
                    unknownFields(fieldValue, path + "." + field.getName(), found);
                }
            }
        }
    }
}
