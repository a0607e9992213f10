package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

import java.util.List;

/**
 * The linear layer {@code x W^T + b} on the {@link MatmulPath} of this process, in the thread's {@link Precision}.
 * Every op used has a double backward in libtorch, so the float32 result can be differentiated twice on either path
 * (the exact meta-step runs in float32; bf16 is for first-order training and the probe).
 */
public final class Products {
    /**
     * The bf16 product through TorchScript: DJL (0.33, 0.36) cannot hold a bf16 array ({@code toType(BFLOAT16)} aborts
     * the process) and its casts cut the graph, so both casts happen inside libtorch, where they are differentiable:
     * the backward of {@code to(15)} (15 is {@code torch.bfloat16}'s ScalarType) widens the gradients of x and W to
     * float32. On the CPU {@code torch.linear} of bf16 operands runs oneDNN's {@code brg_matmul:avx512_core_bf16}
     * (ONEDNN_VERBOSE=1): about 600 GFLOP/s on two Zen 5 cores with libtorch 2.7.1's oneDNN, 200 with libtorch
     * 2.5.1's (v3.5.3), slower than float32 there. The bias is added after widening, in float32.
     */
    private static final ScriptModule BF16 = new ScriptModule("bf16_linear", "Bf16Linear", """
            class Bf16Linear(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Bf16Linear,
                x: Tensor) -> Tensor:
                return x
              def linear(self: __torch__.Bf16Linear,
                a: List[Tensor]) -> List[Tensor]:
                y = torch.linear(a[0].to(15), a[1].to(15)).to(6)
                if len(a) == 3:
                  y = torch.add(y, a[2])
                return [y]
            """);

    private Products() {}

    /**
     * {@code x W^T + b} for {@code x (..., in)}, {@code w (out, in)} and {@code bias (out)} or null.
     */
    public static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        return linear(x, w, bias, MatmulPath.current().path());
    }

    /**
     * As {@link #linear(NDArray, NDArray, NDArray)} on the given path (benchmarks compare the paths); in
     * {@link Precision#BF16} the path does not matter (libtorch picks the bf16 kernel).
     */
    public static NDArray linear(NDArray x, NDArray w, NDArray bias, MatmulPath path) {
        if (Precision.current() == Precision.BF16 && x.getDataType() == DataType.FLOAT32) {
            return bf16(x, w, bias);
        }
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

    /** {@code x W^T + b} from bf16-rounded x and W, float32 in and out. */
    private static NDArray bf16(NDArray x, NDArray w, NDArray bias) {
        List<NDArray> args = bias == null ? List.of(x, w) : List.of(x, w, bias);
        List<String> names = bias == null ? List.of("a", "a") : List.of("a", "a", "a");
        return BF16.call("linear", x.getManager(), args, names).head();
    }
}
