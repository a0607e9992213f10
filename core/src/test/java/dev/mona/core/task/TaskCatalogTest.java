package dev.mona.core.task;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskCatalogTest {

    @Test
    void allPublishedTasksArePresent() {
        Set<String> nb360 = TaskCatalog.family("nb360").stream().map(TaskSpec::name).collect(Collectors.toSet());
        assertEquals(Set.of("nb360-cifar100", "nb360-spherical", "nb360-darcy", "nb360-psicov", "nb360-cosmic",
                "nb360-ninapro", "nb360-fsd50k", "nb360-ecg", "nb360-satellite", "nb360-deepsea"), nb360);
        Set<String> pde = TaskCatalog.family("pdebench").stream().map(TaskSpec::name).collect(Collectors.toSet());
        assertEquals(Set.of("pdebench-advection", "pdebench-burgers", "pdebench-diffusion-reaction",
                "pdebench-diffusion-sorption", "pdebench-navier-stokes-1d", "pdebench-darcy", "pdebench-shallow-water",
                "pdebench-diffusion-reaction-2d"), pde);
        for (TaskSpec t : TaskCatalog.all()) {
            if (t.family().equals("offline")) {
                continue;
            }
            assertFalse(t.files().isEmpty(), t.name());
            assertFalse(t.offline(), t.name());
            assertTrue(t.files().stream().allMatch(f -> !f.urls().isEmpty()), t.name());
            assertTrue(t.encoder().equals("swin") || t.encoder().equals("roberta"), t.name());
            assertEquals(t.encoder().equals("swin") ? 3 : 2, t.inputShape().length, t.name());
        }
    }

    @Test
    void summariesCarryTheListingFields() {
        var row = TaskCatalog.summaries().stream().filter(r -> r.get("name").equals("pdebench-darcy")).findFirst()
                .orElseThrow();
        assertEquals("pdebench", row.get("family"));
        assertEquals("pde-2d", row.get("modality"));
        assertEquals("NRMSE", row.get("metric"));
        assertEquals(false, row.get("offline"));
        assertEquals(List.of(1L, 64L, 64L), row.get("inputShape"));
    }

    @Test
    void orcaTrainingConfigurations() {
        // values of ORCA's src/configs/*.yaml (and METHOD.md)
        // (decay_epochs, betas [0.9, 0.98] as in every ORCA config)
        assertEquals(new TrainConfig(100, 4, 1, OptimizerKind.ADAMW, 1e-3, 5e-3, 0.9, 5, 0, 100, 0.9, 0.98),
                TaskCatalog.get("nb360-darcy").train());
        assertEquals(new TrainConfig(60, 32, 1, OptimizerKind.ADAM, 1e-4, 1e-5, 0.999, 5, 1, 60, 0.9, 0.98),
                TaskCatalog.get("nb360-ninapro").train());
        assertEquals(new TrainConfig(15, 4, 16, OptimizerKind.SGD, 1e-6, 0.1, 0.99, 5, 0, 200, 0.9, 0.98),
                TaskCatalog.get("nb360-ecg").train());
        assertEquals(new TrainConfig(200, 4, 1, OptimizerKind.ADAM, 1e-4, 1e-5, 0.99, 5, 1, 200, 0.9, 0.98),
                TaskCatalog.get("pdebench-advection").train());
        assertEquals(new TrainConfig(13, 16, 1, OptimizerKind.ADAM, 1e-5, 0, 0.99, 10, 1, 25, 0.9, 0.98),
                TaskCatalog.get("nb360-deepsea").train());
        TaskSpec darcy = TaskCatalog.get("nb360-darcy");
        assertArrayEquals(new long[]{3, 85, 85}, darcy.inputShape());
        assertEquals(MetricKind.RELATIVE_L2, darcy.metric());
        assertEquals(List.of("piececonst_r421_N1024_smooth1.mat", "piececonst_r421_N1024_smooth2.mat"),
                darcy.files().stream().map(DataFile::name).toList());
        TaskSpec deepsea = TaskCatalog.get("nb360-deepsea");
        assertEquals(TaskKind.MULTILABEL, deepsea.kind());
        assertEquals(36, deepsea.classes());
        assertEquals(MetricKind.ONE_MINUS_AUROC, deepsea.metric());
        // ORCA's get_config: rmse_loss for Burgers and 1-D CFD, nrmse_loss for the other PDE tasks
        assertEquals(LossKind.RMSE, TaskCatalog.get("pdebench-burgers").loss());
        assertEquals(LossKind.RMSE, TaskCatalog.get("pdebench-navier-stokes-1d").loss());
        assertEquals(LossKind.NRMSE, TaskCatalog.get("pdebench-advection").loss());
        assertEquals(MetricKind.NRMSE, TaskCatalog.get("pdebench-burgers").metric());
        assertEquals("d595bbfd2c659df995a93cd40d6ea568", PublishedTasks.md5("1D_Advection_Sols_beta0.4.hdf5"));
    }

    @Test
    void unknownNamesAreTypedAndSuggestTheClosest() {
        UnknownTaskException e = assertThrows(UnknownTaskException.class, () -> TaskCatalog.get("nb360-dacry"));
        assertEquals("nb360-dacry", e.value());
        assertEquals("nb360-darcy", e.closest().get(0));
        UnknownTaskException bare = assertThrows(UnknownTaskException.class, () -> TaskCatalog.get("darcy"));
        assertTrue(bare.closest().containsAll(List.of("nb360-darcy", "pdebench-darcy")), bare.closest().toString());
        assertTrue(bare.getMessage().contains("did you mean"));
        assertSame(TaskCatalog.get("nb360-ecg"), TaskCatalog.get(" NB360-ECG "));
    }

    @Test
    void otherFamiliesRegisterThroughTheHook() {
        TaskSpec spec = new TaskSpec("offline-catalog-test", "offline", "audio", new long[]{1, 64}, new long[]{10}, 10,
                TaskKind.CLASSIFICATION, LossKind.CROSS_ENTROPY, MetricKind.ERROR_RATE,
                new TrainConfig(1, 2, 1, OptimizerKind.ADAM, 1e-3, 0, 0.9, 0, 0), "roberta", List.of(), true, "test");
        HostTensor x = new HostTensor(new float[4 * 64], new long[]{4, 1, 64});
        HostTensor y = new HostTensor(new float[4], new long[]{4});
        DataSplit s = new DataSplit(x, y);
        TaskCatalog.register(spec, (t, files, o) -> LoadedTask.of(new TaskData(s, s, s)));
        try {
            assertSame(spec, TaskCatalog.get("offline-catalog-test"));
            assertTrue(TaskCatalog.family("offline").contains(spec));
        } finally {
            TaskCatalog.unregister("offline-catalog-test");
        }
        assertThrows(UnknownTaskException.class, () -> TaskCatalog.get("offline-catalog-test"));
        TaskSpec clash = new TaskSpec("nb360-darcy", "offline", "pde-2d", new long[]{1, 8, 8}, new long[]{1, 8, 8}, 0,
                TaskKind.DENSE, LossKind.MSE, MetricKind.RELATIVE_L2, spec.train(), "swin", List.of(), true, "x");
        assertThrows(IllegalArgumentException.class, () -> TaskCatalog.register(clash, (t, f, o) -> null));
    }

    @Test
    void validationCarveIsSeededDisjointAndComplete() {
        float[] v = new float[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i;
        }
        DataSplit s = new DataSplit(new HostTensor(v.clone(), new long[]{100, 1}), new HostTensor(v, new long[]{100}));
        ValidationSplit.Carved a = ValidationSplit.carve(s, 0.1, 42);
        ValidationSplit.Carved b = ValidationSplit.carve(s, 0.1, 42);
        ValidationSplit.Carved c = ValidationSplit.carve(s, 0.1, 43);
        assertEquals(10, a.validation().size());
        assertEquals(90, a.train().size());
        assertArrayEquals(a.validation().y().data(), b.validation().y().data());
        assertFalse(java.util.Arrays.equals(a.validation().y().data(), c.validation().y().data()));
        Set<Float> all = new java.util.HashSet<>();
        for (float f : a.train().y().data()) {
            all.add(f);
        }
        for (float f : a.validation().y().data()) {
            assertTrue(all.add(f), "sample " + f + " in both splits");
        }
        assertEquals(100, all.size());
    }

    @Test
    void unitGaussianNormalizerMatchesHandComputedValues() {
        // two positions over three samples: position 0 = {1, 2, 3}, position 1 = {10, 10, 40}
        HostTensor x = new HostTensor(new float[]{1, 10, 2, 10, 3, 40}, new long[]{3, 2});
        UnitGaussianNormalizer n = UnitGaussianNormalizer.fit(x);
        assertEquals(2.0, n.mean()[0], 1e-6);
        assertEquals(20.0, n.mean()[1], 1e-6);
        assertEquals(1.0, n.std()[0], 1e-6); // unbiased: sqrt(2 / 2)
        assertEquals(Math.sqrt(600.0 / 2), n.std()[1], 1e-4);
        HostTensor e = n.encode(x);
        assertEquals((3 - 2) / (1 + 1e-5), e.data()[4], 1e-6);
        assertArrayEquals(x.data(), n.decode(e).data(), 1e-4f);
    }
}
