package dev.mona.workers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.net.httpserver.HttpServer;
import dev.mona.activities.Json;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.StoreConfig;
import dev.mona.core.UserError;
import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunContext;
import dev.mona.core.engine.Engines;
import dev.mona.core.fetch.ChecksumMismatchException;
import dev.mona.core.fetch.Digests;
import dev.mona.core.io.SafetensorsWriter;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.pretrained.HfCheckpoint;
import dev.mona.core.pretrained.PretrainedWeightsException;
import dev.mona.core.task.TaskCatalog;
import dev.mona.workflows.FailureMessages;
import dev.mona.workflows.RetryTuning;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The published sources through the whole workflow (fetch, source, MoNA, fine-tune, probe, export, manifest) over
 * real sockets: a tiny Swin and a tiny RoBERTa in the exact Hugging Face layout ({@code config.json},
 * {@code model.safetensors} with transformers' parameter names and random weights, RoBERTa's byte-level BPE
 * {@code tokenizer.json}) served by a local HTTP server as {@code MONA_HF_ENDPOINT} under the registry's repository
 * names, s3proxy and the port-bound Temporal server, all roles in this JVM. A missing tensor, a shape that differs
 * from {@code config.json} and a corrupted cached file fail at once with typed errors naming the tensor or file.
 */
class PublishedSourcesTest {
    static final String SWIN = "/microsoft/swin-base-patch4-window7-224-in22k/resolve/main/";
    static final String ROBERTA = "/FacebookAI/roberta-base/resolve/main/";
    static final Map<String, String> TINY = Map.of("limit", "12", "batch", "4", "epochs", "1", "source.samples",
            "20", "align.steps", "1", "probe.epochs", "5");
    // a heartbeat timeout the shared machine's load does not reach, fast retries of what does fail
    static final RetryTuning FAST = new RetryTuning(60, 300, 2, 20, 10);

    @TempDir
    static Path dir;
    static final Map<String, byte[]> served = new ConcurrentHashMap<>();
    static final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    static HttpServer hub;
    static EmbeddedS3 s3;
    static LoopbackTemporal temporal;
    static WorkflowClient client;
    static ArtifactStore store;
    static WorkerFactory workers;
    static final Map<String, String> before = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        try {
            OfflineData.fromEnvironment().fashionMnistDir();
            OfflineData.fromEnvironment().spamAssassinDir();
        } catch (RuntimeException e) {
            Assumptions.abort("offline data is not installed (run infra/setup.sh): " + e.getMessage());
        }
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            served.put(SWIN + "config.json", swinConfig(16).getBytes(StandardCharsets.UTF_8));
            served.put(SWIN + "model.safetensors", safetensors(swinTensors(16, null, m)));
            served.put(ROBERTA + "config.json", ROBERTA_CONFIG.getBytes(StandardCharsets.UTF_8));
            served.put(ROBERTA + "model.safetensors", safetensors(robertaTensors(m)));
            served.put(ROBERTA + "tokenizer.json", tokenizerJson().getBytes(StandardCharsets.UTF_8));
        }
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", ex -> {
            requests.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = served.get(ex.getRequestURI().getPath());
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        hub.start();
        setProperty(HfCheckpoint.ENDPOINT_ENV, "http://127.0.0.1:" + hub.getAddress().getPort());
        setProperty("MONA_CACHE", dir.resolve("cache").toString());
        setProperty("HF_HOME", dir.resolve("no-hf-home").toString());
        setProperty("HF_TOKEN", "hf_test_token");
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "test", "test-secret-123", "a free port");
        temporal = LoopbackTemporal.start(0, "a free port");
        client = TemporalConnection.connect(temporal.address(), "default");
        store = new ArtifactStore(new StoreConfig(s3.endpoint(), "mona", "test", "test-secret-123", "us-east-1"));
        store.ensureBucket();
        workers = Workers.create(client, store, Workers.Role.ALL, 1);
        workers.start();
    }

    @AfterAll
    static void stop() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (client != null) {
            client.getWorkflowServiceStubs().shutdownNow();
        }
        if (temporal != null) {
            temporal.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (hub != null) {
            hub.stop(0);
        }
        before.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private static void setProperty(String key, String value) {
        before.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @Test
    void swinBaseRunsThroughTheWorkflowFromTheHub() throws Exception {
        // CIFAR-10's official archive cannot be served under its published checksum: the offline image set
        Map<String, String> o = new TreeMap<>(TINY);
        o.put("source.set", ConfigKeys.FASHION_MNIST_SET);
        Map<?, ?> manifest = run("offline-pde-darcy", SourceStage.SWIN_BASE, o);
        Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) manifest.get("inputs")).get("source");
        assertEquals("swin-base", source.get("name"));
        Map<?, ?> prov = (Map<?, ?>) source.get("provenance");
        assertEquals("microsoft/swin-base-patch4-window7-224-in22k", prov.get("repo"));
        assertEquals("main", prov.get("revision"));
        assertEquals(Digests.sha256(served.get(SWIN + "model.safetensors")), prov.get("sha256.model.safetensors"));
        assertEquals(Digests.sha256(served.get(SWIN + "config.json")), prov.get("sha256.config.json"));
        assertEquals(ConfigKeys.FASHION_MNIST_SET, prov.get("sourceSet"));
        assertTrue(requests.contains(SWIN + "model.safetensors Bearer hf_test_token"), requests.toString());
        // stored once under sources/: the prepared weights of this source
        assertEquals(1, store.list("sources/swin-base/").stream().filter(e -> e.key().endsWith(".safetensors"))
                .count());
    }

    @Test
    void robertaBaseRunsThroughTheWorkflowWithItsTokenizer() throws Exception {
        Map<?, ?> manifest = run("offline-dna", SourceStage.ROBERTA_BASE, TINY);
        Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) manifest.get("inputs")).get("source");
        Map<?, ?> prov = (Map<?, ?>) source.get("provenance");
        assertEquals("FacebookAI/roberta-base", prov.get("repo"));
        assertEquals(Digests.sha256(served.get(ROBERTA + "tokenizer.json")), prov.get("sha256.tokenizer.json"));
        assertEquals("spamassassin", prov.get("sourceSet"));
    }

    /** Runs {@code task} with MoNA on {@code source}; returns the manifest after checking the stages' artifacts. */
    private static Map<?, ?> run(String task, String source, Map<String, String> overrides) throws Exception {
        TransferRequest r = new TransferRequest(task, TransferMethod.MONA, 0, source, overrides, false, FAST);
        Submissions.Submission s = Submissions.transfer(client, r);
        TransferResult res = client.newUntypedWorkflowStub(s.workflowId())
                .getResult(300, TimeUnit.SECONDS, TransferResult.class);
        for (String k : List.of("sourceWeights", "checkpoint", "manifest")) {
            assertTrue(store.exists(res.artifacts().get(k)), k + " " + res.artifacts());
        }
        assertTrue(res.artifacts().values().stream().anyMatch(k -> k.endsWith(".onnx")), res.artifacts().toString());
        assertTrue(Double.isFinite(res.probeErrorAfter()), res.toString());
        return Json.read(store.getText(ArtifactKeys.manifest(s.workflowId())), Map.class);
    }

    @Test
    void brokenCheckpointsFailAtOnceNamingTheTensorOrFile() throws Exception {
        byte[] good = served.get(SWIN + "model.safetensors");
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            // a missing tensor, through the workflow: a user error, not retried
            served.put(SWIN + "model.safetensors", safetensors(swinTensors(16, "swin.layernorm.weight", m)));
            setProperty("MONA_CACHE", dir.resolve("cache-missing").toString());
            Map<String, String> o = new TreeMap<>(TINY);
            o.put("source.set", ConfigKeys.FASHION_MNIST_SET);
            TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.FT, 7, "swin-base", o, true,
                    FAST);
            Submissions.Submission s = Submissions.transfer(client, r);
            WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> client
                    .newUntypedWorkflowStub(s.workflowId()).getResult(120, TimeUnit.SECONDS, TransferResult.class));
            assertTrue(FailureMessages.isUserError(e), FailureMessages.root(e));
            assertTrue(FailureMessages.root(e).contains("swin.layernorm.weight"), FailureMessages.root(e));

            // a tensor whose shape differs from config.json's (embed_dim 16): named with both shapes
            Map<String, NDArray> wrong = swinTensors(16, null, m);
            wrong.put("swin.embeddings.norm.weight", m.ones(new Shape(8)));
            served.put(SWIN + "model.safetensors", safetensors(wrong));
            setProperty("MONA_CACHE", dir.resolve("cache-shape").toString());
            PretrainedWeightsException shape = assertThrows(PretrainedWeightsException.class,
                    () -> prepare(m, "offline-pde-darcy", SourceStage.SWIN_BASE, o));
            assertTrue(shape.getMessage().contains("swin.embeddings.norm.weight")
                    && shape.getMessage().contains("[8]") && shape.getMessage().contains("[16]"), shape.getMessage());

            // a cached file whose bytes changed after the digest was recorded: a checksum error naming the file
            served.put(SWIN + "model.safetensors", good);
            Path cache = dir.resolve("cache-corrupt");
            setProperty("MONA_CACHE", cache.toString());
            prepare(m, "offline-pde-darcy", SourceStage.SWIN_BASE, o);
            String digest = Digests.sha256(good);
            Path blob;
            try (Stream<Path> files = Files.walk(cache.resolve("blobs"))) {
                blob = files.filter(p -> p.getFileName().toString().equals(digest)).findFirst().orElseThrow();
            }
            byte[] flipped = Files.readAllBytes(blob);
            flipped[flipped.length - 1] ^= 1;
            Files.write(blob, flipped);
            ChecksumMismatchException sum = assertThrows(ChecksumMismatchException.class,
                    () -> prepare(m, "offline-pde-darcy", SourceStage.SWIN_BASE, o));
            assertTrue(sum.getMessage().contains("model.safetensors"), sum.getMessage());
            assertEquals(UserError.Kind.CORRUPT_DATA, sum.kind());
        } finally {
            served.put(SWIN + "model.safetensors", good);
            setProperty("MONA_CACHE", dir.resolve("cache").toString());
        }
    }

    private static void prepare(NDManager m, String task, String source, Map<String, String> overrides) {
        var c = ConfigKeys.resolve(new RunContext(TaskCatalog.get(task), null, source), overrides);
        SourceStage.prepareCore(source, c, m, dir.resolve("weights-" + System.nanoTime() + ".safetensors"));
    }

    // ---- a tiny Swin and a tiny RoBERTa as transformers writes them ----

    static String swinConfig(int embed) {
        return "{\"architectures\": [\"SwinForImageClassification\"], \"model_type\": \"swin\", \"image_size\": 32,"
                + " \"patch_size\": 4, \"num_channels\": 3, \"embed_dim\": " + embed + ", \"depths\": [2, 2],"
                + " \"num_heads\": [2, 4], \"window_size\": 4, \"mlp_ratio\": 4.0, \"qkv_bias\": true,"
                + " \"hidden_act\": \"gelu\", \"use_absolute_embeddings\": false, \"layer_norm_eps\": 1e-05,"
                + " \"drop_path_rate\": 0.1, \"encoder_stride\": 32}";
    }

    /** SwinForImageClassification's tensors for {@link #swinConfig}, without {@code leaveOut}. */
    static Map<String, NDArray> swinTensors(int embed, String leaveOut, NDManager m) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("swin.embeddings.patch_embeddings.projection.weight", new long[]{embed, 3, 4, 4});
        s.put("swin.embeddings.patch_embeddings.projection.bias", new long[]{embed});
        s.put("swin.embeddings.norm.weight", new long[]{embed});
        s.put("swin.embeddings.norm.bias", new long[]{embed});
        for (int i = 0; i < 2; i++) {
            long dim = (long) embed << i;
            for (int j = 0; j < 2; j++) {
                String b = "swin.encoder.layers." + i + ".blocks." + j + ".";
                s.put(b + "layernorm_before.weight", new long[]{dim});
                s.put(b + "layernorm_before.bias", new long[]{dim});
                s.put(b + "attention.self.relative_position_bias_table", new long[]{49, i == 0 ? 2 : 4});
                s.put(b + "attention.self.relative_position_index", new long[]{16, 16});
                for (String q : List.of("query", "key", "value")) {
                    s.put(b + "attention.self." + q + ".weight", new long[]{dim, dim});
                    s.put(b + "attention.self." + q + ".bias", new long[]{dim});
                }
                s.put(b + "attention.output.dense.weight", new long[]{dim, dim});
                s.put(b + "attention.output.dense.bias", new long[]{dim});
                s.put(b + "layernorm_after.weight", new long[]{dim});
                s.put(b + "layernorm_after.bias", new long[]{dim});
                s.put(b + "intermediate.dense.weight", new long[]{4 * dim, dim});
                s.put(b + "intermediate.dense.bias", new long[]{4 * dim});
                s.put(b + "output.dense.weight", new long[]{dim, 4 * dim});
                s.put(b + "output.dense.bias", new long[]{dim});
            }
            if (i == 0) {
                s.put("swin.encoder.layers.0.downsample.reduction.weight", new long[]{2 * dim, 4 * dim});
                s.put("swin.encoder.layers.0.downsample.norm.weight", new long[]{4 * dim});
                s.put("swin.encoder.layers.0.downsample.norm.bias", new long[]{4 * dim});
            }
        }
        s.put("swin.layernorm.weight", new long[]{2L * embed});
        s.put("swin.layernorm.bias", new long[]{2L * embed});
        s.put("classifier.weight", new long[]{5, 2L * embed});
        s.put("classifier.bias", new long[]{5});
        s.remove(leaveOut);
        return shapes(s, m);
    }

    static final int VOCAB = 4 + 256 + 2;
    static final String ROBERTA_CONFIG = "{\"architectures\": [\"RobertaForMaskedLM\"], \"model_type\": \"roberta\","
            + " \"vocab_size\": " + VOCAB + ", \"hidden_size\": 8, \"num_hidden_layers\": 2,"
            + " \"num_attention_heads\": 2, \"intermediate_size\": 16, \"max_position_embeddings\": 40,"
            + " \"type_vocab_size\": 1, \"pad_token_id\": 1, \"bos_token_id\": 0, \"eos_token_id\": 2,"
            + " \"layer_norm_eps\": 1e-05, \"hidden_act\": \"gelu\", \"position_embedding_type\": \"absolute\"}";

    /** RobertaForMaskedLM's tensors for {@link #ROBERTA_CONFIG}. */
    static Map<String, NDArray> robertaTensors(NDManager m) {
        Map<String, long[]> s = new LinkedHashMap<>();
        String e = "roberta.embeddings.";
        s.put(e + "word_embeddings.weight", new long[]{VOCAB, 8});
        s.put(e + "position_embeddings.weight", new long[]{40, 8});
        s.put(e + "token_type_embeddings.weight", new long[]{1, 8});
        s.put(e + "LayerNorm.weight", new long[]{8});
        s.put(e + "LayerNorm.bias", new long[]{8});
        for (int i = 0; i < 2; i++) {
            String b = "roberta.encoder.layer." + i + ".";
            for (String q : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense")) {
                s.put(b + q + ".weight", new long[]{8, 8});
                s.put(b + q + ".bias", new long[]{8});
            }
            s.put(b + "attention.output.LayerNorm.weight", new long[]{8});
            s.put(b + "attention.output.LayerNorm.bias", new long[]{8});
            s.put(b + "intermediate.dense.weight", new long[]{16, 8});
            s.put(b + "intermediate.dense.bias", new long[]{16});
            s.put(b + "output.dense.weight", new long[]{8, 16});
            s.put(b + "output.dense.bias", new long[]{8});
            s.put(b + "output.LayerNorm.weight", new long[]{8});
            s.put(b + "output.LayerNorm.bias", new long[]{8});
        }
        s.put("lm_head.dense.weight", new long[]{8, 8});
        s.put("lm_head.dense.bias", new long[]{8});
        s.put("lm_head.layer_norm.weight", new long[]{8});
        s.put("lm_head.layer_norm.bias", new long[]{8});
        s.put("lm_head.bias", new long[]{VOCAB});
        return shapes(s, m);
    }

    /** Shapes to lazily created arrays: random normal(0, 0.02) floats, int64 zeros for index buffers. */
    private static Map<String, NDArray> shapes(Map<String, long[]> s, NDManager m) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(11);
        s.forEach((name, shape) -> {
            Shape sh = new Shape(shape);
            if (name.endsWith("relative_position_index")) {
                out.put(name, m.zeros(sh, DataType.INT64));
            } else {
                float[] v = new float[(int) sh.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.02 * rng.nextGaussian());
                }
                // LayerNorm scales near 1, as pretrained ones are
                if (name.endsWith("LayerNorm.weight") || name.endsWith("norm.weight")
                        || name.endsWith("layernorm_before.weight") || name.endsWith("layernorm_after.weight")
                        || name.endsWith("layernorm.weight")) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] += 1;
                    }
                }
                out.put(name, m.create(v, sh));
            }
        });
        return out;
    }

    private static byte[] safetensors(Map<String, NDArray> arrays) throws java.io.IOException {
        Path f = Files.createTempFile(dir, "model", ".safetensors");
        SafetensorsWriter.write(f, arrays, Map.of("format", "pt"));
        return Files.readAllBytes(f);
    }

    /**
     * RoBERTa's fast-tokenizer file for a byte-level BPE vocabulary of the four special tokens, GPT-2's 256 byte
     * symbols and two merges ({@code Ġ t}, {@code t h}).
     */
    static String tokenizerJson() {
        StringBuilder vocab = new StringBuilder("\"<s>\": 0, \"<pad>\": 1, \"</s>\": 2, \"<unk>\": 3");
        int id = 4;
        for (int cp : byteSymbols()) {
            vocab.append(", ").append(Json.write(new String(Character.toChars(cp)))).append(": ").append(id++);
        }
        vocab.append(", \"\u0120t\": ").append(id++).append(", \"th\": ").append(id);
        StringBuilder added = new StringBuilder();
        String[] specials = {"<s>", "<pad>", "</s>", "<unk>"};
        for (int i = 0; i < specials.length; i++) {
            added.append(i == 0 ? "" : ", ").append("{\"id\": ").append(i).append(", \"content\": \"")
                    .append(specials[i]).append("\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false,"
                            + " \"normalized\": true, \"special\": true}");
        }
        return "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [" + added
                + "], \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false,"
                + " \"trim_offsets\": true, \"use_regex\": true}, \"post_processor\": {\"type\": \"RobertaProcessing\","
                + " \"sep\": [\"</s>\", 2], \"cls\": [\"<s>\", 0], \"trim_offsets\": true, \"add_prefix_space\": false},"
                + " \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true,"
                + " \"use_regex\": true}, \"model\": {\"type\": \"BPE\", \"dropout\": null, \"unk_token\": null,"
                + " \"continuing_subword_prefix\": \"\", \"end_of_word_suffix\": \"\", \"fuse_unk\": false,"
                + " \"byte_fallback\": false, \"vocab\": {" + vocab + "}, \"merges\": [\"\u0120 t\", \"t h\"]}}";
    }

    /** GPT-2's printable stand-ins for the 256 byte values, in byte order. */
    static int[] byteSymbols() {
        int[] out = new int[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = printable ? b : 256 + extra++;
        }
        return out;
    }
}
