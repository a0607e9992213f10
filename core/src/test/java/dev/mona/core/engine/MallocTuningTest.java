package dev.mona.core.engine;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.mona.core.bench.ResidentMemory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MallocTuningTest {
    @Test
    void optOutAndUserTunablesWin() {
        assertEquals(MallocTuning.Outcome.DISABLED, MallocTuning.decide(Map.of("MONA_MALLOC_TUNING", "off")));
        assertEquals(MallocTuning.Outcome.DISABLED, MallocTuning.decide(Map.of("MONA_MALLOC_TUNING", " FALSE ")));
        assertEquals(MallocTuning.Outcome.ENVIRONMENT,
                MallocTuning.decide(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")));
    }

    @Test
    void trimReturnsFreePagesStrandedBelowTheHeapTop() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
        MallocTuning.Outcome tuned = MallocTuning.apply();
        assumeTrue(tuned == MallocTuning.Outcome.APPLIED || tuned == MallocTuning.Outcome.ENVIRONMENT, "tuning off");
        MallocTuning.trim();
        // 96 touched 1 MiB blocks on the heap (under the 32 MiB mmap threshold), all freed but the last, which keeps
        // the heap top in use: the freed 95 MiB stay resident until trimmed
        Pointer[] blocks = new Pointer[96];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new Pointer(Native.malloc(1 << 20));
            blocks[i].setMemory(0, 1 << 20, (byte) 1);
        }
        for (int i = 0; i < blocks.length - 1; i++) {
            Native.free(Pointer.nativeValue(blocks[i]));
        }
        double before = ResidentMemory.currentMb();
        assertTrue(MallocTuning.trim(), "nothing trimmed");
        double after = ResidentMemory.currentMb();
        Native.free(Pointer.nativeValue(blocks[blocks.length - 1]));
        assertTrue(before - after > 60, "resident " + before + " -> " + after + " MiB");
    }

    @Test
    void appliesThroughMalloptOnGlibc() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
        // mallopt accepts these values on glibc; a wrong parameter number or a missing symbol would not be APPLIED
        assertEquals(MallocTuning.Outcome.APPLIED, MallocTuning.decide(Map.of()));
        assertEquals(MallocTuning.Outcome.APPLIED,
                MallocTuning.decide(Map.of("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=512")));
    }
}
