package dev.mona.core.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineDataTest {
    @Test
    void missingDataTellsTheUserToRunSetup(@TempDir Path empty) {
        OfflineData data = new OfflineData(empty);
        OfflineDataMissingException e = assertThrows(OfflineDataMissingException.class, data::spamAssassinDir);
        assertTrue(e.getMessage().contains("infra/setup.sh") && e.getMessage().contains(empty.toString()),
                e.getMessage());
    }
}
