package dev.mona.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the model tests: one CPU manager {@code m} for the test class, closed after it. */
abstract class CpuManagerTest {
    static NDManager m;

    @BeforeAll
    static void openManager() {
        m = Engines.newManager(Device.cpu());
    }

    @AfterAll
    static void closeManager() {
        m.close();
    }
}
