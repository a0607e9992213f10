package dev.mona.activities;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest's library versions: every library that computes or moves a result, read from the loaded jars. */
class ProvenanceTest {
    @Test
    void everyLibraryHasAVersion() {
        Map<String, String> libs = Provenance.libraries();
        for (String name : List.of("java", "libtorch", "ai.djl:api", "ai.djl.pytorch:pytorch-engine",
                "io.temporal:temporal-sdk", "io.minio:minio",
                "com.microsoft.onnxruntime:onnxruntime", "com.fasterxml.jackson.core:jackson-databind",
                "org.knowm.xchart:xchart")) {
            String v = libs.get(name);
            assertTrue(v != null && v.matches("\\d+[.\\d]*.*"), name + " -> " + v + " in " + libs);
        }
    }
}
