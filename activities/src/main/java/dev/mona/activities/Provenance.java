package dev.mona.activities;

import ai.djl.Device;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.BadConfigurationException;
import dev.mona.core.engine.Engines;
import dev.mona.core.engine.MatmulPath;
import dev.mona.core.engine.MklDispatch;
import dev.mona.core.engine.Precision;

import java.io.InputStream;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Library versions and hardware of the running process, recorded in manifests. */
public final class Provenance {
    private Provenance() {}

    /**
     * {@code group:artifact} and a class of each library recorded: the version comes from the jar that holds the
     * class, so it is the one actually loaded.
     */
    private static final String[][] LIBRARIES = {
            {"ai.djl:api", "ai.djl.Model"},
            {"ai.djl.pytorch:pytorch-engine", "ai.djl.pytorch.engine.PtEngine"},
            {"io.temporal:temporal-sdk", "io.temporal.client.WorkflowClient"},
            {"io.minio:minio", "io.minio.MinioClient"},
            {"com.microsoft.onnxruntime:onnxruntime", "ai.onnxruntime.OrtEnvironment"},
            {"com.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper"},
            {"org.knowm.xchart:xchart", "org.knowm.xchart.XYChart"}};

    /**
     * {@code java}, {@code libtorch} (the native library's version as the running engine reports it) and
     * {@code group:artifact -> version} of the libraries above found on the class path.
     */
    public static Map<String, String> libraries() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("java", System.getProperty("java.version"));
        out.put("libtorch", libtorch());
        for (String[] lib : LIBRARIES) {
            String version = version(lib[0], lib[1]);
            if (version != null) {
                out.put(lib[0], version);
            }
        }
        return out;
    }

    /**
     * The version of the jar holding {@code className}: Maven's {@code pom.properties} where the jar has one, else
     * its manifest's implementation or specification version (jars built with Gradle carry only those); null when
     * the class is not on the class path.
     */
    static String version(String coordinates, String className) {
        Class<?> c;
        try {
            c = Class.forName(className, false, Provenance.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        String[] ga = coordinates.split(":");
        try (InputStream in = c.getResourceAsStream("/META-INF/maven/" + ga[0] + "/" + ga[1] + "/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                if (p.getProperty("version") != null) {
                    return p.getProperty("version");
                }
            }
        } catch (java.io.IOException e) {
            // fall back to the manifest
        }
        Package p = c.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v != null ? v : p == null ? null : p.getSpecificationVersion();
    }

    /** The libtorch version the PyTorch engine loaded, or why there is none. */
    private static String libtorch() {
        try {
            return Engines.pytorch().getVersion();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    /**
     * The hardware the run's fine-tune recorded ({@link #hardware()} of the worker that trained it), or null when the
     * run has no fine-tune record of its own (a fine-tune taken from the cache).
     */
    public static Map<?, ?> trainingHardware(ArtifactStore store, String runId) {
        String record = ArtifactKeys.fineTuneRecord(runId);
        if (!store.exists(record)) {
            return null;
        }
        return Json.read(store.getText(record), Map.class).get("hardware") instanceof Map<?, ?> h ? h : null;
    }

    /** Host, CPU, memory and visible GPUs (read once a process: {@code nvidia-smi} may take seconds). */
    public static Map<String, Object> hardware() {
        return new LinkedHashMap<>(Hardware.READING);
    }

    private static final class Hardware {
        static final Map<String, Object> READING = read();

        private static Map<String, Object> read() {
            Map<String, Object> out = new LinkedHashMap<>();
            try {
                out.put("host", InetAddress.getLocalHost().getHostName());
            } catch (Exception e) {
                out.put("host", "unknown");
            }
            out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            out.put("arch", System.getProperty("os.arch"));
            out.put("cpus", Runtime.getRuntime().availableProcessors());
            try {
                // which library computed the float32 products (results differ by float32 rounding between them)
                out.put("matmul", MatmulPath.current().describe());
            } catch (BadConfigurationException e) {
                out.put("matmul", e.getMessage()); // the first product of the run reports the same error
            }
            // which MKL kernels computed them on the CPU (also float32 rounding)
            try {
                out.put("mklDispatch", MklDispatch.current().describe());
            } catch (BadConfigurationException e) {
                out.put("mklDispatch", e.getMessage()); // the engine's start reports the same error
            }
            // whether precision=bf16 products run on bf16 hardware here or are emulated (same results, slower)
            out.put("cpuBf16", Precision.hardware(Device.cpu()));
            out.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
            out.put("gpus", GpuCount.detect());
            return out;
        }
    }
}
