package dev.mona.activities;

import java.io.InputStream;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Library versions and hardware of the running process, recorded in manifests. */
public final class Provenance {
    private Provenance() {}

    private static final String[][] LIBRARIES = {
            {"ai.djl", "api"}, {"ai.djl.pytorch", "pytorch-engine"}, {"io.temporal", "temporal-sdk"},
            {"io.minio", "minio"}, {"com.microsoft.onnxruntime", "onnxruntime"},
            {"com.fasterxml.jackson.core", "jackson-databind"}, {"org.knowm.xchart", "xchart"}};

    /** {@code group:artifact -> version} for the libraries found on the class path. */
    public static Map<String, String> libraries() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("java", System.getProperty("java.version"));
        for (String[] ga : LIBRARIES) {
            String res = "/META-INF/maven/" + ga[0] + "/" + ga[1] + "/pom.properties";
            try (InputStream in = Provenance.class.getResourceAsStream(res)) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    out.put(ga[0] + ":" + ga[1], p.getProperty("version"));
                }
            } catch (java.io.IOException ignored) {
                // a library without pom.properties is simply not listed
            }
        }
        return out;
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
            out.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
            out.put("gpus", GpuCount.detect());
            return out;
        }
    }
}
