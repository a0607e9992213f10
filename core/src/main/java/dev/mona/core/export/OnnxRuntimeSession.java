package dev.mona.core.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.mona.core.data.HostTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An ONNX Runtime session over an in-memory model with one float input and one float output: on the CUDA
 * execution provider when this build of ONNX Runtime has it (the {@code cuda} profile's {@code onnxruntime_gpu})
 * and a GPU answers, else on the CPU.
 */
public final class OnnxRuntimeSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeSession.class);

    /** The execution provider a session runs on. */
    public enum Provider { CPU, CUDA }

    private final OrtSession session;
    private final Provider provider;

    private OnnxRuntimeSession(OrtSession session, Provider provider) {
        this.session = session;
        this.provider = provider;
    }

    /** Whether this ONNX Runtime build offers the CUDA execution provider. */
    public static boolean cudaAvailable() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    /**
     * Opens a session.
     *
     * @param model      serialized ONNX model
     * @param preferCuda try the CUDA execution provider first (falls back to the CPU with a warning)
     */
    public static OnnxRuntimeSession open(byte[] model, boolean preferCuda) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (preferCuda && cudaAvailable()) {
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                 OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(0)) {
                // full float32 products: TF32 would cost ~1e-3 relative error, ten times the parity tolerance
                cuda.add("use_tf32", "0");
                opts.addCUDA(cuda);
                return new OnnxRuntimeSession(env.createSession(model, opts), Provider.CUDA);
            } catch (OrtException e) {
                LOG.warn("ONNX Runtime CUDA provider unavailable ({}); using the CPU", e.getMessage());
            }
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            // exact float32 arithmetic for the parity check: no fused approximations
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            return new OnnxRuntimeSession(env.createSession(model, opts), Provider.CPU);
        } catch (OrtException e) {
            throw new OnnxExportException("ONNX Runtime rejected the exported model: " + e.getMessage(), e);
        }
    }

    public Provider provider() {
        return provider;
    }

    /** Runs the model on {@code input}, whose first axis is the batch. */
    public HostTensor run(HostTensor input) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String inputName = session.getInputNames().iterator().next();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape());
             OrtSession.Result r = session.run(Map.of(inputName, x))) {
            OnnxTensor y = (OnnxTensor) r.get(0);
            long[] shape = y.getInfo().getShape();
            FloatBuffer fb = y.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return new HostTensor(data, shape);
        } catch (OrtException e) {
            throw new OnnxExportException("ONNX Runtime failed to run the exported model on input of shape "
                    + java.util.Arrays.toString(input.shape()) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing ONNX Runtime session: {}", e.getMessage());
        }
    }
}
