package dev.mona.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
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
 * The Helm chart {@code helm/mona}, checked with the real helm (helm-java, offline): strict lint, rendering of the
 * checked-out chart directory itself (it declares no dependency, so nothing has to be fetched) with the default
 * values, with {@code values-gpu.yaml} and with every knob set; the rendered objects read as typed Kubernetes
 * objects, and the values schema refusing unknown keys and literal credentials.
 *
 * <p>{@code helm template} leaves hook objects out of its output. The Temporal setup Job is a hook, so its checks
 * render a copy of the chart with one extra template that includes the Job's named template with the hook
 * annotation renamed, which makes it an ordinary manifest with the same content.
 */
class HelmChartTest {
    private static final String RELEASE = "rel";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Environment names that would carry a credential if given a literal value. */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(SECRET|PASSWORD|ACCESS_KEY|TOKEN|_KEY$).*");
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @TempDir
    static Path tmp;
    /** The checked-out chart directory, rendered as it is. */
    static Path chart;
    /** A copy of the chart whose extra template renders the setup hook Job as an ordinary manifest. */
    static Path chartWithHooks;
    static JsonNode SCHEMA;

    @BeforeAll
    static void locateChartAndCopyItWithHooksAsManifests() throws IOException {
        chart = RepoFiles.root().resolve("helm/mona");
        SCHEMA = JSON.readTree(chart.resolve("values.schema.json").toFile());
        chartWithHooks = tmp.resolve("mona");
        try (Stream<Path> files = Files.walk(chart)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = chartWithHooks.resolve(chart.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Files.writeString(chartWithHooks.resolve("templates/zz-hooks-as-manifests.yaml"),
                "{{- if .Values.temporalSetup.enabled }}\n"
                        + "{{ include \"mona.temporalSetupJob\" . | replace \"\\\"helm.sh/hook\" \"\\\"test.hook\" }}\n"
                        + "{{- end }}\n");
    }

    @Test
    void strictLintOfTheCheckedOutChartReportsNothing() throws IOException {
        // no dependency to fetch: the chart directory lints and renders on a machine without network
        assertNull(YAML.readTree(chart.resolve("Chart.yaml").toFile()).get("dependencies"));
        LintResult r = new Helm(chart).lint().strict().call();
        assertFalse(r.isFailed(), () -> "helm lint --strict failed: " + r.getMessages());
        assertEquals(List.of(), r.getMessages());
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

        // libtorch threads follow each container's CPU request through the downward API
        for (Deployment d : List.of(orch, gpu)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            ResourceFieldSelector threads = env(c, "MONA_THREADS").getValueFrom().getResourceFieldRef();
            assertEquals("requests.cpu", threads.getResource());
            assertEquals(c.getName(), threads.getContainerName());
            assertEquals(new Quantity("1"), threads.getDivisor(), "whole threads: the request rounded up");
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertNull(pod.getPriorityClassName());
            assertNull(pod.getRuntimeClassName());
            assertTrue(pod.getTopologySpreadConstraints().isEmpty(), pod.getTopologySpreadConstraints()::toString);
            assertEquals(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate().getMetadata().getLabels());
        }
        // a PodDisruptionBudget per workload, selecting exactly its pods
        assertPdb(out, "rel-mona-orchestrator", orch, "maxUnavailable", 1);
        assertPdb(out, "rel-mona-gpu-worker", gpu, "maxUnavailable", 1);
        assertEquals(List.of("Deployment", "Deployment", "PodDisruptionBudget", "PodDisruptionBudget", "ServiceAccount"),
                out.kinds().stream().sorted().toList(), "no MinIO unless asked for");
    }

    @Test
    void everyKnobRendersIntoTheManifests() throws IOException {
        Path knobs = tmp.resolve("knobs.yaml");
        Files.writeString(knobs, """
                images:
                  orchestrator: {repository: reg.example.org/mona, tag: "0.2.0", digest: "%1$s"}
                  gpuWorker: {repository: reg.example.org/mona-gpu, tag: "0.2.0", digest: "%1$s"}
                extraEnv:
                  - {name: SHARED_SETTING, value: "on"}
                orchestrator:
                  podLabels: {team: research}
                  podAnnotations: {prometheus.io/scrape: "true"}
                  priorityClassName: batch-low
                  extraEnv:
                    - {name: ORCH_ONLY, value: "1"}
                  podDisruptionBudget: {enabled: false}
                gpuWorker:
                  podLabels: {team: research, accelerator: gpu}
                  podAnnotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}
                  priorityClassName: gpu-high
                  runtimeClassName: nvidia
                  topologySpreadConstraints:
                    - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway}
                    - {maxSkew: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
                       labelSelector: {matchLabels: {accelerator: gpu}}}
                  extraEnv:
                    - {name: HF_TOKEN, valueFrom: {secretKeyRef: {name: hf, key: token}}}
                  extraVolumes:
                    - {name: datasets, persistentVolumeClaim: {claimName: mona-datasets, readOnly: true}}
                  extraVolumeMounts:
                    - {name: datasets, mountPath: /mnt/datasets, readOnly: true}
                  podDisruptionBudget: {enabled: true, maxUnavailable: null, minAvailable: 1}
                """.formatted(DIGEST));
        Rendered out = render(Map.of(), knobs);
        Deployment orch = out.deployment("rel-mona-orchestrator");
        Deployment gpu = out.deployment("rel-mona-gpu-worker");
        PodSpec op = orch.getSpec().getTemplate().getSpec();
        PodSpec gp = gpu.getSpec().getTemplate().getSpec();
        Container oc = op.getContainers().get(0);
        Container gc = gp.getContainers().get(0);

        assertEquals("reg.example.org/mona:0.2.0@" + DIGEST, oc.getImage());
        assertEquals("reg.example.org/mona-gpu:0.2.0@" + DIGEST, gc.getImage());

        Map<String, String> labels = gpu.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals("gpu", labels.get("accelerator"));
        assertEquals("research", labels.get("team"));
        assertEquals("gpu-worker", labels.get("app.kubernetes.io/component"), "selector labels stay");
        assertTrue(labels.entrySet().containsAll(gpu.getSpec().getSelector().getMatchLabels().entrySet()));
        assertEquals("research", orch.getSpec().getTemplate().getMetadata().getLabels().get("team"));
        assertEquals("false", gpu.getSpec().getTemplate().getMetadata().getAnnotations()
                .get("cluster-autoscaler.kubernetes.io/safe-to-evict"));
        assertEquals("true", orch.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/scrape"));

        assertEquals("batch-low", op.getPriorityClassName());
        assertEquals("gpu-high", gp.getPriorityClassName());
        assertEquals("nvidia", gp.getRuntimeClassName());
        assertNull(op.getRuntimeClassName());

        List<TopologySpreadConstraint> spread = gp.getTopologySpreadConstraints();
        assertEquals(2, spread.size());
        assertEquals("kubernetes.io/hostname", spread.get(0).getTopologyKey());
        assertEquals("ScheduleAnyway", spread.get(0).getWhenUnsatisfiable());
        assertEquals(gpu.getSpec().getSelector().getMatchLabels(), spread.get(0).getLabelSelector().getMatchLabels(),
                "a constraint without labelSelector spreads this workload's pods");
        assertEquals(Map.of("accelerator", "gpu"), spread.get(1).getLabelSelector().getMatchLabels());
        assertEquals(2, spread.get(1).getMaxSkew());

        // shared extraEnv in both, each workload's own only in its container, after the chart's variables
        assertEquals("on", env(oc, "SHARED_SETTING").getValue());
        assertEquals("on", env(gc, "SHARED_SETTING").getValue());
        assertEquals("1", env(oc, "ORCH_ONLY").getValue());
        assertNull(envOrNull(gc, "ORCH_ONLY"));
        assertSecretRef(env(gc, "HF_TOKEN"), "hf", "token");
        assertNull(envOrNull(oc, "HF_TOKEN"));

        Volume datasets = volume(gp, "datasets");
        assertEquals("mona-datasets", datasets.getPersistentVolumeClaim().getClaimName());
        assertTrue(gc.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("datasets")
                && m.getMountPath().equals("/mnt/datasets") && m.getReadOnly()));
        assertNull(volumeOrNull(op, "datasets"));
        assertTrue(gc.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/dev/shm")),
                "the chart's own mounts stay");

        assertEquals(List.of("rel-mona-gpu-worker"), out.all(JsonNode.class).stream()
                .filter(n -> n.path("kind").asText().equals("PodDisruptionBudget"))
                .map(n -> n.at("/metadata/name").asText()).toList(), "the orchestrator's budget is off");
        assertPdb(out, "rel-mona-gpu-worker", gpu, "minAvailable", 1);
    }

    @Test
    void gpuResourceNameIsConfigurable() throws IOException {
        Rendered out = render(Map.of("gpuWorker.gpuResourceName", "amd.com/gpu", "gpuWorker.gpus", 2));
        Container gc = out.deployment("rel-mona-gpu-worker").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(new Quantity("2"), gc.getResources().getLimits().get("amd.com/gpu"));
        assertEquals(new Quantity("2"), gc.getResources().getRequests().get("amd.com/gpu"));
        assertFalse(gc.getResources().getLimits().containsKey("nvidia.com/gpu"));
        assertEquals(new Quantity("32Gi"), gc.getResources().getLimits().get("memory"), "CPU and memory stay");
        assertEquals("2", env(gc, "MONA_GPUS").getValue());
        assertSchemaRejects(Map.of("gpuWorker.gpuResourceName", "gpu"), "gpuResourceName");
        assertSchemaRejects(Map.of("gpuWorker.gpuResourceName", "nvidia.com/GPU"), "gpuResourceName");
    }

    @Test
    void minioIsOptionalAndTakesItsKeysFromTheS3Secret() throws IOException {
        assertTrue(render(Map.of()).kinds().stream().noneMatch(k -> k.equals("Service")
                || k.equals("PersistentVolumeClaim")), "MinIO is off by default");

        Rendered out = render(Map.of("minio.enabled", true));
        Deployment minio = out.deployment("rel-mona-minio");
        Service svc = out.all(Service.class).get(0);
        assertEquals("rel-mona-minio", svc.getMetadata().getName());
        assertEquals(9000, svc.getSpec().getPorts().get(0).getPort());
        assertEquals(minio.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
        assertEquals(svc.getSpec().getSelector(), minio.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals("Recreate", minio.getSpec().getStrategy().getType());
        PodSpec mp = minio.getSpec().getTemplate().getSpec();
        Container mc = mp.getContainers().get(0);
        assertTrue(mc.getImage().startsWith("minio/minio:RELEASE."), mc.getImage());
        assertSecretRef(env(mc, "MINIO_ROOT_USER"), "mona-s3", "access-key");
        assertSecretRef(env(mc, "MINIO_ROOT_PASSWORD"), "mona-s3", "secret-key");
        assertTrue(mc.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(mp.getSecurityContext().getRunAsNonRoot());
        assertEquals("/minio/health/ready", mc.getReadinessProbe().getHttpGet().getPath());
        assertNotNull(volume(mp, "data").getEmptyDir(), "no claim unless persistence is on");
        assertTrue(out.all(PersistentVolumeClaim.class).isEmpty());
        // the selectors of the workers and of MinIO do not overlap
        assertFalse(svc.getSpec().getSelector().equals(
                out.deployment("rel-mona-orchestrator").getSpec().getSelector().getMatchLabels()));

        for (String name : List.of("rel-mona-orchestrator", "rel-mona-gpu-worker")) {
            Container c = out.deployment(name).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("http://rel-mona-minio:9000", env(c, "MONA_S3_ENDPOINT").getValue(), name);
            assertSecretRef(env(c, "MONA_S3_SECRET_KEY"), "mona-s3", "secret-key");
        }

        Rendered persistent = render(Map.of("minio.enabled", true, "minio.persistence.enabled", true,
                "minio.persistence.size", "5Gi", "minio.persistence.storageClass", "fast"));
        PersistentVolumeClaim pvc = persistent.all(PersistentVolumeClaim.class).get(0);
        assertEquals("fast", pvc.getSpec().getStorageClassName());
        assertEquals(new Quantity("5Gi"), pvc.getSpec().getResources().getRequests().get("storage"));
        assertEquals(pvc.getMetadata().getName(), volume(persistent.deployment("rel-mona-minio").getSpec().getTemplate()
                .getSpec(), "data").getPersistentVolumeClaim().getClaimName());
        assertSchemaRejects(Map.of("minio.rootPassword", "changeme123"), "rootPassword");
    }

    @Test
    void podDisruptionBudgetsFollowTheirWorkloads() throws IOException {
        Rendered off = render(Map.of("gpuWorker.podDisruptionBudget.enabled", false,
                "orchestrator.podDisruptionBudget.enabled", false));
        assertFalse(off.kinds().contains("PodDisruptionBudget"), off.kinds()::toString);
        Rendered noGpu = render(Map.of("gpuWorker.enabled", false));
        assertEquals(List.of("rel-mona-orchestrator"), noGpu.all(JsonNode.class).stream()
                .filter(n -> n.path("kind").asText().equals("PodDisruptionBudget"))
                .map(n -> n.at("/metadata/name").asText()).toList(), "no budget for workers that are not deployed");
        Rendered percent = render(Map.of("gpuWorker.podDisruptionBudget.maxUnavailable", "25%"));
        assertEquals("25%", pdb(percent, "rel-mona-gpu-worker").at("/spec/maxUnavailable").asText());
        assertSchemaRejects(Map.of("gpuWorker.podDisruptionBudget.minAvailable", 1), "podDisruptionBudget");
        IllegalStateException neither = assertThrows(IllegalStateException.class,
                () -> render(Map.of("gpuWorker.podDisruptionBudget.maxUnavailable", "null")));
        assertTrue(neither.getMessage().contains("sets neither maxUnavailable nor minAvailable"), neither.getMessage());
    }

    @Test
    void unknownAndMalformedKnobsAreRejected() {
        assertSchemaRejects(Map.of("podLabels.team", "x"), "podLabels"); // per workload, not top level
        assertSchemaRejects(Map.of("gpuWorker.podLabel.team", "x"), "podLabel");
        assertSchemaRejects(Map.of("orchestrator.extraVolumeMount[0].name", "x"), "extraVolumeMount");
        assertSchemaRejects(Map.of("temporal.enabled", true), "temporal"); // the subchart is gone
        assertSchemaRejects(Map.of("gpuWorker.podLabels.app\\.kubernetes\\.io/component", "other"), "podLabels");
        assertSchemaRejects(Map.of("images.gpuWorker.digest", "sha256:abc"), "digest");
        assertSchemaRejects(Map.of("gpuWorker.topologySpreadConstraints[0].maxSkew", 1), "topologySpreadConstraints");
        assertSchemaRejects(Map.of("gpuWorker.extraVolumeMounts[0].name", "d", "gpuWorker.extraVolumeMounts[0].mountPath",
                "/d", "gpuWorker.extraVolumeMounts[0].mode", "rw"), "extraVolumeMounts");
        assertSchemaRejects(Map.of("gpuWorker.extraVolumes[0].name", "tmp",
                "gpuWorker.extraVolumes[0].emptyDir.medium", "Memory"), "extraVolumes");
        assertSchemaRejects(Map.of("orchestrator.priorityClassName", "High Priority"), "priorityClassName");
        assertSchemaRejects(Map.of("temporalSetup.searchAttributes.MonaTask", "String"), "searchAttributes");
        // the GPU count has its own key, so the resource name is written once
        assertSchemaRejects(Map.of("gpuWorker.resources.limits.nvidia\\.com/gpu", 1), "limits");
    }

    @Test
    void temporalSetupJobCreatesTheNamespaceAndRegistersSearchAttributes() throws Exception {
        Rendered out = renderWithHooks(Map.of("temporalConnection.namespace", "mona",
                "temporalConnection.tls.enabled", true, "temporalConnection.tls.secretName", "mona-temporal-tls"));
        JsonNode job = out.all(JsonNode.class).stream().filter(n -> n.path("kind").asText().equals("Job")).findFirst()
                .orElseThrow(() -> new AssertionError("no Job in " + out.kinds()));
        assertEquals("rel-mona-temporal-setup", job.at("/metadata/name").asText());
        assertEquals("post-install,post-upgrade", job.at("/metadata/annotations/test.hook").asText(),
                "a hook (renamed for this render): it runs after the install and every upgrade");
        assertEquals(600, job.at("/spec/activeDeadlineSeconds").asInt());
        PodSpec pod = YAML.treeToValue(job.at("/spec/template/spec"), PodSpec.class);
        assertEquals("Never", pod.getRestartPolicy());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        Container c = pod.getContainers().get(0);
        assertTrue(c.getImage().startsWith("temporalio/admin-tools:1.25"), c.getImage());
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals("mona", env(c, "TEMPORAL_NAMESPACE").getValue());
        assertEquals("temporal-frontend:7233", env(c, "TEMPORAL_ADDRESS").getValue());
        assertEquals("mona-temporal-tls", volume(pod, "temporal-tls").getSecret().getSecretName());
        assertEquals("MonaMethod=Keyword MonaSeed=Int MonaStage=Keyword MonaSweep=Keyword MonaTask=Keyword",
                env(c, "SEARCH_ATTRIBUTES").getValue());

        // run the Job's script against a stand-in `temporal` command: the namespace is missing, MonaTask exists
        // (and MonaSeedOld, which must not pass for MonaSeed)
        Path bin = Files.createDirectories(tmp.resolve("fake-temporal-bin"));
        Path log = tmp.resolve("temporal-calls.log");
        Path fake = bin.resolve("temporal");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$*" >> "%s"
                case "$*" in
                  "operator namespace describe"*) exit 1 ;;
                  "operator search-attribute list"*) printf 'Name Type\nMonaTask Keyword\nMonaSeedOld Int\n' ;;
                esac
                exit 0
                """.formatted(log));
        assertTrue(fake.toFile().setExecutable(true));
        ProcessBuilder pb = new ProcessBuilder(c.getCommand());
        for (EnvVar e : c.getEnv()) {
            pb.environment().put(e.getName(), e.getValue());
        }
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        List<String> calls = Files.readAllLines(log);
        String tls = "--address temporal-frontend:7233 --tls --tls-ca-path /etc/mona/temporal-tls/ca.crt"
                + " --tls-cert-path /etc/mona/temporal-tls/tls.crt --tls-key-path /etc/mona/temporal-tls/tls.key";
        assertEquals("operator cluster health " + tls, calls.get(0));
        assertTrue(calls.contains("operator namespace create " + tls + " --namespace mona --retention 720h"), calls::toString);
        List<String> created = calls.stream().filter(l -> l.startsWith("operator search-attribute create")).toList();
        assertEquals(List.of("MonaMethod", "MonaSeed", "MonaStage", "MonaSweep"),
                created.stream().map(l -> l.replaceAll(".*--name (\\S+).*", "$1")).toList(),
                "only the missing attributes are created: " + calls);
        assertTrue(created.get(1).endsWith("--name MonaSeed --type Int"), created::toString);

        assertTrue(renderWithHooks(Map.of("temporalSetup.enabled", false)).kinds().stream().noneMatch("Job"::equals));
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
                        "extraEnv[0].valueFrom.secretKeyRef.key", "token")), render(Map.of("minio.enabled", true)),
                renderWithHooks(Map.of("temporalConnection.tls.enabled", true, "temporalConnection.tls.secretName", "t")));
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
        assertSchemaRejects(Map.of("gpuWorker.extraEnv[0].name", "HF_TOKEN", "gpuWorker.extraEnv[0].value", "hf_x"),
                "extraEnv");
        assertSchemaRejects(Map.of("minio.rootUser", "admin"), "rootUser");
    }

    @Test
    void schemaEnforcesNonRootAndPinnedImages() {
        assertSchemaRejects(Map.of("podSecurityContext.runAsNonRoot", false), "runAsNonRoot");
        assertSchemaRejects(Map.of("containerSecurityContext.allowPrivilegeEscalation", true), "allowPrivilegeEscalation");
        assertSchemaRejects(Map.of("images.gpuWorker.tag", "latest"), "tag");
        assertSchemaRejects(Map.of("gpuWorker.gpus", 0), "gpus");
    }

    @Test
    void temporalAddressAndTlsSecretAreRequired() {
        assertSchemaRejects(Map.of("temporalConnection.address", ""), "address");
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
    void notesTellWhereTheWorkersConnectAndHowToSubmitAndWatchARun() {
        // a client-only dry-run install of the checked-out directory renders NOTES.txt without a cluster or network
        String out = new Helm(chart).install().withName(RELEASE).withNamespace("mona").dryRun().clientOnly()
                .withValuesFile(chart.resolve("values-gpu.yaml")).call().getOutput();
        assertTrue(out.contains("NOTES:"), out);
        assertTrue(out.contains("rel-mona-gpu-worker: 2 replica(s) x 1 nvidia.com/gpu"), out);
        assertTrue(out.contains("temporal-frontend.temporal.svc.cluster.local:7233 (namespace \"mona\", TLS from Secret "
                + "\"mona-temporal-tls\")"), out);
        assertTrue(out.contains("registered the\n  search attributes MonaMethod, MonaSeed, MonaStage, MonaSweep, MonaTask"), out);
        assertTrue(out.contains("create secret generic mona-s3"), out);
        assertTrue(out.contains("kubectl -n mona exec deploy/rel-mona-orchestrator -- env JAVA_TOOL_OPTIONS=-Xmx512m mona run TASK -m mona"), out);
        assertTrue(out.contains("kubectl -n mona exec -it deploy/rel-mona-orchestrator -- env JAVA_TOOL_OPTIONS=-Xmx512m mona watch RUN_ID"), out);

        // without the setup Job the notes give the commands that create the namespace and the search attributes
        String manual = new Helm(chart).install().withName(RELEASE).withNamespace("mona").dryRun().clientOnly()
                .set("temporalSetup.enabled", false).set("temporalConnection.namespace", "mona")
                .set("minio.enabled", true).call().getOutput();
        assertTrue(manual.contains("temporal operator namespace create --address temporal-frontend:7233 --namespace mona"
                + " --retention 720h"), manual);
        assertTrue(manual.contains("temporal operator search-attribute create --address temporal-frontend:7233 --namespace mona"
                + " --name MonaSeed --type Int"), manual);
        assertTrue(manual.contains("rel-mona-minio: a single-pod MinIO"), manual);
        assertTrue(manual.contains("S3:       http://rel-mona-minio:9000"), manual);
    }

    @Test
    void everyKeyOfValuesYamlIsDescribedInTheSchema() throws IOException {
        JsonNode values = YAML.readTree(chart.resolve("values.yaml").toFile());
        JsonNode schema = SCHEMA;
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
        assertTrue(seen.containsAll(List.of("gpuWorker.gpuResourceName", "gpuWorker.podDisruptionBudget.maxUnavailable",
                "orchestrator.topologySpreadConstraints", "minio.persistence.size", "temporalSetup.searchAttributes.MonaSeed",
                "images.gpuWorker.digest")), seen::toString);
        for (String def : List.of("image", "resources", "labels", "extraVolumeMounts", "topologySpreadConstraints",
                "podDisruptionBudget", "envList")) {
            JsonNode d = schema.at("/definitions/" + def);
            JsonNode object = d.has("items") ? d.get("items") : d;
            assertTrue(!object.has("properties") || !object.path("additionalProperties").asBoolean(true)
                    || def.equals("envList"), def + " must refuse unknown keys");
        }
    }

    private static void walk(JsonNode value, JsonNode schema, String path, List<String> missing, List<String> seen) {
        schema = resolve(schema);
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                seen.add(p);
                JsonNode sub = schema.path("properties").path(f.getKey());
                if (sub.isMissingNode()) {
                    JsonNode additional = resolve(schema.path("additionalProperties"));
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

    /** The schema a {@code $ref} to {@code #/definitions/...} names, else the schema itself. */
    private static JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.isEmpty()) {
            return schema;
        }
        assertTrue(ref.startsWith("#/"), ref);
        return resolve(SCHEMA.at(ref.substring(1)));
    }

    private static void assertSchemaRejects(Map<String, Object> set, String mentioned) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(set),
                () -> "values " + set + " were accepted");
        assertTrue(e.getMessage().contains("values don't meet the specifications of the schema"), e.getMessage());
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }

    private static JsonNode pdb(Rendered out, String name) {
        return out.all(JsonNode.class).stream().filter(n -> n.path("kind").asText().equals("PodDisruptionBudget")
                        && n.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no PodDisruptionBudget " + name + " in " + out.kinds()));
    }

    private static void assertPdb(Rendered out, String name, Deployment target, String field, int value) {
        JsonNode spec = pdb(out, name).get("spec");
        assertEquals("policy/v1", pdb(out, name).path("apiVersion").asText());
        assertEquals(value, spec.path(field).asInt(-1), spec::toString);
        assertEquals(1, spec.size() - 2, () -> "one of minAvailable/maxUnavailable only: " + spec);
        assertEquals("AlwaysAllow", spec.path("unhealthyPodEvictionPolicy").asText());
        Map<String, String> selector = JSON.convertValue(spec.at("/selector/matchLabels"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        assertEquals(target.getSpec().getSelector().getMatchLabels(), selector, "the budget selects its workload's pods");
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
        return render(chart, set, valuesFiles);
    }

    private static Rendered renderWithHooks(Map<String, Object> set) throws IOException {
        return render(chartWithHooks, set);
    }

    private static Rendered render(Path chart, Map<String, Object> set, Path... valuesFiles) throws IOException {
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
                        case "Service" -> YAML.convertValue(doc, Service.class);
                        case "PersistentVolumeClaim" -> YAML.convertValue(doc, PersistentVolumeClaim.class);
                        default -> YAML.valueToTree(doc); // no model on the class path: a tree; kinds() reports it
                    });
                }
            }
            return new Rendered(out);
        }

        <T> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        List<String> kinds() {
            return objects.stream().map(o -> o instanceof JsonNode n ? n.path("kind").asText()
                    : o.getClass().getSimpleName()).toList();
        }

        Deployment deployment(String name) {
            return all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no Deployment " + name + " in " + kinds()));
        }
    }
}
