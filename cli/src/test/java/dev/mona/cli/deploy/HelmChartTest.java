package dev.mona.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm chart {@code helm/mona}, checked with the real helm (helm-java, offline): strict lint, rendering with
 * the default values and with {@code values-gpu.yaml}, the rendered objects read as typed Kubernetes objects.
 *
 * <p>The chart declares the official Temporal chart as an optional dependency. Helm refuses to lint cleanly or
 * to render a chart directory whose declared dependency is missing from {@code charts/}, even when its
 * condition is false, and fetching it needs the network. The tests therefore render a copy of the chart whose
 * {@code charts/temporal} holds an empty stand-in chart, as {@code helm dependency build} would leave the real
 * one; with {@code temporal.enabled=false} (the default) its content never matters.
 */
class HelmChartTest {
    private static final String RELEASE = "rel";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Environment names that would carry a credential if given a literal value. */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(SECRET|PASSWORD|ACCESS_KEY|TOKEN|_KEY$).*");

    @TempDir
    static Path tmp;
    static Path chart;
    static Path source;

    @BeforeAll
    static void copyChartWithDependencyStandIn() throws IOException {
        source = RepoFiles.root().resolve("helm/mona");
        chart = tmp.resolve("mona");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path rel = source.relativize(f);
                if (rel.startsWith("charts")) {
                    continue; // a locally built dependency must not change what is tested
                }
                Path to = chart.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path stub = Files.createDirectories(chart.resolve("charts/temporal"));
        Files.writeString(stub.resolve("Chart.yaml"),
                "apiVersion: v2\nname: temporal\nversion: 0.44.0\ndescription: offline stand-in\n");
    }

    @Test
    void strictLintReportsNothing() {
        LintResult r = new Helm(chart).lint().strict().call();
        assertFalse(r.isFailed(), () -> "helm lint --strict failed: " + r.getMessages());
        assertEquals(List.of(), r.getMessages());
    }

    @Test
    void bareChartDirectoryOnlyLacksTheOptionalTemporalChart() {
        // what a user sees before `helm dependency build`: one warning, about the dependency and nothing else
        LintResult r = new Helm(source).lint().strict().call();
        assertEquals(1, r.getMessages().size(), () -> "messages: " + r.getMessages());
        assertTrue(r.getMessages().get(0).contains("missing these dependencies: temporal"), r.getMessages()::toString);
    }

    @Test
    void defaultValuesRenderBothWorkloadsWithProbesAndSecurity() throws IOException {
        Rendered out = render(Map.of());
        Deployment orch = out.deployment("rel-mona-orchestrator");
        Deployment gpu = out.deployment("rel-mona-gpu-worker");
        assertEquals(1, out.all(ServiceAccount.class).size());

        for (Deployment d : List.of(orch, gpu)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertEquals(1, pod.getContainers().size());
            Container c = pod.getContainers().get(0);
            assertProbe(c.getLivenessProbe(), "live");
            assertProbe(c.getReadinessProbe(), "ready");
            assertProbe(c.getStartupProbe(), "live");
            assertEquals(8081, c.getPorts().get(0).getContainerPort());

            assertTrue(pod.getSecurityContext().getRunAsNonRoot());
            assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
            assertTrue(c.getSecurityContext().getRunAsNonRoot());
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
            assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
            assertFalse(pod.getAutomountServiceAccountToken());

            // graceful drain: preStop, then the JVM gets the rest of the grace period for running activities
            assertEquals(List.of("sleep", "10"), c.getLifecycle().getPreStop().getExec().getCommand());
            long grace = pod.getTerminationGracePeriodSeconds();
            assertTrue(grace >= 600, "grace " + grace);
            assertEquals(String.valueOf(grace - 25), env(c, "MONA_SHUTDOWN_GRACE_SECONDS").getValue());

            assertEquals("temporal-frontend:7233", env(c, "TEMPORAL_ADDRESS").getValue());
            assertEquals("default", env(c, "TEMPORAL_NAMESPACE").getValue());
            assertEquals("http://minio:9000", env(c, "MONA_S3_ENDPOINT").getValue());
            assertEquals("mona", env(c, "MONA_S3_BUCKET").getValue());
            assertSecretRef(env(c, "MONA_S3_ACCESS_KEY"), "mona-s3", "access-key");
            assertSecretRef(env(c, "MONA_S3_SECRET_KEY"), "mona-s3", "secret-key");
            assertNull(envOrNull(c, "TEMPORAL_TLS_CERT"), "TLS is off by default");
            // the root file system is read-only: every place the JVM and DJL write to is a volume
            List<String> mounts = c.getVolumeMounts().stream().map(m -> m.getMountPath()).toList();
            assertTrue(mounts.containsAll(List.of("/tmp", "/var/cache/mona", "/var/lib/mona/work")), mounts::toString);
            assertEquals("/var/cache/mona/djl", env(c, "DJL_CACHE_DIR").getValue());
            assertEquals("/var/lib/mona/work", env(c, "MONA_DATA_DIR").getValue());
        }
        Container oc = orch.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertFalse(oc.getResources().getLimits().containsKey("nvidia.com/gpu"), "orchestrator takes no GPU");
        assertEquals(List.of("orchestrator"), oc.getArgs());
        assertNull(envOrNull(oc, "MONA_GPUS"), "the orchestrator has no GPU slots");
        assertEquals("mona/mona:0.1.0", oc.getImage());

        PodSpec gp = gpu.getSpec().getTemplate().getSpec();
        Container gc = gp.getContainers().get(0);
        assertEquals(new Quantity("1"), gc.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("mona/mona-gpu:0.1.0", gc.getImage());
        assertEquals(List.of("gpu"), gc.getArgs());
        assertEquals("1", env(gc, "MONA_GPUS").getValue(), "one activity slot per GPU");
        assertEquals(Map.of("nvidia.com/gpu.present", "true"), gp.getNodeSelector());
        assertGpuToleration(gp.getTolerations());
        assertShm(gp, gc, "8Gi");
        assertEquals(3600L, gp.getTerminationGracePeriodSeconds());
        assertEquals(0, gpu.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal(),
                "no surge: a replacement pod would wait for a GPU that the old pod still holds");
    }

    @Test
    void gpuValuesFileRendersGpuLimitsTolerationsTlsAndShm() throws IOException {
        Rendered out = render(Map.of(), chart.resolve("values-gpu.yaml"));
        Deployment gpu = out.deployment("rel-mona-gpu-worker");
        assertEquals(2, gpu.getSpec().getReplicas());
        PodSpec gp = gpu.getSpec().getTemplate().getSpec();
        Container gc = gp.getContainers().get(0);
        assertEquals(new Quantity("1"), gc.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("1"), gc.getResources().getRequests().get("nvidia.com/gpu"));
        assertEquals(new Quantity("64Gi"), gc.getResources().getLimits().get("memory"));
        assertEquals("NVIDIA-H100-80GB-HBM3", gp.getNodeSelector().get("nvidia.com/gpu.product"));
        assertGpuToleration(gp.getTolerations());
        assertTrue(gp.getTolerations().stream().anyMatch(t -> "dedicated".equals(t.getKey())
                && "gpu".equals(t.getValue()) && "Equal".equals(t.getOperator())));
        assertShm(gp, gc, "16Gi");
        assertEquals(7200L, gp.getTerminationGracePeriodSeconds());
        assertEquals("-Xmx24g -Djava.io.tmpdir=/tmp", env(gc, "JAVA_TOOL_OPTIONS").getValue());
        assertEquals("1", env(gc, "MONA_GPUS").getValue());

        for (Deployment d : out.all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertEquals("mona", env(c, "TEMPORAL_NAMESPACE").getValue());
            assertEquals("/etc/mona/temporal-tls/tls.crt", env(c, "TEMPORAL_TLS_CERT").getValue());
            Volume tls = volume(pod, "temporal-tls");
            assertEquals("mona-temporal-tls", tls.getSecret().getSecretName());
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("temporal-tls")
                    && m.getReadOnly() && m.getMountPath().equals("/etc/mona/temporal-tls")));
            assertSecretRef(env(c, "MONA_S3_SECRET_KEY"), "mona-s3", "secret-key");
            assertEquals("mona-artifacts", env(c, "MONA_S3_BUCKET").getValue());
        }
        assertNull(volumeOrNull(out.deployment("rel-mona-orchestrator").getSpec().getTemplate().getSpec(), "dshm"),
                "only GPU workers need a large /dev/shm");
    }

    @Test
    void noCredentialIsRenderedInPlainText() throws IOException {
        List<Rendered> renders = List.of(render(Map.of()), render(Map.of(), chart.resolve("values-gpu.yaml")),
                render(Map.of("extraEnv[0].name", "HF_TOKEN", "extraEnv[0].valueFrom.secretKeyRef.name", "hf",
                        "extraEnv[0].valueFrom.secretKeyRef.key", "token")));
        for (Rendered out : renders) {
            assertTrue(out.kinds().stream().noneMatch(k -> k.equals("Secret") || k.equals("ConfigMap")),
                    "the chart must not carry credentials in its own Secret or ConfigMap: " + out.kinds());
            for (Deployment d : out.all(Deployment.class)) {
                for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                    if (!CREDENTIAL_NAME.matcher(e.getName()).matches()) {
                        continue;
                    }
                    boolean mountedFilePath = e.getValue() != null && e.getValue().startsWith("/etc/mona/");
                    assertTrue(mountedFilePath || (e.getValue() == null && e.getValueFrom().getSecretKeyRef() != null),
                            () -> "credential-like env " + e.getName() + " must come from a Secret, got " + e);
                }
            }
        }
        // values have no place for a literal credential: the schema refuses one
        assertSchemaRejects(Map.of("s3.accessKey", "AKIAIOSFODNN7EXAMPLE"), "accessKey");
        assertSchemaRejects(Map.of("s3.credentials.secretKey", "wJalrXUtnFEMI"), "secretKey");
        assertSchemaRejects(Map.of("extraEnv[0].name", "DB_PASSWORD", "extraEnv[0].value", "hunter2"), "extraEnv");
    }

    @Test
    void schemaEnforcesNonRootAndPinnedImages() {
        assertSchemaRejects(Map.of("podSecurityContext.runAsNonRoot", false), "runAsNonRoot");
        assertSchemaRejects(Map.of("containerSecurityContext.allowPrivilegeEscalation", true), "allowPrivilegeEscalation");
        assertSchemaRejects(Map.of("images.gpuWorker.tag", "latest"), "tag");
        assertSchemaRejects(Map.of("gpuWorker.gpus", 0), "gpus");
    }

    @Test
    void temporalAddressComesFromTheSubchartWhenEnabledAndIsRequiredOtherwise() throws IOException {
        Rendered out = render(Map.of("temporal.enabled", true, "temporalConnection.address", ""));
        Container c = out.deployment("rel-mona-orchestrator").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("rel-temporal-frontend:7233", env(c, "TEMPORAL_ADDRESS").getValue());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> render(Map.of("temporalConnection.address", "")));
        assertTrue(e.getMessage().contains("temporalConnection.address is empty"), e.getMessage());
        IllegalStateException tls = assertThrows(IllegalStateException.class,
                () -> render(Map.of("temporalConnection.tls.enabled", true)));
        assertTrue(tls.getMessage().contains("tls.secretName is empty"), tls.getMessage());
    }

    @Test
    void gpuWorkersCanBeTurnedOff() throws IOException {
        Rendered out = render(Map.of("gpuWorker.enabled", false));
        assertEquals(List.of("rel-mona-orchestrator"),
                out.all(Deployment.class).stream().map(d -> d.getMetadata().getName()).toList());
    }

    @Test
    void notesTellWhereTheWorkersConnectAndWhichSecretIsNeeded() {
        // a client-only dry-run install renders NOTES.txt without a cluster
        String out = new Helm(chart).install().withName(RELEASE).withNamespace("mona").dryRun().clientOnly()
                .withValuesFile(chart.resolve("values-gpu.yaml")).call().getOutput();
        assertTrue(out.contains("NOTES:"), out);
        assertTrue(out.contains("rel-mona-gpu-worker: 2 replica(s) x 1 nvidia.com/gpu"), out);
        assertTrue(out.contains("temporal-frontend.temporal.svc.cluster.local:7233 (namespace \"mona\", TLS from Secret "
                + "\"mona-temporal-tls\")"), out);
        assertTrue(out.contains("create secret generic mona-s3"), out);
    }

    @Test
    void everyKeyOfValuesYamlIsDescribedInTheSchema() throws IOException {
        JsonNode values = YAML.readTree(source.resolve("values.yaml").toFile());
        JsonNode schema = JSON.readTree(source.resolve("values.schema.json").toFile());
        List<String> missing = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        walk(values, schema, "", missing, seen);
        assertEquals(List.of(), missing, "keys of values.yaml absent from values.schema.json");
        assertTrue(seen.size() > 60, "walked only " + seen.size() + " keys");
        assertTrue(seen.contains("gpuWorker.shmSizeLimit") && seen.contains("s3.credentials.existingSecret"), seen::toString);
        // every schema level that lists properties also refuses unknown ones, so a typo cannot pass silently
        assertEquals(false, schema.get("additionalProperties").asBoolean(true));
        assertEquals(false, schema.at("/properties/s3/additionalProperties").asBoolean(true));
        assertEquals(false, schema.at("/properties/gpuWorker/additionalProperties").asBoolean(true));
    }

    private static void walk(JsonNode value, JsonNode schema, String path, List<String> missing, List<String> seen) {
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                seen.add(p);
                JsonNode sub = schema.path("properties").path(f.getKey());
                if (sub.isMissingNode()) {
                    JsonNode additional = schema.path("additionalProperties");
                    if (additional.isObject()) {
                        sub = additional; // a documented map of free keys (e.g. resource quantities)
                    } else {
                        missing.add(p);
                        continue;
                    }
                }
                walk(f.getValue(), sub, p, missing, seen);
            }
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                walk(item, schema.path("items"), path + "[]", missing, seen);
            }
        }
    }

    private static void assertSchemaRejects(Map<String, Object> set, String mentioned) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(set),
                () -> "values " + set + " were accepted");
        assertTrue(e.getMessage().contains("values don't meet the specifications of the schema"), e.getMessage());
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }

    private static void assertProbe(Probe p, String mode) {
        assertNotNull(p);
        // the image's script (infra/docker/healthcheck.sh), copied to this path by both Dockerfiles
        assertEquals(List.of("/opt/mona/bin/healthcheck", mode), p.getExec().getCommand());
        assertTrue(p.getPeriodSeconds() > 0 && p.getFailureThreshold() > 0);
    }

    private static void assertGpuToleration(List<Toleration> tolerations) {
        assertTrue(tolerations.stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())
                && "Exists".equals(t.getOperator()) && "NoSchedule".equals(t.getEffect())), tolerations::toString);
    }

    private static void assertShm(PodSpec pod, Container c, String size) {
        Volume shm = volume(pod, "dshm");
        assertEquals("Memory", shm.getEmptyDir().getMedium());
        assertEquals(new Quantity(size), shm.getEmptyDir().getSizeLimit());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("dshm")
                && m.getMountPath().equals("/dev/shm")));
    }

    private static void assertSecretRef(EnvVar e, String secret, String key) {
        assertNull(e.getValue(), e.getName() + " must not carry a literal value");
        assertEquals(secret, e.getValueFrom().getSecretKeyRef().getName());
        assertEquals(key, e.getValueFrom().getSecretKeyRef().getKey());
    }

    private static EnvVar env(Container c, String name) {
        EnvVar e = envOrNull(c, name);
        assertNotNull(e, () -> "env " + name + " missing in container " + c.getName());
        return e;
    }

    private static EnvVar envOrNull(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
    }

    private static Volume volume(PodSpec pod, String name) {
        Volume v = volumeOrNull(pod, name);
        assertNotNull(v, () -> "volume " + name + " missing");
        return v;
    }

    private static Volume volumeOrNull(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElse(null);
    }

    private static Rendered render(Map<String, Object> set, Path... valuesFiles) throws IOException {
        var cmd = new Helm(chart).template().withName(RELEASE).withNamespace("mona");
        for (Path f : valuesFiles) {
            cmd = cmd.withValuesFile(f);
        }
        for (Map.Entry<String, Object> e : set.entrySet()) {
            cmd = cmd.set(e.getKey(), e.getValue());
        }
        return Rendered.parse(cmd.call());
    }

    /** The objects of one {@code helm template} output, each typed by its kind. */
    private record Rendered(List<Object> objects) {
        static Rendered parse(String yaml) throws IOException {
            List<Object> out = new ArrayList<>();
            try (var it = YAML.readerFor(Map.class).<Map<String, Object>>readValues(yaml)) {
                while (it.hasNext()) {
                    Map<String, Object> doc = it.next();
                    if (doc == null || doc.isEmpty()) {
                        continue;
                    }
                    String kind = String.valueOf(doc.get("kind"));
                    out.add(switch (kind) {
                        case "Deployment" -> YAML.convertValue(doc, Deployment.class);
                        case "ServiceAccount" -> YAML.convertValue(doc, ServiceAccount.class);
                        default -> doc; // kept untyped; kinds() still reports it
                    });
                }
            }
            return new Rendered(out);
        }

        <T> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        List<String> kinds() {
            return objects.stream().map(o -> o instanceof Map<?, ?> m ? String.valueOf(m.get("kind"))
                    : o.getClass().getSimpleName()).toList();
        }

        Deployment deployment(String name) {
            return all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no Deployment " + name + " in " + kinds()));
        }
    }
}
