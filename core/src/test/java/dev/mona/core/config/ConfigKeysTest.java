package dev.mona.core.config;

import dev.mona.core.method.HvpMode;
import dev.mona.core.method.UniformityPairs;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The configuration registry: strict typed values, ranges, canonical forms, applicability and the core records. */
class ConfigKeysTest {
    private static final TaskSpec DARCY = TaskCatalog.get("offline-pde-darcy");
    private static final TaskSpec DNA = TaskCatalog.get("offline-dna");

    static Stream<ConfigKey> keys() {
        return ConfigKeys.ALL.stream();
    }

    /** A value of the right spelling but outside the key's range, or of the wrong type. */
    static List<String> badValues(ConfigKey k) {
        if (k.type() instanceof ConfigKey.Int i) {
            return List.of(Long.toString(i.min() - 1), "99999999999", "1.5", "0x10", "", "three");
        }
        if (k.type() instanceof ConfigKey.Real) {
            return List.of("1e308", "-1", "0x1p3", "NaN", "Infinity", "1d", "fast");
        }
        if (k.type() instanceof ConfigKey.IntList l) {
            return List.of(Long.toString(l.min() - 1), "1,,2", "1.5", "", "three", "20;40", "0," + (l.max() + 1));
        }
        if (k.type() instanceof ConfigKey.Budget) {
            return List.of("updates:0", "updates:", "updates:1.5", "steps:3", "3", "");
        }
        return k.type() instanceof ConfigKey.Choice ? List.of("nope", "") : List.of("yes", "1", "");
    }

    @ParameterizedTest
    @MethodSource("keys")
    void everyKeyRejectsBadValuesNamingTheKey(ConfigKey k) {
        for (String v : badValues(k)) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigKeys.canonical(Map.of(k.name(), v)),
                    k.name() + "=" + v);
            assertTrue(e.getMessage().contains(k.name()), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    void everyKeyHasADefaultForSomeRunAndItsOwnCanonicalForm(ConfigKey k) {
        boolean found = false;
        for (String method : RunContext.METHODS) {
            for (TaskSpec t : List.of(DARCY, DNA)) {
                for (String encoder : t == DARCY ? List.of(ConfigKeys.VIT, ConfigKeys.SWIN_BASE)
                        : List.of(ConfigKeys.MINILM, ConfigKeys.ROBERTA_BASE)) {
                    RunConfig c = ConfigKeys.resolve(new RunContext(t, method, encoder), Map.of());
                    if (c.values().containsKey(k.name())) {
                        found = true;
                        String v = c.value(k.name());
                        assertEquals(v, k.type().canonical(k.name(), v), "canonical default of " + k.name());
                    }
                }
            }
        }
        assertTrue(found, k.name() + " applies to no run");
        assertFalse(k.meaning().isBlank());
    }

    @Test
    void boundsOfIssueTenAreEnforced() {
        for (String[] kv : new String[][]{{"epochs", "2147483647"}, {"batch", "2e9"}, {"lr", "1e308"},
                {"lr", "0x1p3"}, {"epochs", "0"}, {"lr", "0"}}) {
            assertThrows(ConfigException.class, () -> ConfigKeys.canonical(Map.of(kv[0], kv[1])), kv[0] + kv[1]);
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigKeys.canonical(Map.of("epochs", "99999999999")));
        assertTrue(e.getMessage().contains("out of range 1..10000"), e.getMessage());
    }

    @Test
    void equalValuesSpelledDifferentlyAreOneCanonicalForm() {
        for (String spelling : List.of(" 3", "03", "3", "+3", "3 ")) {
            assertEquals(Map.of("epochs", "3"), ConfigKeys.canonical(Map.of("epochs", spelling)), spelling);
        }
        for (String spelling : List.of("0.001", "1e-3", "1E-3", "0.0010", ".001", " 1.0e-3")) {
            assertEquals(Map.of("lr", "0.001"), ConfigKeys.canonical(Map.of("lr", spelling)), spelling);
        }
        assertEquals(Map.of("mona.hvp", "fd", "optimizer", "adamw", "emb.predictor", "false"),
                ConfigKeys.canonical(Map.of("mona.hvp", "FD", "optimizer", " AdamW", "emb.predictor", "False")));
        assertEquals(Map.of("mona.pairs", "different-class"),
                ConfigKeys.canonical(Map.of("mona.pairs", "DIFFERENT_CLASS")));
    }

    @Test
    void probeEpochsAreAnAscendingListWithinTheFineTune() {
        assertEquals(Map.of("probe.at-epochs", "0,3,10"), ConfigKeys.canonical(Map.of("probe.at-epochs",
                " 10,3 ,0,3")));
        // default: 0, the quarters (rounded down) and the last epoch, each once
        RunConfig c = ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.VIT), Map.of("epochs", "10"));
        assertEquals(List.of(0, 2, 5, 7, 10), c.probeEpochs());
        assertEquals(List.of(0, 1), ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.VIT),
                Map.of("epochs", "1", "warmup.epochs", "0")).probeEpochs());
        ConfigException beyond = assertThrows(ConfigException.class, () -> ConfigKeys.resolve(
                new RunContext(DARCY, "ft", ConfigKeys.VIT), Map.of("epochs", "4", "probe.at-epochs", "0,5")));
        assertTrue(beyond.getMessage().contains("probe.at-epochs=0,5") && beyond.getMessage().contains("epochs=4"),
                beyond.getMessage());
        ConfigException points = assertThrows(ConfigException.class, () -> ConfigKeys.resolve(
                new RunContext(DARCY, "ft", ConfigKeys.VIT), Map.of("source.samples", "50", "tsne.points", "60")));
        assertTrue(points.getMessage().contains("tsne.points=60"), points.getMessage());
        assertEquals("50", ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.VIT),
                Map.of("source.samples", "50")).value("tsne.points"), "default: at most the held-out samples");
    }

    @Test
    void unknownAndInapplicableKeysAreRejectedWithTheReason() {
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigKeys.canonical(Map.of("epoch",
                "3")));
        assertTrue(unknown.getMessage().contains("'epoch'") && unknown.getMessage().contains("epochs"));
        ConfigException ft = assertThrows(ConfigException.class, () -> ConfigKeys.resolve(
                new RunContext(DARCY, "ft", ConfigKeys.VIT), Map.of("align.steps", "2")));
        assertTrue(ft.getMessage().contains("align.steps") && ft.getMessage().contains("mona"), ft.getMessage());
        ConfigException minilm = assertThrows(ConfigException.class, () -> ConfigKeys.resolve(
                new RunContext(DNA, "ft", ConfigKeys.MINILM), Map.of("source.limit", "100")));
        assertTrue(minilm.getMessage().contains("source.limit") && minilm.getMessage().contains(ConfigKeys.VIT));
        // a sweep's run leaves out what belongs to its other runs, but still checks the values
        RunConfig c = ConfigKeys.forRun(new RunContext(DARCY, "ft", ConfigKeys.VIT), Map.of("align.steps", "2"));
        assertFalse(c.values().containsKey("align.steps"));
        assertFalse(ConfigKeys.forRun(new RunContext(DNA, "ft", ConfigKeys.MINILM), Map.of("source.limit", "100"))
                .values().containsKey("source.limit"));
        assertThrows(ConfigException.class, () -> ConfigKeys.forRun(new RunContext(DARCY, "ft", ConfigKeys.VIT),
                Map.of("align.steps", "-2")));
        ConfigException warm = assertThrows(ConfigException.class, () -> ConfigKeys.resolve(
                new RunContext(DARCY, "ft", ConfigKeys.VIT), Map.of("epochs", "2", "warmup.epochs", "2")));
        assertTrue(warm.getMessage().contains("warmup.epochs"), warm.getMessage());
    }

    @Test
    void defaultsAreTheTasksAndTheMethodsAndFollowTheirBase() {
        TrainConfig t = DARCY.train();
        RunConfig c = ConfigKeys.resolve(new RunContext(DARCY, "mona", ConfigKeys.VIT), Map.of());
        // the task's settings; a task without ORCA's decay_epochs decays over its own epochs
        assertEquals(t.withDecay(t.epochs(), t.beta1(), t.beta2()), c.train());
        assertEquals(dev.mona.core.method.MonaConfig.DEFAULT_ALPHA, c.number("mona.alpha"));
        assertNotEquals(t.learningRate(), c.number("mona.alpha"), "alpha is its own default (issue 16), not lr");
        RunConfig set = ConfigKeys.resolve(new RunContext(DARCY, "mona", ConfigKeys.VIT), Map.of("lr", "0.25",
                "batch", "3", "epochs", "1"));
        assertEquals(dev.mona.core.method.MonaConfig.DEFAULT_ALPHA, set.number("mona.alpha"), "lr leaves alpha");
        assertEquals(0.25, set.number("mona.beta"));
        assertEquals(3, set.integer("mona.target-batch"));
        assertEquals(0, set.integer("warmup.epochs"), "the warm-up fits below the epochs");
        assertEquals(10, c.stage1(null).checkpointEvery(), "a stage-1 checkpoint every 10 steps by default");
        for (String method : List.of("emb", "orca")) {
            assertEquals("0", ConfigKeys.resolve(new RunContext(DARCY, method, ConfigKeys.VIT),
                    Map.of("align.checkpoint-every", "0")).value("align.checkpoint-every"), "0: only at the end");
        }
        assertThrows(ConfigException.class, () -> ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.VIT),
                Map.of("align.checkpoint-every", "5")), "ft has no stage 1");
    }

    @Test
    void methodsAreBuiltFromTheConfigurationAndTheSourceBatchFitsTheSourceSet() {
        // 3 classes of 5, 3 and 2 samples: 4 x 8 asked, 3 x 2 possible
        float[] labels = {0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
        var source = new dev.mona.core.data.DataSplit(new dev.mona.core.data.HostTensor(new float[10], new long[]{10, 1}),
                new dev.mona.core.data.HostTensor(labels, new long[]{10}));
        RunConfig mona = ConfigKeys.resolve(new RunContext(DARCY, "mona", ConfigKeys.VIT), Map.of("align.steps", "3"));
        var m = ((dev.mona.core.method.Method.Mona) mona.method("mona", 5, source)).config();
        assertEquals(List.of(3, 2, 3, 5L), List.of(m.sourceClasses(), m.samplesPerClass(), m.steps(), m.seed()));
        RunConfig orca = ConfigKeys.resolve(new RunContext(DARCY, "orca", ConfigKeys.VIT), Map.of());
        assertEquals(10, ((dev.mona.core.method.Method.Orca) orca.method("orca", 0, source)).config().sourceSamples());
        assertEquals("ft", mona.method("ft", 0, source).name());
        assertEquals("scratch", mona.method("scratch", 0, source).name());
    }

    @Test
    void anUpdateBudgetSetsEveryStageOneLengthAndReplacesThePerMethodKeys() {
        for (String method : List.of("emb", "orca", "mona")) {
            RunContext ctx = new RunContext(DARCY, method, ConfigKeys.VIT);
            RunConfig c = ConfigKeys.resolve(ctx, Map.of("stage1.budget", " Updates:0120"));
            assertEquals("updates:120", c.value("stage1.budget"));
            assertEquals(120, c.stage1Updates().orElseThrow());
            assertFalse(c.values().containsKey("align.epochs") || c.values().containsKey("align.steps"),
                    "the length keys do nothing under a budget: " + c.values());
            String lengthKey = method.equals("mona") ? "align.steps" : "align.epochs";
            ConfigException both = assertThrows(ConfigException.class, () -> ConfigKeys.resolve(ctx,
                    Map.of("stage1.budget", "updates:120", lengthKey, "3")));
            assertTrue(both.getMessage().contains(lengthKey) && both.getMessage().contains("stage1.budget"),
                    both.getMessage());
            // the default rule is each method's own length
            RunConfig own = ConfigKeys.resolve(ctx, Map.of());
            assertEquals("per-method", own.value("stage1.budget"));
            assertTrue(own.stage1Updates().isEmpty());
            assertTrue(own.values().containsKey(lengthKey));
        }
        RunConfig mona = ConfigKeys.resolve(new RunContext(DARCY, "mona", ConfigKeys.VIT),
                Map.of("stage1.budget", "updates:7"));
        assertEquals(7, mona.mona(0, 2, 2).steps());
        RunConfig orca = ConfigKeys.resolve(new RunContext(DARCY, "orca", ConfigKeys.VIT),
                Map.of("stage1.budget", "updates:7"));
        assertEquals(7, orca.orca(0, 100).embedderEpochs());
        RunConfig emb = ConfigKeys.resolve(new RunContext(DARCY, "emb", ConfigKeys.VIT),
                Map.of("stage1.budget", "updates:7"));
        assertEquals(new dev.mona.core.method.Method.EmbedderWarmup(0, true, 7), emb.embedderWarmup());
        assertThrows(ConfigException.class, () -> ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.VIT),
                Map.of("stage1.budget", "updates:7")), "ft has no stage 1");
    }

    @Test
    void everyKeyReachesTheCoreRecordItSets() {
        Map<String, String> o = new HashMap<>();
        o.putAll(Map.of("epochs", "7", "batch", "5", "accumulation", "2", "optimizer", "sgd", "lr", "0.5",
                "momentum", "0.8", "weight.decay", "0.01", "warmup.epochs", "3", "clip.norm", "2.5"));
        o.putAll(Map.of("decay-epochs", "9", "adam.beta1", "0.8", "adam.beta2", "0.95"));
        o.putAll(Map.of("align.steps", "9", "mona.alpha", "0.125", "mona.beta", "0.0625", "mona.optimizer", "adamw",
                "mona.lambda", "0.3", "mona.temperature", "1.5", "mona.classes", "3", "mona.per-class", "4",
                "mona.target-batch", "6", "mona.pairs", "different-class"));
        o.putAll(Map.of("mona.hvp", "fd", "mona.predictor-inner", "false", "probe.epochs", "11", "probe.l2", "0.5",
                "source.epochs", "2", "source.limit", "100", "source.samples", "30", "limit", "12",
                "align.checkpoint-every", "4", "freeze", "encoder+embedder"));
        o.putAll(Map.of("probe.at-epochs", "1,7", "tsne.points", "25", "tsne.perplexity", "5",
                "tsne.iterations", "40", "mona.diagnostics-every", "5"));
        RunConfig c = ConfigKeys.resolve(new RunContext(DARCY, "mona", ConfigKeys.VIT), o);
        assertEquals(new TrainConfig(7, 5, 2, OptimizerKind.SGD, 0.5, 0.01, 0.8, 3, 2.5, 9, 0.8, 0.95), c.train());
        var m = c.mona(1, 10, 10);
        assertEquals(List.of(0.125, 0.3, 1.5, 9, false, UniformityPairs.DIFFERENT_CLASS, 3, 4, 6,
                OptimizerKind.ADAMW, 0.0625, HvpMode.FD), List.of(m.innerLearningRate(), m.lambda(),
                m.temperature(), m.steps(), m.predictorInInnerStep(), m.uniformityPairs(), m.sourceClasses(),
                m.samplesPerClass(), m.targetBatchSize(), m.outerOptimizer(), m.outerLearningRate(), m.hvp()));
        assertEquals(5, m.diagnosticsEvery());
        assertEquals(List.of("encoder.*", "embedder.*"), c.freeze());
        assertEquals(4, c.stage1(java.nio.file.Path.of("ck")).checkpointEvery());
        assertEquals(java.nio.file.Path.of("ck"), c.stage1(java.nio.file.Path.of("ck")).checkpointDir());
        assertEquals(11, c.probe().maxIterations());
        assertEquals(0.5, c.probe().l2());
        assertEquals(List.of(1, 7), c.probeEpochs());
        assertEquals(new dev.mona.core.analysis.Tsne.Config(5, 40, 200, 3), c.tsne(3));
        assertEquals(25, c.integer("tsne.points"));
        assertEquals(2, c.vitSource().train().epochs());
        assertEquals(100, c.vitSource().trainLimit());
        assertEquals(30, c.integer("source.samples"));
        assertEquals(12, c.integer("limit"));

        Map<String, String> oo = new HashMap<>(Map.of("align.epochs", "4", "orca.optimizer", "sgd", "orca.lr", "0.2",
                "orca.source-samples", "50", "orca.reg", "0.5", "orca.pseudo-classes", "3", "orca.per-class", "7",
                "orca.chunk", "8", "orca.lr-milestones", "2, 3", "orca.lr-gamma", "0.5"));
        oo.putAll(Map.of("batch", "6", "momentum", "0.7", "weight.decay", "0.02", "adam.beta1", "0.85",
                "adam.beta2", "0.97"));
        RunConfig orca = ConfigKeys.resolve(new RunContext(DARCY, "orca", ConfigKeys.VIT), oo);
        var oc = orca.orca(2, 40);
        assertEquals(List.of(4, 40, 0.5, 3, 7, 6, 8, OptimizerKind.SGD, 0.2, 0.02, 0.7, 0.85, 0.97, List.of(2, 3),
                0.5, 2L), List.of(oc.embedderEpochs(), oc.sourceSamples(), oc.reg(), oc.pseudoClasses(),
                oc.maxSamples(), oc.batchSize(), oc.chunk(), oc.optimizer(), oc.learningRate(), oc.weightDecay(),
                oc.momentum(), oc.beta1(), oc.beta2(), oc.milestones(), oc.gamma(), oc.seed()));
        RunConfig dna = ConfigKeys.resolve(new RunContext(DNA, "ft", ConfigKeys.MINILM), Map.of("target-seq-len",
                "30"));
        assertEquals(30, dna.targetSeqLen());
        assertEquals(0, orca.targetSeqLen(), "a 2-D task has no 1-D token budget");
        RunConfig emb = ConfigKeys.resolve(new RunContext(DARCY, "emb", ConfigKeys.VIT), Map.of("align.epochs", "2",
                "emb.predictor", "false"));
        assertEquals(2, emb.embedderWarmup().epochs());
        assertFalse(emb.embedderWarmup().trainPredictor());
        RunConfig budget = ConfigKeys.resolve(new RunContext(DARCY, "emb", ConfigKeys.VIT),
                Map.of("stage1.budget", "updates:40"));
        assertEquals(40, budget.embedderWarmup().budget());
        // every key was set by one of the runs above
        java.util.Set<String> set = new java.util.TreeSet<>(o.keySet());
        set.addAll(orca.values().keySet().stream().filter(k -> k.startsWith("orca.") || k.equals("align.epochs"))
                .toList());
        set.add("emb.predictor");
        // the published sources: ORCA's 5,000 source samples by default, Swin's source set chosen
        RunConfig swin = ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.SWIN_BASE), Map.of("source.set",
                "fashion-mnist"));
        assertEquals("fashion-mnist", swin.value("source.set"));
        assertEquals(5000, swin.integer("source.samples"));
        assertEquals(3000, ConfigKeys.resolve(new RunContext(DNA, "ft", ConfigKeys.ROBERTA_BASE), Map.of())
                .integer("source.samples"));
        // the offline ViT's probe needs 5,000 samples a set for a held-out error under 15 %; MiniLM keeps 800
        assertEquals(5000, ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.VIT), Map.of())
                .integer("source.samples"));
        assertEquals(800, ConfigKeys.resolve(new RunContext(DNA, "ft", ConfigKeys.MINILM), Map.of())
                .integer("source.samples"));
        ConfigException tooMany = assertThrows(ConfigException.class, () -> ConfigKeys.resolve(new RunContext(DARCY,
                "ft", ConfigKeys.SWIN_BASE), Map.of("source.set", "fashion-mnist", "source.samples", "10001")));
        assertTrue(tooMany.getMessage().contains("at most 10000"), tooMany.getMessage());
        assertEquals(25000, ConfigKeys.sourceSamplesMax(ConfigKeys.SWIN_BASE));
        assertThrows(ConfigException.class, () -> ConfigKeys.resolve(new RunContext(DARCY, "ft", ConfigKeys.VIT),
                Map.of("source.set", "cifar-10")), "source.set does not apply to the ViT");
        set.add("source.set");
        assertEquals(dev.mona.core.engine.Precision.BF16, ConfigKeys.resolve(new RunContext(DARCY, "ft",
                ConfigKeys.VIT), Map.of("precision", "bf16")).precision());
        assertEquals(dev.mona.core.engine.Precision.FLOAT32, emb.precision());
        set.add("precision");
        set.add("stage1.budget");
        set.add("target-seq-len");
        assertEquals(ConfigKeys.ALL.stream().map(ConfigKey::name).collect(java.util.stream.Collectors.toCollection(
                java.util.TreeSet::new)), set);
    }
}
