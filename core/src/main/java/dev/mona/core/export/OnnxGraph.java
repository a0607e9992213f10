package dev.mona.core.export;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one ONNX graph node by node with the ONNX protobuf classes: graph inputs and outputs with a symbolic
 * batch axis, float initializers, int64 constants, and nodes with attributes. Every value gets a fresh unique
 * name. {@link #toModel} wraps the graph in a model of {@link #IR_VERSION} / opset {@link #OPSET}.
 *
 * <p>Layer-level building blocks (linear, layer norm, attention, ...) live in {@link OnnxLayers}.
 */
public final class OnnxGraph {
    /** ONNX IR version of the exported models (ONNX 1.13+, read by every ONNX Runtime since 1.14). */
    public static final long IR_VERSION = 8;
    /** Default-domain opset: 17 is the first with LayerNormalization. */
    public static final long OPSET = 17;
    /** Name of the symbolic batch dimension. */
    public static final String BATCH = "batch";

    private final OnnxMl.GraphProto.Builder graph;
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, String> int64Constants = new HashMap<>();

    public OnnxGraph(String name) {
        this.graph = OnnxMl.GraphProto.newBuilder().setName(name);
    }

    /** A fresh value name starting with {@code prefix}. */
    public String fresh(String prefix) {
        int n = counters.merge(prefix, 1, Integer::sum);
        return n == 1 ? prefix : prefix + "_" + n;
    }

    /** A float graph input whose first dimension is the symbolic batch; {@code dims} are the others. */
    public String input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return name;
    }

    /** Declares {@code value} as a float graph output named {@code name} (an Identity renames it). */
    public String output(String value, String name, long... dims) {
        String out = value;
        if (!value.equals(name)) {
            graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(fresh("Identity"))
                    .addInput(value).addOutput(name));
            out = name;
        }
        graph.addOutput(valueInfo(out, dims));
        return out;
    }

    private static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d >= 0) {
                dim.setDimValue(d);
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    /** A float initializer (weights or a precomputed constant) of the given shape. */
    public String floats(String prefix, float[] data, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("initializer " + prefix + ": shape " + Arrays.toString(shape)
                    + " holds " + n + " values, got " + data.length);
        }
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        String name = fresh(prefix);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(buf.array()));
        for (long s : shape) {
            t.addDims(s);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float scalar constant. */
    public String scalar(float value) {
        return floats("const", new float[] {value});
    }

    /** A 1-D int64 constant (shapes, axes), shared between nodes that need the same values. */
    public String int64s(long... values) {
        return int64Constants.computeIfAbsent(Arrays.toString(values), k -> {
            ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            buf.asLongBuffer().put(values);
            String name = fresh("shape");
            graph.addInitializer(TensorProto.newBuilder().setName(name)
                    .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.length)
                    .setRawData(ByteString.copyFrom(buf.array())));
            return name;
        });
    }

    /** Adds a node with one output and returns the output's name. Attribute values: Long/Integer, Float, long[], String. */
    public String node(String opType, Map<String, Object> attributes, String... inputs) {
        String out = fresh(opType.toLowerCase());
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType)).addOutput(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        attributes.forEach((k, v) -> n.addAttribute(attribute(k, v)));
        graph.addNode(n);
        return out;
    }

    /** A node without attributes. */
    public String node(String opType, String... inputs) {
        return node(opType, Map.of(), inputs);
    }

    /** An ordered attribute map, for readable call sites. */
    public static Map<String, Object> attrs(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static AttributeProto attribute(String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v instanceof Integer || v instanceof Long) {
            a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
        } else if (v instanceof Float || v instanceof Double) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
        } else if (v instanceof long[] ls) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (v instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value type " + v.getClass());
        }
        return a.build();
    }

    /** Number of nodes so far (for tests and logs). */
    public int nodeCount() {
        return graph.getNodeCount();
    }

    /** The finished model: IR version 8, default-domain opset 17, the given metadata in metadata_props. */
    public OnnxMl.ModelProto toModel(String producerVersion, Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("mona")
                .setProducerVersion(producerVersion)
                .setDomain("dev.mona")
                .setModelVersion(1)
                .setGraph(graph.build());
        metadata.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }
}
