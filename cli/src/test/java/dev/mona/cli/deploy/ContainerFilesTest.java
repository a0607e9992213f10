package dev.mona.cli.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Static checks of the container images ({@code infra/docker}) and the local cluster ({@code infra/compose}):
 * structure, versions pinned (never {@code latest}), non-root users, no credential written into the files.
 * Docker itself cannot run on the build machines, so nothing here builds or starts a container.
 */
class ContainerFilesTest {
    private static final Path ROOT = RepoFiles.root();
    private static final Pattern VAR = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}?");
    private static final Pattern CREDENTIAL_NAME =
            Pattern.compile("(?i).*(PASSWORD|PWD|SECRET|ACCESS_KEY|ROOT_USER|TOKEN|MC_HOST).*");
    private static final Set<String> MONA_SERVICES = Set.of("orchestrator", "worker", "gpu-worker");

    /** One Dockerfile instruction, continuation lines joined. */
    record Instruction(String keyword, String args) {}

    static List<Instruction> parseDockerfile(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String t = raw.strip();
            if (t.startsWith("#") || (t.isEmpty() && line.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                line.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            line.append(t);
            String s = line.toString().strip();
            line.setLength(0);
            if (s.isEmpty()) {
                continue;
            }
            int sp = s.indexOf(' ');
            out.add(new Instruction(s.substring(0, sp).toUpperCase(), s.substring(sp + 1).strip()));
        }
        return out;
    }

    /** The image reference of a FROM with build-argument defaults substituted. */
    static String resolve(String ref, Map<String, String> args) {
        Matcher m = VAR.matcher(ref);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = args.get(m.group(1));
            assertNotNull(v, "build argument " + m.group(1) + " has no default");
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A reference pinned by a version tag (a digit in it, not latest), with or without a digest. */
    static void assertPinned(String image, String where) {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = noDigest.lastIndexOf('/');
        int colon = noDigest.lastIndexOf(':');
        assertTrue(colon > slash, where + ": image " + image + " has no tag");
        String tag = noDigest.substring(colon + 1);
        assertFalse(tag.equalsIgnoreCase("latest") || tag.contains("latest"), where + ": image " + image + " uses latest");
        assertTrue(tag.matches(".*[0-9].*"), where + ": tag of " + image + " is not a version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orchestrator.Dockerfile", "gpu-worker.Dockerfile"})
    void dockerfilePinsBasesRunsAsNonRootAndChecksHealth(String name) throws IOException {
        Path file = ROOT.resolve("infra/docker").resolve(name);
        List<Instruction> ins = parseDockerfile(file);
        String text = Files.readString(file);
        Map<String, String> args = new HashMap<>();
        Set<String> stages = new LinkedHashSet<>();
        List<String> bases = new ArrayList<>();
        int lastFrom = -1;
        for (int i = 0; i < ins.size(); i++) {
            Instruction in = ins.get(i);
            if (in.keyword().equals("ARG") && in.args().contains("=") && lastFrom < 0) {
                String[] kv = in.args().split("=", 2);
                args.put(kv[0], kv[1]);
            }
            if (in.keyword().equals("FROM")) {
                lastFrom = i;
                String[] parts = in.args().split("\\s+");
                String image = resolve(parts[0], args);
                if (!stages.contains(image)) {
                    assertPinned(image, name);
                    bases.add(image);
                }
                if (parts.length == 3 && parts[1].equalsIgnoreCase("AS")) {
                    stages.add(parts[2]);
                }
            }
        }
        assertTrue(lastFrom >= 0, "no FROM in " + name);
        assertTrue(stages.contains("build"), "multi-stage: the jars are built in a 'build' stage");
        assertTrue(text.contains("@sha256:<digest>"), "the digest-pinning recipe is documented in " + name);

        List<Instruction> last = ins.subList(lastFrom, ins.size());
        String user = null;
        for (Instruction in : last) {
            if (in.keyword().equals("USER")) {
                user = in.args();
            }
        }
        assertNotNull(user, name + ": the final stage sets no USER");
        String uid = user.split(":")[0];
        assertTrue(uid.matches("[1-9][0-9]*"), name + ": USER must be a numeric non-root id (runAsNonRoot), got " + user);
        assertEquals("10001", uid, "the Helm chart's runAsUser");
        assertTrue(last.stream().anyMatch(in -> in.keyword().equals("HEALTHCHECK") && in.args().contains("CMD")),
                name + ": no HEALTHCHECK");
        assertTrue(last.stream().anyMatch(in -> in.keyword().equals("ENTRYPOINT")
                && in.args().equals("[\"/opt/mona/bin/mona-worker\"]")), name + ": the entry point is the worker");
        String role = name.startsWith("gpu") ? "gpu" : "orchestrator";
        assertTrue(last.stream().anyMatch(in -> in.keyword().equals("CMD") && in.args().equals("[\"" + role + "\"]")),
                name + ": default role " + role);
        assertTrue(last.stream().anyMatch(in -> in.keyword().equals("EXPOSE") && in.args().equals("8081")),
                name + ": the health port of the chart (8081) is not exposed");

        // every file copied from the build context exists
        for (Instruction in : ins) {
            if (in.keyword().equals("COPY") && !in.args().startsWith("--from")) {
                String[] parts = in.args().split("\\s+");
                for (int k = 0; k < parts.length - 1; k++) {
                    if (!parts[k].equals(".")) {
                        Path src = ROOT.resolve(parts[k]);
                        assertTrue(Files.exists(src), name + ": COPY source " + parts[k] + " missing");
                        if (parts[k].endsWith(".sh")) {
                            assertTrue(Files.isExecutable(src), parts[k] + " must be executable");
                        }
                    }
                }
            }
        }
        String build = ins.stream().filter(in -> in.keyword().equals("RUN") && in.args().contains("mvn "))
                .map(Instruction::args).findFirst().orElseThrow(() -> new AssertionError(name + ": no mvn build"));
        assertTrue(build.contains("package") && build.contains("-DskipTests"), build);
        // MKL's dispatch library is compiled in the build stage by core's MklDispatch itself (its test checks that
        // the engine then loads it without a compiler) and copied into the mona user's ~/.cache/mona/native
        List<Instruction> buildStage = ins.subList(0, lastFrom);
        assertTrue(buildStage.stream().anyMatch(in -> in.keyword().equals("RUN") && in.args().contains("gcc")
                && in.args().contains("java -cp 'cli/target/lib/*' dev.mona.core.engine.MklDispatch /out/native")),
                name + ": the build stage does not compile MklDispatch's library");
        assertTrue(Files.readString(ROOT.resolve("core/src/main/java/dev/mona/core/engine/MklDispatch.java"))
                .contains("public static void main(String[] args)"), "MklDispatch has no main");
        assertTrue(last.stream().anyMatch(in -> in.keyword().equals("COPY")
                && in.args().equals("--from=build /out/native/ /var/lib/mona/.cache/mona/native/")),
                name + ": the runtime stage does not take MklDispatch's library");
        assertTrue(last.stream().anyMatch(in -> in.keyword().equals("RUN")
                && in.args().contains("--home-dir /var/lib/mona ")), name + ": the mona user's home moved");
        String dockerignore = Files.readString(file.resolveSibling(name + ".dockerignore"));
        assertTrue(dockerignore.contains("**/target/") && dockerignore.contains(".git/"), "context filter");

        if (name.startsWith("gpu")) {
            assertTrue(build.contains("-Pcuda"), "the GPU image is built with the cuda profile: " + build);
            String runtime = bases.get(bases.size() - 1);
            assertTrue(runtime.startsWith("nvidia/cuda:12.4") && runtime.contains("cudnn"),
                    "CUDA 12.4 with cuDNN for pytorch-native-cu124 and onnxruntime_gpu: " + runtime);
        } else {
            assertFalse(build.contains("-Pcuda"), build);
        }
    }

    @Test
    void entryPointsRunClassesThatExistAndHealthcheckProbesTheHealthPort() throws IOException {
        for (String[] script : new String[][] {{"mona.sh", "dev.mona.cli.Main"}, {"mona-worker.sh", "dev.mona.workers.WorkerMain"}}) {
            String text = Files.readString(ROOT.resolve("infra/docker").resolve(script[0]));
            assertTrue(text.contains(script[1]) && text.contains("-Dai.djl.offline=true") && text.contains("exec java"), script[0]);
            String module = script[1].contains(".cli.") ? "cli" : "workers";
            Path source = ROOT.resolve(module + "/src/main/java/" + script[1].replace('.', '/') + ".java");
            assertTrue(Files.readString(source).contains("public static void main(String[] args)"), source.toString());
        }
        // the roles the images start are roles WorkerMain knows
        String workers = Files.readString(ROOT.resolve("workers/src/main/java/dev/mona/workers/Workers.java"));
        for (String role : List.of("ORCHESTRATOR", "GPU")) {
            assertTrue(workers.contains(role), "Workers.Role has no " + role);
        }
        String health = Files.readString(ROOT.resolve("infra/docker/healthcheck.sh"));
        assertTrue(health.contains("MONA_HEALTH_PORT") && health.contains("/healthz") && health.contains("/readyz"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mona-worker.sh", "mona.sh"})
    void entryPointsTakeLibtorchThreadsFromMonaThreads(String script, @TempDir Path tmp) throws Exception {
        // a stand-in `java` prints the arguments the entry point would start the JVM with
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        String cores = run(tmp, "nproc", Map.of()).output().strip();

        assertTrue(run(tmp, script, Map.of("MONA_THREADS", "3")).output().contains("-Dai.djl.pytorch.num_threads=3 "));
        // the Helm chart's downward API gives 0 for a container without a CPU request: all cores, as when unset
        assertTrue(run(tmp, script, Map.of("MONA_THREADS", "0")).output().contains("-Dai.djl.pytorch.num_threads=" + cores + " "));
        assertTrue(run(tmp, script, Map.of()).output().contains("-Dai.djl.pytorch.num_threads=" + cores + " "));
        Result bad = run(tmp, script, Map.of("MONA_THREADS", "1.5"));
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("MONA_THREADS must be a whole number of threads") && bad.output().contains("'1.5'"),
                bad.output());
    }

    private record Result(int exitCode, String output) {}

    /** Runs an entry point of infra/docker (or a plain command) with {@code bin} first on the PATH. */
    private static Result run(Path bin, String command, Map<String, String> env) throws Exception {
        Path script = ROOT.resolve("infra/docker").resolve(command);
        ProcessBuilder pb = Files.exists(script) ? new ProcessBuilder("bash", script.toString(), "orchestrator")
                : new ProcessBuilder(command);
        pb.environment().remove("MONA_THREADS");
        pb.environment().putAll(env);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Result(p.waitFor(), out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTemporalPostgresMinioAndTheWorkersPinnedAndNonRoot() throws IOException {
        Path file = ROOT.resolve("infra/compose/compose.yaml");
        Map<String, Object> compose = new Yaml().load(Files.readString(file));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertTrue(services.keySet().containsAll(List.of("postgresql", "temporal", "minio", "orchestrator", "worker")),
                services.keySet()::toString);

        services.forEach((name, svc) -> assertPinned((String) svc.get("image"), "service " + name));
        assertTrue(((String) services.get("temporal").get("image")).startsWith("temporalio/auto-setup:"));
        assertTrue(((String) services.get("minio").get("image")).startsWith("minio/minio:RELEASE."));
        assertTrue(((String) services.get("postgresql").get("image")).startsWith("postgres:"));

        Map<String, Object> temporalEnv = (Map<String, Object>) services.get("temporal").get("environment");
        assertEquals("postgres12", temporalEnv.get("DB"));
        assertEquals("postgresql", temporalEnv.get("POSTGRES_SEEDS"), "Temporal must use the compose PostgreSQL");
        assertEquals("service_healthy", dependency(services.get("temporal"), "postgresql"));

        for (String name : MONA_SERVICES) {
            Map<String, Object> svc = services.get(name);
            assertNotNull(svc, name);
            assertEquals("10001:10001", svc.get("user"), name + " runs as the image's non-root user");
            assertEquals(Boolean.TRUE, svc.get("read_only"), name);
            assertTrue(((List<String>) svc.get("cap_drop")).contains("ALL"), name);
            assertTrue(((List<String>) svc.get("security_opt")).contains("no-new-privileges:true"), name);
            assertEquals("service_healthy", dependency(svc, "temporal"), name);
            Map<String, Object> env = (Map<String, Object>) svc.get("environment");
            assertEquals("temporal:7233", env.get("TEMPORAL_ADDRESS"), name);
            assertEquals("default", env.get("TEMPORAL_NAMESPACE"), name);
            assertEquals("http://minio:9000", env.get("MONA_S3_ENDPOINT"), name);
            assertNotNull(env.get("MONA_S3_BUCKET"), name);
            assertEquals(List.of(name.equals("orchestrator") ? "orchestrator" : "gpu"), svc.get("command"), name);
            if (!name.equals("orchestrator")) {
                assertEquals("1", env.get("MONA_GPUS"), name + ": GPU activity slots");
            }
            assertTrue(String.valueOf(env.get("MONA_S3_SECRET_KEY")).startsWith("${MONA_S3_SECRET_KEY"), name);
            Map<String, Object> build = (Map<String, Object>) svc.get("build");
            Path dockerfile = file.getParent().resolve((String) build.get("context")).normalize()
                    .resolve((String) build.get("dockerfile"));
            assertTrue(Files.isRegularFile(dockerfile), name + ": " + dockerfile);
        }
        Map<String, Object> gpu = services.get("gpu-worker");
        assertEquals(List.of("gpu"), gpu.get("profiles"), "the CUDA worker only starts with --profile gpu");
        assertTrue(((String) gpu.get("image")).contains("mona-gpu"));
        assertTrue(String.valueOf(gpu.get("deploy")).contains("driver=nvidia"), "GPU reservation");
        assertTrue(String.valueOf(((Map<String, Object>) gpu.get("build")).get("dockerfile")).endsWith("gpu-worker.Dockerfile"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeTakesEveryCredentialFromTheEnvironment() throws IOException {
        Path dir = ROOT.resolve("infra/compose");
        Map<String, Object> compose = new Yaml().load(Files.readString(dir.resolve("compose.yaml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Set<String> required = new LinkedHashSet<>();
        services.forEach((name, svc) -> {
            Object env = svc.get("environment");
            if (env == null) {
                return;
            }
            ((Map<String, Object>) env).forEach((k, v) -> {
                if (CREDENTIAL_NAME.matcher(k).matches()) {
                    String value = String.valueOf(v);
                    Matcher m = VAR.matcher(value);
                    if (!m.find()) {
                        fail(name + ": " + k + " is written into compose.yaml; take it from .env instead");
                    }
                    assertTrue(m.group(2) == null, name + ": " + k + " has a default value in compose.yaml");
                    do {
                        required.add(m.group(1));
                    } while (m.find());
                }
            });
        });
        assertTrue(required.containsAll(List.of("POSTGRES_PASSWORD", "MONA_S3_ACCESS_KEY", "MONA_S3_SECRET_KEY")), required::toString);
        String example = Files.readString(dir.resolve(".env.example"));
        for (String v : required) {
            assertTrue(example.contains(v + "="), ".env.example does not document " + v);
        }
        assertTrue(Files.readString(ROOT.resolve(".gitignore")).contains("infra/compose/.env"), ".env must never be committed");
    }

    @SuppressWarnings("unchecked")
    private static Object dependency(Map<String, Object> svc, String on) {
        Map<String, Object> deps = (Map<String, Object>) svc.get("depends_on");
        assertNotNull(deps);
        Map<String, Object> d = (Map<String, Object>) deps.get(on);
        assertNotNull(d, "no dependency on " + on);
        return d.get("condition");
    }
}
