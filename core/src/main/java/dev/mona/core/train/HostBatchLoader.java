package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.HostTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Moves host batches into engine arrays through one reused direct staging buffer. The array handed out owns
 * libtorch memory (a copy of the staging data), so no direct buffer per batch waits for the Java garbage collector
 * to free its native memory: resident memory stays flat between collections. Not thread-safe.
 */
public final class HostBatchLoader {
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);

    /** {@code t} as an array of {@code dtype} in {@code manager}. */
    public NDArray load(HostTensor t, NDManager manager, DataType dtype) {
        int bytes = t.data().length * 4;
        if (staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(Math.max(bytes, staging.capacity() * 2)).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = staging.duplicate().order(ByteOrder.nativeOrder());
        view.clear();
        view.limit(bytes);
        view.asFloatBuffer().put(t.data());
        try (NDArray tmp = manager.create(view.slice().order(ByteOrder.nativeOrder()), new Shape(t.shape()),
                DataType.FLOAT32)) {
            // the temporary borrows the staging memory; the result owns a copy
            return dtype == DataType.FLOAT32 ? tmp.duplicate() : tmp.toType(dtype, true);
        }
    }
}
