package dev.mona.core.offline;

import dev.mona.core.data.TaskData;
import dev.mona.core.task.LoadOptions;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineTasksTest {
    @TempDir
    Path dir;

    @Test
    void theCatalogueListsEveryOfflineTask() {
        List<String> names = TaskCatalog.family("offline").stream().map(TaskSpec::name).toList();
        List<String> ours = OfflineTasks.specs().stream().map(TaskSpec::name).toList();
        assertTrue(names.containsAll(ours), names.toString());
        assertEquals(8, ours.size());
        for (TaskSpec s : OfflineTasks.specs()) {
            assertEquals(s.name(), TaskCatalog.get(s.name()).name());
            assertTrue(s.offline() && s.files().isEmpty(), s.name());
            assertEquals(s.kind() == TaskKind.DENSE, s.classes() == 0, s.name());
        }
        assertThrows(IllegalArgumentException.class, () -> OfflineTasks.spec("offline-nope"));
    }

    @Test
    void catalogueLoadsGeneratedAndInstalledTasksWithTheirSpecShapes() throws Exception {
        for (String name : List.of("offline-pde-darcy", "offline-pde-burgers", "offline-dna")) {
            TaskData d = TaskCatalog.load(name, dir, new LoadOptions(3, 0.1, 4)).data();
            TaskSpec spec = TaskCatalog.get(name);
            assertArrayEquals(spec.inputShape(), d.train().x().sampleShape(), name);
            assertEquals(4, d.train().size(), name);
            assertEquals(4, d.test().size(), name);
            if (spec.kind() == TaskKind.DENSE) {
                assertArrayEquals(spec.outputShape(), d.train().y().sampleShape(), name);
            }
        }
    }
}
