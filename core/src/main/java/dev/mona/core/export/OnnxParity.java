package dev.mona.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.HostTensor;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * Checks an exported model against the model it came from: the same held-out inputs through ONNX Runtime
 * (CUDA execution provider when present, else CPU) and through the DJL forward; the largest absolute
 * difference must stay within the tolerance ({@link #FP32_TOLERANCE} for float32 weights).
 */
public final class OnnxParity {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxParity.class);

    /** Tolerance for float32 models: summation order differs between the two runtimes, nothing else may. */
    public static final double FP32_TOLERANCE = 1e-4;

    private OnnxParity() {}

    /**
     * Measures the difference without judging it.
     *
     * @param onnx       the serialized exported model
     * @param model      the DJL model (usually a {@code TransferModel})
     * @param params     its parameters (any device; the DJL forward runs where they are)
     * @param heldOut    held-out inputs {@code (N, ...)}, as the model's forward takes them
     * @param preferCuda use ONNX Runtime's CUDA execution provider when this build and the machine have it
     * @param batchSize  samples per forward pass (bounds the memory of both runtimes)
     */
    public static ParityReport measure(byte[] onnx, Module model, Params params, HostTensor heldOut,
                                       double tolerance, boolean preferCuda, int batchSize) {
        if (heldOut.rows() == 0) {
            throw new IllegalArgumentException("parity check needs at least one held-out sample, got shape "
                    + Arrays.toString(heldOut.shape()));
        }
        NDArray any = params.asMap().values().iterator().next();
        double max = 0;
        double sum = 0;
        long count = 0;
        String provider;
        try (OnnxRuntimeSession session = OnnxRuntimeSession.open(onnx, preferCuda);
             NDManager manager = any.getManager().newSubManager(any.getDevice())) {
            provider = session.provider().name();
            for (int from = 0; from < heldOut.rows(); from += batchSize) {
                HostTensor batch = heldOut.slice(from, Math.min(heldOut.rows(), from + batchSize));
                float[] expected = djlForward(manager, model, params, batch, any.getDataType());
                HostTensor actual = session.run(batch);
                if (actual.data().length != expected.length) {
                    throw new OnnxExportException("ONNX output shape " + Arrays.toString(actual.shape())
                            + " holds " + actual.data().length + " values; the DJL model gave " + expected.length);
                }
                for (int i = 0; i < expected.length; i++) {
                    double d = Math.abs((double) actual.data()[i] - expected[i]);
                    if (Double.isNaN(d)) {
                        max = Double.NaN; // a NaN on either side is a failure, whatever the tolerance
                    } else if (!Double.isNaN(max)) {
                        max = Math.max(max, d);
                    }
                    sum += Double.isNaN(d) ? 0 : d;
                    count++;
                }
            }
        }
        ParityReport r = new ParityReport(max, sum / count, tolerance, heldOut.rows(), provider,
                any.getDevice().toString());
        LOG.info("ONNX parity: max |diff| {} (mean {}) over {} samples on {}", r.maxAbsDiff(), r.meanAbsDiff(),
                r.samples(), r.provider());
        return r;
    }

    /**
     * Measures, then fails with {@link ExportParityException} when the difference exceeds {@code tolerance}.
     *
     * @return the report of a passed check, for the export manifest
     */
    public static ParityReport check(byte[] onnx, Module model, Params params, HostTensor heldOut,
                                     double tolerance, boolean preferCuda) {
        // batches of 4: a held-out set of 5 or more also runs a smaller last batch through the dynamic batch axis
        ParityReport r = measure(onnx, model, params, heldOut, tolerance, preferCuda, 4);
        if (!r.passed()) {
            throw new ExportParityException(r);
        }
        return r;
    }

    private static float[] djlForward(NDManager parent, Module model, Params params, HostTensor batch, DataType dtype) {
        try (NDManager step = parent.newSubManager()) {
            NDArray x = step.create(batch.data(), new Shape(batch.shape()));
            if (dtype != DataType.FLOAT32) {
                x = x.toType(dtype, false);
            }
            NDArray y = model.forward(params, x);
            return y.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
