package dev.mona.core.task;

import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunContext;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.Embedder1d;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ORCA's per-task target_seq_len, embedder epochs and maxsamples, and the stack rule, against hand values. */
class TaskProtocolTest {
    @Test
    void stackRuleIsTheSmallestDivisorWithinTheTarget() {
        // ECG: divisors of 1000 from 16 up: 20 is the first with 1000 / i <= 64
        assertEquals(20, Embedder1d.stack(1000, 64));
        assertEquals(2, Embedder1d.stack(1000, 512));
        assertEquals(1, Embedder1d.stack(46, 512));
        assertEquals(24, Embedder1d.stack(3072, 128));
        // a prime length has no divisor in between: one token of all of it
        assertEquals(7, Embedder1d.stack(7, 3));
    }

    @Test
    void everyOneDimensionalTaskGetsOrcasTokenCount() {
        // task, target_seq_len of its ORCA config, stack, tokens (input lengths as mona loads them)
        Object[][] rows = {
                {"nb360-ecg", 64, 20, 50},
                {"nb360-satellite", 512, 1, 46},
                {"nb360-deepsea", 512, 2, 500},
                {"pdebench-advection", 512, 1, 256},
                {"pdebench-burgers", 128, 8, 128},
                {"pdebench-diffusion-sorption", 32, 32, 32},
                {"pdebench-diffusion-reaction", 256, 4, 256},
                {"pdebench-navier-stokes-1d", 128, 24, 128}};
        for (Object[] r : rows) {
            TaskSpec t = TaskCatalog.get((String) r[0]);
            assertEquals(r[1], t.protocol().targetSeqLen(), r[0] + " target_seq_len");
            int resolved = ConfigKeys.resolve(new RunContext(t, "ft", ConfigKeys.MINILM), Map.of()).targetSeqLen();
            assertEquals(r[1], resolved, r[0] + " target-seq-len key");
            Embedder1d e = (Embedder1d) Architectures.embedder(BertConfig.robertaBase(), t.inputShape(), resolved);
            assertEquals(r[2], e.stack(), r[0] + " stack");
            assertEquals(r[3], e.tokens(), r[0] + " tokens");
        }
        // an override reaches the embedder: ECG at 100 tokens stacks 10
        int n = ConfigKeys.resolve(new RunContext(TaskCatalog.get("nb360-ecg"), "ft", ConfigKeys.MINILM),
                Map.of("target-seq-len", "100")).targetSeqLen();
        assertEquals(10, ((Embedder1d) Architectures.embedder(BertConfig.robertaBase(), new long[] {1, 1000}, n))
                .stack());
    }

    @Test
    void stage1SettingsFollowEachTasksConfig() {
        for (TaskSpec t : TaskCatalog.all()) {
            if (t.family().equals("offline")) {
                continue;
            }
            int epochs = t.name().equals("nb360-ninapro") ? 100 : 60;
            int max = t.name().equals("nb360-psicov") || t.name().equals("nb360-deepsea") ? 64 : 128;
            assertEquals(epochs, t.protocol().embedderEpochs(), t.name());
            assertEquals(max, t.protocol().maxSamples(), t.name());
            var c = ConfigKeys.resolve(new RunContext(t, "orca", t.inputShape().length == 3 ? ConfigKeys.VIT
                    : ConfigKeys.MINILM), Map.of());
            assertEquals(epochs, c.integer("align.epochs"), t.name());
            assertEquals(max, c.integer("orca.per-class"), t.name());
            assertEquals(t.train().decayEpochs(), c.integer("decay-epochs"), t.name());
            assertEquals("0.98", c.value("adam.beta2"), t.name());
        }
    }

    @Test
    void orcasEmbedderOptimiserIsTheTasksAtTenTimesASmallRate() {
        // get_optimizer_scheduler(module='embedder'): the task's optimiser, lr x 10 when lr <= 1e-3
        Object[][] rows = {{"nb360-ecg", "sgd", "0.00001"}, {"nb360-satellite", "adamw", "0.0003"},
                {"nb360-cosmic", "adamw", "0.01"}, {"nb360-psicov", "adam", "0.00005"}};
        for (Object[] r : rows) {
            var c = ConfigKeys.resolve(new RunContext(TaskCatalog.get((String) r[0]), "orca",
                    TaskCatalog.get((String) r[0]).inputShape().length == 3 ? ConfigKeys.VIT : ConfigKeys.MINILM),
                    Map.of());
            assertEquals(r[1], c.value("orca.optimizer"), r[0] + " optimiser");
            assertEquals(r[2], c.value("orca.lr"), r[0] + " rate");
            assertEquals("20,40,60", c.value("orca.lr-milestones"));
            assertEquals("0.2", c.value("orca.lr-gamma"));
        }
        assertEquals(0.002, dev.mona.core.method.OrcaConfig.embedderRate(0.002), 0);
        // the optimiser's other settings are the task's
        var ecg = ConfigKeys.resolve(new RunContext(TaskCatalog.get("nb360-ecg"), "orca", ConfigKeys.MINILM),
                Map.of()).orca(0, 5000);
        assertEquals(0.99, ecg.momentum());
        assertEquals(0.1, ecg.weightDecay());
        assertEquals(0.98, ecg.beta2());
    }
}
