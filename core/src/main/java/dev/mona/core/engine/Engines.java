package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine offline: the native library comes from the {@code pytorch-native-*} jar on the
 * class path and is extracted once into {@code DJL_CACHE_DIR} (default {@code ~/.cache/mona/djl}). The first call also
 * tunes glibc's allocator for libtorch ({@link MallocTuning}) and lets MKL pick its kernels by instruction set
 * ({@link MklDispatch}).
 */
public final class Engines {
    private Engines() {}

    /** Sets offline mode and a writable cache before the first engine call, then returns the PyTorch engine. */
    public static synchronized Engine pytorch() {
        // before libtorch's first allocation (see MallocTuning: a step must not page-fault its working set again)
        MallocTuning.apply();
        // before libtorch's first product: MKL keeps the kernels it chose first
        MklDispatch.apply();
        System.setProperty("ai.djl.offline", "true");
        if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
            Path cache = Path.of(System.getProperty("user.home"), ".cache", "mona", "djl");
            try {
                Files.createDirectories(cache);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create DJL cache directory " + cache
                        + "; set DJL_CACHE_DIR to a writable directory", e);
            }
            System.setProperty("DJL_CACHE_DIR", cache.toString());
            System.setProperty("ENGINE_CACHE_DIR", cache.toString());
        }
        return Engine.getEngine("PyTorch");
    }

    /** A new root manager on the given device of the PyTorch engine. */
    public static NDManager newManager(Device device) {
        return pytorch().newBaseManager(device);
    }

    /** The first GPU when one is visible, else the CPU. */
    public static Device defaultDevice() {
        Engine e = pytorch();
        return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}
