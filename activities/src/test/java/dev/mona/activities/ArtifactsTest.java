package dev.mona.activities;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.metric.ProteinWindow;
import dev.mona.core.task.LoadedTask;
import dev.mona.core.task.UnitGaussianNormalizer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactsTest {
    private static DataSplit split(int rows) {
        float[] x = new float[rows * 2];
        float[] y = new float[rows * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = -i;
        }
        return new DataSplit(new HostTensor(x, new long[] {rows, 2}), new HostTensor(y, new long[] {rows, 2}));
    }

    @Test
    void storedDataSetKeepsItsEvaluationProtocol() {
        TaskData d = new TaskData(split(4), split(3), split(2));
        UnitGaussianNormalizer n = new UnitGaussianNormalizer(new float[] {1.5f, -2}, new float[] {0.25f, 3}, 1e-5);
        LoadedTask t = new LoadedTask(d, n, new int[] {0, 0, 1}, new int[] {7, 7},
                new ProteinWindow[] {new ProteinWindow(30, 0, 0), new ProteinWindow(25, 2, 1),
                        new ProteinWindow(64, 0, 3)},
                new ProteinWindow[] {new ProteinWindow(40, 1, 1), new ProteinWindow(41, 0, 0)}, 0.25);
        LoadedTask back = Artifacts.decodeTask("k", Artifacts.encodeTask("nb360-darcy", t));
        assertArrayEquals(d.train().x().data(), back.data().train().x().data());
        assertArrayEquals(d.test().y().data(), back.data().test().y().data());
        assertArrayEquals(n.mean(), back.targetNormalizer().mean());
        assertArrayEquals(n.std(), back.targetNormalizer().std());
        assertEquals((float) n.eps(), back.targetNormalizer().eps(), 0.0);
        assertArrayEquals(new int[] {0, 0, 1}, back.validationClipOfRow());
        assertArrayEquals(new int[] {7, 7}, back.testClipOfRow());
        assertArrayEquals(t.validationProteins(), back.validationProteins());
        assertArrayEquals(t.testProteins(), back.testProteins());
        assertEquals(0.25, back.scoreThreshold(), 0.0);
        // the protocol survives the round trip: decoded relative L2 of the test split
        HostTensor p = new HostTensor(new float[] {0, 1, 2, 3}, new long[] {2, 2});
        assertEquals(t.testScorer(MetricKind.RELATIVE_L2).score(p, d.test().y()),
                back.testScorer(MetricKind.RELATIVE_L2).score(p, d.test().y()), 1e-6);
    }

    @Test
    void plainDataSetHasNoProtocol() {
        LoadedTask back = Artifacts.decodeTask("k", Artifacts.encodeTask("offline-dna",
                LoadedTask.of(new TaskData(split(2), split(1), split(1)))));
        assertNull(back.targetNormalizer());
        assertNull(back.validationClipOfRow());
        assertNull(back.testProteins());
        assertTrue(Double.isNaN(back.scoreThreshold()));
    }
}
