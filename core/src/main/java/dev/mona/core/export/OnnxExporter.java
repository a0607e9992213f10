package dev.mona.core.export;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.BertEncoder;
import dev.mona.core.model.ClassificationPredictor;
import dev.mona.core.model.DensePredictor1d;
import dev.mona.core.model.DensePredictor2d;
import dev.mona.core.model.Embedder;
import dev.mona.core.model.Embedder1d;
import dev.mona.core.model.Embedder2d;
import dev.mona.core.model.Encoder;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;
import dev.mona.core.model.Predictor;
import dev.mona.core.model.SwinEncoder;
import dev.mona.core.model.TransferModel;
import dev.mona.core.model.VitEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * Exports a {@link TransferModel} {@code h_psi(f_theta(e_phi(x)))} (or one of its parts) to ONNX: IR version 8,
 * opset 17, float32 weights as initializers, input {@code input} and output {@code output} with a dynamic batch
 * axis, and the task, method, architecture and provenance in {@code metadata_props}. The graph is built from
 * the same parameters the DJL model uses, operation by operation; {@link OnnxParity} checks the result.
 */
public final class OnnxExporter {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxExporter.class);

    private OnnxExporter() {}

    /**
     * Exports {@code model} with {@code params} for inputs whose per-sample shape is {@code sampleShape}
     * (e.g. {@code (C, H, W)}); the batch axis stays dynamic.
     *
     * @throws OnnxExportException when a part of the model has no ONNX writer
     */
    public static ExportedModel export(Module model, Params params, long[] sampleShape, ExportMetadata metadata) {
        OnnxGraph g = new OnnxGraph("mona");
        OnnxLayers l = new OnnxLayers(g);
        Value in = new Value(g.input(ExportedModel.INPUT, sampleShape), sampleShape.clone());
        Value out = write(l, model, params, in);
        g.output(out.name(), ExportedModel.OUTPUT, out.dims());
        ExportMetadata.Architecture arch = architecture(model);
        var proto = g.toModel(producerVersion(), metadata.toProps(arch, sampleShape, out.dims()));
        LOG.info("exported {} to ONNX: {} nodes, input {} -> output {}", arch, g.nodeCount(),
                Arrays.toString(sampleShape), Arrays.toString(out.dims()));
        return new ExportedModel(proto, sampleShape.clone(), out.dims());
    }

    /** An export that passed its parity check, with the check's figures for the manifest. */
    public record CheckedExport(ExportedModel model, ParityReport parity) {}

    /**
     * The export stage: exports, compares ONNX Runtime with the DJL forward on {@code heldOut} (ONNX Runtime's
     * CUDA execution provider when {@code preferCuda} and available, else its CPU), and fails with
     * {@link ExportParityException} above {@code tolerance}. The parity figures are added to the model's
     * {@code metadata_props} ({@code mona.parity.*}).
     */
    public static CheckedExport exportChecked(Module model, Params params, long[] sampleShape,
                                              ExportMetadata metadata, HostTensor heldOut, double tolerance,
                                              boolean preferCuda) {
        long[] given = heldOut.sampleShape();
        if (!Arrays.equals(given, sampleShape)) {
            throw new OnnxExportException("held-out samples have shape " + Arrays.toString(given)
                    + " but the model is exported for " + Arrays.toString(sampleShape)
                    + "; pass held-out inputs of the task the model was trained on");
        }
        ExportedModel exported = export(model, params, sampleShape, metadata);
        ParityReport r = OnnxParity.check(exported.bytes(), model, params, heldOut, tolerance, preferCuda);
        var proto = exported.model().toBuilder()
                .addMetadataProps(prop("parity.max_abs_diff", Double.toString(r.maxAbsDiff())))
                .addMetadataProps(prop("parity.mean_abs_diff", Double.toString(r.meanAbsDiff())))
                .addMetadataProps(prop("parity.tolerance", Double.toString(r.tolerance())))
                .addMetadataProps(prop("parity.samples", Integer.toString(r.samples())))
                .addMetadataProps(prop("parity.provider", r.provider()))
                .build();
        return new CheckedExport(new ExportedModel(proto, exported.inputShape(), exported.outputShape()), r);
    }

    private static ai.onnx.proto.OnnxMl.StringStringEntryProto prop(String key, String value) {
        return ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey(ExportMetadata.PREFIX + key)
                .setValue(value).build();
    }

    /** Writes the subgraph of {@code module} on {@code x}. */
    static Value write(OnnxLayers l, Module module, Params p, Value x) {
        if (module instanceof TransferModel t) {
            Value tokens = write(l, t.embedder(), p.scope(TransferModel.EMBEDDER), x);
            Value features = write(l, t.encoder(), p.scope(TransferModel.ENCODER), tokens);
            return write(l, t.predictor(), p.scope(TransferModel.PREDICTOR), features);
        }
        if (module instanceof VitEncoder e) {
            return EncoderGraphs.vit(l, e, p, x);
        }
        if (module instanceof SwinEncoder e) {
            return EncoderGraphs.swin(l, e, p, x);
        }
        if (module instanceof BertEncoder e) {
            return EncoderGraphs.bert(l, e, p, x);
        }
        if (module instanceof Embedder2d e) {
            return PartGraphs.embedder2d(l, e, p, x);
        }
        if (module instanceof Embedder1d e) {
            return PartGraphs.embedder1d(l, e, p, x);
        }
        if (module instanceof ClassificationPredictor c) {
            return PartGraphs.classification(l, c, p, x);
        }
        if (module instanceof DensePredictor2d d) {
            return PartGraphs.dense2d(l, d, p, x);
        }
        if (module instanceof DensePredictor1d d) {
            return PartGraphs.dense1d(l, d, p, x);
        }
        throw new OnnxExportException("no ONNX writer for " + kind(module) + " " + module.getClass().getName()
                + "; supported: ViT, Swin and BERT/RoBERTa encoders with the 2-D and 1-D embedders and the "
                + "classification and dense predictors");
    }

    private static String kind(Module m) {
        return m instanceof Embedder ? "embedder" : m instanceof Encoder ? "encoder"
                : m instanceof Predictor ? "predictor" : "module";
    }

    static ExportMetadata.Architecture architecture(Module m) {
        if (m instanceof TransferModel t) {
            return new ExportMetadata.Architecture(t.embedder().getClass().getSimpleName(),
                    t.encoder().getClass().getSimpleName(), t.predictor().getClass().getSimpleName());
        }
        String name = m.getClass().getSimpleName();
        return new ExportMetadata.Architecture(m instanceof Embedder ? name : "-", m instanceof Encoder ? name : "-",
                m instanceof Predictor ? name : "-");
    }

    private static String producerVersion() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
