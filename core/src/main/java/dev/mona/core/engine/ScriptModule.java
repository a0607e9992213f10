package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parameter-free TorchScript module written by {@link TorchScriptArchive} from its source and loaded once per
 * device: the way to reach libtorch functions that DJL does not bind ({@code torch.autograd.grad}, the fused
 * optimisers). {@link #call} passes arrays into the method's {@code List[Tensor]} arguments by name (DJL's
 * convention: an array named {@code "arg[]"} is appended to list argument {@code arg}) and restores the callers'
 * array names afterwards.
 */
public final class ScriptModule {
    private final String archiveName;
    private final String className;
    private final String source;
    private final Map<Device, PtSymbolBlock> loaded = new ConcurrentHashMap<>();
    private final Map<Device, NDManager> owners = new ConcurrentHashMap<>();

    /**
     * @param archiveName folder name inside the archive
     * @param className   the TorchScript class ({@code __torch__.className})
     * @param source      its TorchScript source
     */
    public ScriptModule(String archiveName, String className, String source) {
        this.archiveName = archiveName;
        this.className = className;
        this.source = source;
    }

    /** The module loaded on {@code device} (written and loaded on first use). */
    public PtSymbolBlock on(Device device) {
        return loaded.computeIfAbsent(device, d -> {
            NDManager owner = Engines.newManager(d);
            owners.put(d, owner);
            byte[] archive = TorchScriptArchive.write(archiveName, className, source);
            try {
                return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive), false, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the TorchScript module " + className, e);
            }
        });
    }

    /**
     * Calls {@code method} with list arguments: {@code arrays.get(i)} goes into argument {@code listNames.get(i)}.
     * The same array must not appear twice. Results belong to {@code manager}.
     */
    public NDList call(String method, NDManager manager, List<NDArray> arrays, List<String> listNames) {
        if (arrays.size() != listNames.size()) {
            throw new IllegalArgumentException(arrays.size() + " arrays but " + listNames.size() + " names");
        }
        Map<NDArray, Boolean> seen = new IdentityHashMap<>();
        List<String> saved = new ArrayList<>(arrays.size());
        NDList args = new NDList(arrays.size() + 1);
        for (NDArray a : arrays) {
            if (seen.put(a, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("the same array is passed twice to " + className + "."
                        + method + ": " + a.getShape());
            }
        }
        NDArray selector = manager.zeros(new Shape(1));
        selector.setName("module_method:" + method);
        try {
            for (int i = 0; i < arrays.size(); i++) {
                NDArray a = arrays.get(i);
                saved.add(a.getName());
                a.setName(listNames.get(i) + "[]");
                args.add(a);
            }
            args.add(selector);
            return IValueUtils.forward(on(arrays.get(0).getDevice()), args, true);
        } finally {
            for (int i = 0; i < saved.size(); i++) {
                arrays.get(i).setName(saved.get(i));
            }
            selector.close();
        }
    }
}
