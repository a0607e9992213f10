package dev.mona.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.NativeLibrary;
import dev.mona.core.BadConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MklDispatchTest {
    private static final CpuInfo ZEN5 = new CpuInfo("AuthenticAMD", Set.of("avx2", "avx512f", "avx512_bf16"));
    private static final CpuInfo ZEN3 = new CpuInfo("AuthenticAMD", Set.of("avx2", "fma"));
    private static final CpuInfo XEON = new CpuInfo("GenuineIntel", Set.of("avx2", "avx512f"));

    @Test
    void autoPicksByInstructionSetOnlyWhereMklWouldNot() {
        assertEquals(MklDispatch.Mode.FEATURES, MklDispatch.decide(null, ZEN5, "Linux", "amd64").mode());
        assertEquals(MklDispatch.Mode.FEATURES, MklDispatch.decide(" AUTO ", ZEN5, "Linux", "amd64").mode());
        assertEquals(MklDispatch.Mode.VENDOR, MklDispatch.decide("auto", ZEN3, "Linux", "amd64").mode());
        assertEquals(MklDispatch.Mode.VENDOR, MklDispatch.decide("auto", XEON, "Linux", "amd64").mode());
        assertEquals(MklDispatch.Mode.VENDOR, MklDispatch.decide("auto", ZEN5, "Mac OS X", "x86_64").mode());
        assertEquals(MklDispatch.Mode.VENDOR, MklDispatch.decide("auto", null, "Linux", "aarch64").mode());
        assertEquals("features (auto: AuthenticAMD with avx512f)",
                MklDispatch.decide("auto", ZEN5, "Linux", "amd64").describe());
    }

    @Test
    void eitherModeCanBeForcedAndUnknownSettingsAreNamed() {
        assertEquals(MklDispatch.Mode.VENDOR, MklDispatch.decide("vendor", ZEN5, "Linux", "amd64").mode());
        assertEquals(MklDispatch.Mode.FEATURES, MklDispatch.decide("features", ZEN3, "Linux", "amd64").mode());
        BadConfigurationException e = assertThrows(BadConfigurationException.class,
                () -> MklDispatch.decide("avx512", ZEN5, "Linux", "amd64"));
        assertTrue(e.getMessage().contains("'avx512'") && e.getMessage().contains(MklDispatch.ENV)
                && e.getMessage().contains("auto, features or vendor"), e.getMessage());
        assertThrows(BadConfigurationException.class, () -> MklDispatch.decide("features", null, "Linux", "aarch64"));
    }

    @Test
    void cpuinfoGivesTheFirstProcessorsVendorAndFlags() {
        CpuInfo x86 = CpuInfo.parse(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "model name\t: AMD EPYC",
                "flags\t\t: fpu avx2 avx512f", "", "processor\t: 1", "vendor_id\t: GenuineIntel", "flags\t\t: sse"));
        assertEquals(new CpuInfo("AuthenticAMD", Set.of("fpu", "avx2", "avx512f")), x86);
        assertEquals(new CpuInfo("", Set.of("fp", "asimd", "bf16")),
                CpuInfo.parse(List.of("processor\t: 0", "Features\t: fp asimd bf16", "CPU implementer\t: 0x41")));
    }

    @Test
    void theLibraryIsCompiledOnceAndAnswersThatTheProcessorQualifies(@TempDir Path dir) throws Exception {
        assumeTrue(hasCompiler("cc"), "no C compiler");
        Path lib = MklDispatch.build(dir, "cc");
        long built = Files.getLastModifiedTime(lib).toMillis();
        Thread.sleep(20);
        assertEquals(lib, MklDispatch.build(dir, "cc"));
        assertEquals(built, Files.getLastModifiedTime(lib).toMillis(), "compiled again");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(lib), files.toList(), "temporary files left behind");
        }
        assertEquals(1, NativeLibrary.getInstance(lib.toString()).getFunction("mkl_serv_intel_cpu_true")
                .invokeInt(new Object[0]));
    }

    /**
     * The container images compile the library in their build stage by running this class (their runtime stages
     * have no compiler): what it writes must be what {@link MklDispatch#build} finds without a compiler, or the
     * images would fall back to MKL's vendor-first kernels.
     */
    @Test
    void theImagesBuildStepWritesTheLibraryTheEngineLoadsWithoutACompiler(@TempDir Path dir) throws Exception {
        assumeTrue(hasCompiler("cc"), "no C compiler");
        MklDispatch.main(new String[] {dir.toString()});
        Path lib = MklDispatch.build(dir, "/nonexistent/mona-cc");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(lib), files.toList());
        }
        assertEquals(1, NativeLibrary.getInstance(lib.toString()).getFunction("mkl_serv_intel_cpu_true")
                .invokeInt(new Object[0]));
    }

    @Test
    void aMissingCompilerIsNamedAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> MklDispatch.build(dir, "/nonexistent/mona-cc"));
        assertTrue(e.getMessage().contains("/nonexistent/mona-cc"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    /**
     * On this project's AMD machines with AVX-512 the engine starts with the library in place: MKL's question
     * resolves to it in the process's global scope, and MKL's processor detection inside libtorch moves off the code
     * path it answers without the library (0 on the Zen 5 build machine, measured; 7 with it), while products stay
     * what float64 arithmetic gives.
     */
    @Test
    void theEngineStartsWithMklPickingByInstructionSet() throws Exception {
        CpuInfo cpu = CpuInfo.read();
        assumeTrue(cpu != null && cpu.vendor().equals("AuthenticAMD") && cpu.flags().contains("avx512f")
                && System.getenv(MklDispatch.ENV) == null && hasCompiler(System.getenv().getOrDefault("CC", "cc")),
                "not an AMD AVX-512 machine with a C compiler");
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            assertEquals(MklDispatch.Mode.FEATURES, MklDispatch.current().mode(), MklDispatch.current().describe());
            assertEquals(1, NativeLibrary.getProcess().getFunction("mkl_serv_intel_cpu_true").invokeInt(new Object[0]));
            float[] a = new float[64 * 48];
            float[] b = new float[48 * 32];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) Math.sin(i * 0.37);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) Math.cos(i * 0.11);
            }
            NDArray c = m.create(a, new Shape(64, 48)).matMul(m.create(b, new Shape(48, 32)));
            float[] want = new float[64 * 32];
            for (int i = 0; i < 64; i++) {
                for (int j = 0; j < 32; j++) {
                    double s = 0;
                    for (int k = 0; k < 48; k++) {
                        s += (double) a[i * 48 + k] * b[k * 32 + j];
                    }
                    want[i * 32 + j] = (float) s;
                }
            }
            float[] got = c.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-4, "product element " + i);
            }
            String torch = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.endsWith("/libtorch_cpu.so")).findFirst().orElseThrow()
                    .replaceFirst("^.*? (/.*)$", "$1");
            assertNotEquals(0, NativeLibrary.getInstance(torch).getFunction("mkl_serv_cpu_detect")
                    .invokeInt(new Object[0]), "MKL still on the code path it takes without the library");
        }
    }

    private static boolean hasCompiler(String cc) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, cc))) {
                return true;
            }
        }
        return false;
    }
}
