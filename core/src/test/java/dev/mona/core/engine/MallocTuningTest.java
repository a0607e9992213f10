package dev.mona.core.engine;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void appliesThroughMalloptOnGlibc() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "glibc only");
        // mallopt accepts these values on glibc; a wrong parameter number or a missing symbol would not be APPLIED
        assertEquals(MallocTuning.Outcome.APPLIED, MallocTuning.decide(Map.of()));
        assertEquals(MallocTuning.Outcome.APPLIED,
                MallocTuning.decide(Map.of("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=512")));
    }
}
