package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * The linear layer {@code x W^T + b} on the {@link MatmulPath} of this process. Every op used has a double backward
 * in libtorch, so the result can be differentiated twice on either path.
 */
public final class Products {
    private Products() {}

    /**
     * {@code x W^T + b} for {@code x (..., in)}, {@code w (out, in)} and {@code bias (out)} or null.
     */
    public static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        return linear(x, w, bias, MatmulPath.current().path());
    }

    /** As {@link #linear(NDArray, NDArray, NDArray)} on the given path (benchmarks compare the paths). */
    public static NDArray linear(NDArray x, NDArray w, NDArray bias, MatmulPath path) {
        Shape s = x.getShape();
        long in = s.get(s.dimension() - 1);
        long[] out = s.getShape().clone();
        out[out.length - 1] = w.getShape().get(0);
        if (path == MatmulPath.ONEDNN && Device.Type.CPU.equals(x.getDevice().getDeviceType())
                && x.getDataType() == DataType.FLOAT32) {
            // tokens as the convolution's batch, channels last: (T, in) viewed as (T, 1, 1, in) and permuted to
            // (T, in, 1, 1) is a channels-last view of x's own memory, which oneDNN reads and writes as it is (a
            // plain NCHW view would be reordered to oneDNN's blocked layout and back at every call)
            long o = w.getShape().get(0);
            NDArray xc = x.reshape(-1, 1, 1, in).transpose(0, 3, 1, 2);
            NDArray wc = w.reshape(o, 1, 1, in).transpose(0, 3, 1, 2);
            NDArray y = bias == null ? Conv2d.conv2d(xc, wc).head() : Conv2d.conv2d(xc, wc, bias).head();
            return y.reshape(new Shape(out));
        }
        if (s.dimension() > 2 && bias != null) {
            // libtorch takes a 2-D input with a bias through one addmm (bias fused into the product, and an mm
            // backward); an N-D input goes through matmul plus a separate bias add
            return Linear.linear(x.reshape(-1, in), w, bias).head().reshape(new Shape(out));
        }
        return bias != null ? Linear.linear(x, w, bias).head() : Linear.linear(x, w).head();
    }
}
