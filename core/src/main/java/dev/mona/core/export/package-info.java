/**
 * ONNX export of trained models and its parity check.
 * <ul>
 * <li>{@link dev.mona.core.export.OnnxExporter}: a {@code TransferModel} (Swin, ViT or BERT/RoBERTa encoder with
 * the 2-D or 1-D embedder and the classification or dense predictor) to an ONNX model: IR version 8, opset 17,
 * float32 initializers, input {@code input} and output {@code output} with a dynamic {@code batch} axis,
 * task / method / architecture / provenance in {@code metadata_props} (keys {@code mona.*}).
 * {@code exportChecked} is the export stage: export, then {@link dev.mona.core.export.OnnxParity}.</li>
 * <li>{@link dev.mona.core.export.OnnxParity}: ONNX Runtime (CUDA execution provider when present, else CPU)
 * against the DJL forward on held-out inputs; above the tolerance ({@code 1e-4} for float32) a
 * {@link dev.mona.core.export.ExportParityException}.</li>
 * <li>{@link dev.mona.core.export.OnnxGraph} and {@link dev.mona.core.export.OnnxLayers}: the graph builder on
 * the ONNX protobuf classes of {@code tribuo-util-onnx}, and the building blocks (linear, LayerNormalization,
 * GELU in erf form, multi-head attention, patch convolution, resize and adaptive pooling as MatMul with the
 * models' own resampling matrices). Swin's (shifted) windows are a Gather with a constant token order, and its
 * relative position bias plus shift mask one constant per block.</li>
 * </ul>
 */
package dev.mona.core.export;
