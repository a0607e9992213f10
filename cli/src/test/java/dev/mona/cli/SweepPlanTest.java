package dev.mona.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.activities.stage.CoreModels;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.core.bench.BenchSizes;
import dev.mona.core.model.TransferModel;
import dev.mona.workflows.InvalidRequestException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code mona sweep SPEC --plan}: the paper's specs validate and plan offline (no server, no store), their run counts
 * against counts by hand, the cost model against a computation by hand, and every {@code --format}.
 */
class SweepPlanTest {
    private static final Path PAPER = Path.of("..", "infra", "sweeps", "paper").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /**
     * Runs of each paper spec, counted by hand: tasks x methods x seeds.
     */
    private static final Map<String, Integer> RUNS = Map.ofEntries(
            Map.entry("nb360.yaml", 10 * 4 * 3),
            Map.entry("pdebench.yaml", 8 * 4 * 3),
            Map.entry("probe.yaml", 4 * 4 * 1),
            Map.entry("ablations/lambda-0.yaml", 3 * 1 * 3),
            Map.entry("ablations/lambda-0.1.yaml", 3 * 1 * 3),
            Map.entry("ablations/lambda-0.4.yaml", 3 * 1 * 3),
            Map.entry("ablations/lambda-1.yaml", 3 * 1 * 3),
            Map.entry("ablations/alpha-1e-5.yaml", 3 * 1 * 3),
            Map.entry("ablations/alpha-1e-4.yaml", 3 * 1 * 3),
            Map.entry("ablations/alpha-1e-3.yaml", 3 * 1 * 3),
            Map.entry("ablations/stage1-50.yaml", 3 * 1 * 3),
            Map.entry("ablations/stage1-200.yaml", 3 * 1 * 3),
            Map.entry("ablations/stage1-800.yaml", 3 * 1 * 3),
            Map.entry("ablations/emb-vs-mona.yaml", 3 * 2 * 3));

    /** No server and no store: a data directory that must stay empty. */
    private Map<String, String> env() {
        return Map.of("MONA_DATA_DIR", tmp.resolve("data").toString(), "HOME", tmp.toString());
    }

    /** A saved bench figure: vit-tiny (4 layers x 64 tokens x width 192), 320 ms a step of 32 samples, on a GPU. */
    private Path calibration() throws Exception {
        Path f = tmp.resolve("calibration.json");
        Files.writeString(f, "{\"size\":\"vit-tiny\",\"device\":\"gpu(0)\",\"threads\":2,\"batch\":32,"
                + "\"ms_per_step\":320.00,\"samples_per_s\":100.00,\"peak_rss_mb\":500.0,\"steps\":5}");
        return f;
    }

    @Test
    void everyPaperSpecIsListed() throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(PAPER)) {
            s.filter(p -> p.toString().endsWith(".yaml")).forEach(p -> found.add(PAPER.relativize(p).toString()));
        }
        assertEquals(new java.util.TreeSet<>(RUNS.keySet()), new java.util.TreeSet<>(found));
    }

    @TestFactory
    Stream<DynamicTest> paperSpecsPlanOfflineWithTheirRunCounts() {
        return RUNS.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> {
                    Cli.Result r = Cli.run(env(), "sweep", PAPER.resolve(e.getKey()).toString(), "--plan",
                            "--calibration", calibration().toString(), "--format", "json");
                    assertEquals(ExitCodes.OK, r.code(), r.toString());
                    JsonNode plan = Verb.JSON.readTree(r.out());
                    assertEquals(e.getValue().intValue(), plan.get("runs").asInt());
                    assertEquals(e.getValue().intValue(), plan.get("table").size());
                    assertFalse(Files.exists(tmp.resolve("data")), "a plan wrote to the data directory");
                }));
    }

    /** Issue 16's study and selection specs (infra/sweeps/study): each plans offline with its hand-counted runs. */
    @TestFactory
    Stream<DynamicTest> studySpecsPlanOfflineWithTheirRunCounts() throws Exception {
        Path study = PAPER.getParent().resolve("study");
        List<Path> specs;
        try (Stream<Path> s = Files.list(study)) {
            specs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        // 2 tasks x 4 methods x 5 seeds; DNA 4 x 5; every selection point 1 method x 2 seeds x 2 tasks (DNA: 1 x 1)
        // ORCA, the Emb ablation and MoNA at the selected point: 2 tasks (DNA: 1) x 1 method x 5 seeds; ORCA at its
        // own budget: 1 task x 3 seeds
        Map<String, Integer> runs = new java.util.TreeMap<>(Map.of("study.yaml", 40, "study-dna.yaml", 20,
                "study-orca.yaml", 10, "study-dna-orca.yaml", 5, "ablation-emb-predictor.yaml", 10,
                "study-mona-selected.yaml", 10, "study-dna-mona-selected.yaml", 5, "study-orca-own-budget.yaml", 3));
        for (String point : List.of("a1e-1-l0.1", "a1e-1-l1", "a1e-2-l0.1", "a1e-2-l1")) {
            runs.put("select-" + point + ".yaml", 4);
            runs.put("select-dna-" + point + ".yaml", 1);
        }
        assertEquals(runs.keySet(), new java.util.TreeSet<>(specs.stream().map(p -> p.getFileName().toString())
                .toList()));
        return specs.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
            Cli.Result r = Cli.run(env(), "sweep", spec.toString(), "--plan", "--format", "json");
            assertEquals(ExitCodes.OK, r.code(), r.toString());
            assertEquals(runs.get(spec.getFileName().toString()).intValue(),
                    Verb.JSON.readTree(r.out()).get("runs").asInt());
        }));
    }

    @Test
    void nb360PlanListsTheTasksFilesAndPricesTheRunsWithKnownSamples() throws Exception {
        Cli.Result r = Cli.run(env(), "sweep", PAPER.resolve("nb360.yaml").toString(), "--plan",
                "--calibration", calibration().toString(), "--format", "json");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode plan = Verb.JSON.readTree(r.out());
        // files per task, by hand: cifar100 1, spherical 1, darcy 2, psicov 1, cosmic 2, ninapro 6, fsd50k 1, ecg 1,
        // satellite 2, deepsea 1 = 18; only CIFAR-100's size is known (169,001,437 bytes)
        int taskFiles = 0;
        long known = 0;
        int unknown = 0;
        for (JsonNode d : plan.get("downloads")) {
            if (d.get("owner").asText().startsWith("nb360-")) {
                taskFiles++;
                if (d.get("bytes").isNull()) unknown++; else known += d.get("bytes").asLong();
            }
        }
        assertEquals(18, taskFiles);
        assertEquals(17, unknown);
        assertEquals(169_001_437L, known);
        // published training samples are known for CIFAR-100 and Darcy only: 2 tasks x 4 methods x 3 seeds priced
        int priced = 0;
        for (JsonNode row : plan.get("table")) {
            boolean has = !row.get("hours").isNull();
            assertEquals(row.get("task").asText().equals("nb360-cifar100") || row.get("task").asText()
                    .equals("nb360-darcy"), has, row.toString());
            priced += has ? 1 : 0;
        }
        assertEquals(24, priced);
        assertEquals(120 - 24, plan.get("unpricedRuns").asInt());
        assertEquals("gpu", plan.get("hoursOn").asText());
    }

    @Test
    void costModelMatchesAComputationByHand() throws Exception {
        Path spec = tmp.resolve("tiny.yaml");
        Files.writeString(spec, "name: tiny\ntasks: [offline-pde-darcy]\nmethods: [ft, mona]\nseeds: [0]\n"
                + "source: fashion-mnist-vit\nconfig: {limit: 100, epochs: 3, align.steps: 10, mona.target-batch: 4,"
                + " mona.classes: 2, mona.per-class: 3}\n");
        Cli.Result r = Cli.run(env(), "sweep", spec.toString(), "--plan", "--calibration", calibration().toString(),
                "--format", "json");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode plan = Verb.JSON.readTree(r.out());
        // calibration: vit-tiny, 4 layers x 64 tokens x 192^2 = 9,437,184 per sample; 0.32 s / (32 x 9,437,184)
        double benchWork = 4.0 * 64 * 192 * 192;
        assertEquals(benchWork, plan.get("calibration").get("workPerSample").asDouble(), 1e-6);
        double perUnit = 0.32 / (32 * benchWork);
        assertEquals(perUnit, plan.get("calibration").get("secondsPerUnit").asDouble(), perUnit * 1e-12);
        // the Fashion-MNIST ViT: 28 px, patch 7 = 16 tokens (no class token), width 64, 2 layers
        double work = 2.0 * 16 * 64 * 64;
        JsonNode ft = plan.get("table").get(0);
        JsonNode mona = plan.get("table").get(1);
        assertEquals("ft", ft.get("method").asText());
        assertEquals(work, ft.get("work").asDouble(), 1e-9);
        assertEquals(100, ft.get("samples").asLong()); // no published count: limit bounds it
        // FT: 3 epochs x 100 samples; MoNA adds 10 meta-steps x (7/3 x 4 target + 2 x 3 source samples)
        double ftPasses = 3 * 100;
        double monaPasses = ftPasses + 10 * (7.0 / 3 * 4 + 2 * 3);
        assertEquals(ftPasses, ft.get("passes").asDouble(), 1e-9);
        assertEquals(monaPasses, mona.get("passes").asDouble(), 1e-9);
        assertEquals(ftPasses * work * perUnit / 3600, ft.get("hours").asDouble(), 1e-15);
        assertEquals(monaPasses * work * perUnit / 3600, mona.get("hours").asDouble(), 1e-15);
        assertEquals((ftPasses + monaPasses) * work * perUnit / 3600, plan.get("hours").asDouble(), 1e-15);
    }

    @Test
    void anUpdateBudgetSetsEveryStage1Length() throws Exception {
        Path spec = tmp.resolve("budget.yaml");
        Files.writeString(spec, "name: budget\ntasks: [offline-pde-darcy]\nmethods: [emb, orca, mona]\nseeds: [0]\n"
                + "source: fashion-mnist-vit\nconfig: {limit: 100, epochs: 3, batch: 8, stage1.budget: \"updates:7\","
                + " mona.target-batch: 4, mona.classes: 2, mona.per-class: 3, orca.pseudo-classes: 5,"
                + " orca.per-class: 16}\n");
        Cli.Result r = Cli.run(env(), "sweep", spec.toString(), "--plan", "--format", "json");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode table = Verb.JSON.readTree(r.out()).get("table");
        double stage2 = 3 * 100;
        // Emb: 7 optimiser steps of 8 samples; ORCA: 7 embedder epochs of min(100, 16 x 5) samples; MoNA: 7
        // meta-steps of 7/3 x 4 target and 2 x 3 source samples
        assertEquals(stage2 + 7 * 8, table.get(0).get("passes").asDouble(), 1e-9);
        assertEquals(stage2 + 7 * 80, table.get(1).get("passes").asDouble(), 1e-9);
        assertEquals(stage2 + 7 * (7.0 / 3 * 4 + 2 * 3), table.get(2).get("passes").asDouble(), 1e-9);
    }

    @Test
    void encoderWorkOfTheHuggingFaceSizesMatchesTheirGeometry() {
        // Swin-B at 224: stages of 2, 2, 18, 2 layers at 56^2, 28^2, 14^2, 7^2 tokens of width 128, 256, 512, 1024
        double swin = 2.0 * 3136 * 128 * 128 + 2.0 * 784 * 256 * 256 + 18.0 * 196 * 512 * 512
                + 2.0 * 49 * 1024 * 1024;
        assertEquals(swin, CostModel.work((TransferModel) BenchSizes.workload("swin-base").model()), 1e-3);
        // a 2-D task in front of swin-base: its input resized to 224, the same geometry
        assertEquals(swin, CostModel.work(CoreModels.model(TaskStage.spec("nb360-spherical"),
                SweepPlan.architecture("swin-base"), 0)), 1e-3);
        // roberta-base on the bench's 1 x 1024 input stacked by 2: 12 layers x 512 tokens x 768^2
        assertEquals(12.0 * 512 * 768 * 768,
                CostModel.work((TransferModel) BenchSizes.workload("roberta-base").model()), 1e-3);
    }

    @Test
    void everyFormatIsWrittenAndTheTableNamesTheDeviceAndFiles() throws Exception {
        Path spec = PAPER.resolve("ablations/emb-vs-mona.yaml");
        Path cal = calibration();
        Cli.Result table = Cli.run(env(), "sweep", spec.toString(), "--plan", "--calibration", cal.toString());
        assertEquals(ExitCodes.OK, table.code(), table.toString());
        assertTrue(table.out().startsWith("sweep ablation-emb-vs-mona (sweep-ablation-emb-vs-mona-"), table.out());
        assertTrue(table.out().contains("18 runs = 3 tasks x 2 methods x 3 seeds"), table.out());
        assertTrue(table.out().contains(" GPU hours on gpu(0) for 6 of 18 runs; 12 runs unknown"), table.out());
        assertTrue(table.out().matches("(?s).*\\n  nb360-darcy +piececonst_r421_N1024_smooth1\\.mat +unknown\\n.*"),
                table.out());
        Cli.Result csv = Cli.run(env(), "sweep", spec.toString(), "--plan", "--calibration", cal.toString(),
                "--format", "csv");
        assertEquals(ExitCodes.OK, csv.code(), csv.toString());
        List<String> lines = csv.out().lines().toList();
        assertEquals("task,method,seed,source,samples,passes,hours", lines.get(0));
        assertEquals(1 + 18, lines.size());
        assertTrue(lines.get(1).startsWith("nb360-ninapro,emb,0,"), lines.get(1));
        Cli.Result md = Cli.run(env(), "sweep", spec.toString(), "--plan", "--calibration", cal.toString(),
                "--format", "markdown");
        assertEquals(ExitCodes.OK, md.code(), md.toString());
        assertEquals(2 + 18, md.out().lines().count());
        assertTrue(md.out().startsWith("| task | method | seed | source | samples | passes | hours |\n|---|"), md.out());
    }

    @Test
    void aCpuCalibrationSaysSo() throws Exception {
        Path cal = tmp.resolve("cpu.json");
        Files.writeString(cal, "{\"size\":\"vit-tiny\",\"device\":\"cpu()\",\"batch\":32,\"ms_per_step\":172.5}");
        Cli.Result r = Cli.run(env(), "sweep", PAPER.resolve("pdebench.yaml").toString(), "--plan",
                "--calibration", cal.toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains(" CPU hours on cpu() for 96 of 96 runs (calibrated on CPU"), r.out());
    }

    @Test
    void planMistakesAreBadInput() throws Exception {
        Path spec = PAPER.resolve("ablations/stage1-50.yaml");
        Cli.Result watch = Cli.run(env(), "sweep", spec.toString(), "--plan", "--watch");
        assertEquals(ExitCodes.BAD_INPUT, watch.code(), watch.toString());
        assertTrue(watch.err().contains("--watch"), watch.err());
        Cli.Result noPlan = Cli.run(env(), "sweep", spec.toString(), "--calibration", calibration().toString());
        assertEquals(ExitCodes.BAD_INPUT, noPlan.code(), noPlan.toString());
        assertTrue(noPlan.err().contains("--plan"), noPlan.err());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"size\":\"vit-tiny\",\"device\":\"cpu()\",\"batch\":32}");
        Cli.Result badCal = Cli.run(env(), "sweep", spec.toString(), "--plan", "--calibration", bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, badCal.code(), badCal.toString());
        assertTrue(badCal.err().contains("ms_per_step"), badCal.err());
        Path unknownKey = tmp.resolve("unknown.yaml");
        Files.writeString(unknownKey, Files.readString(spec).replace("align.steps", "align.stepz"));
        Cli.Result key = Cli.run(env(), "sweep", unknownKey.toString(), "--plan", "--calibration",
                calibration().toString());
        assertEquals(ExitCodes.BAD_INPUT, key.code(), key.toString());
        assertFalse(Files.exists(tmp.resolve("data")), "a plan wrote to the data directory");
    }
}
