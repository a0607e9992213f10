package dev.mona.core.export;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Encoder;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.VitConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each encoder alone, exported and run by ONNX Runtime, against its DJL forward. */
class EncoderExportTest {
    static NDManager manager;

    @BeforeAll
    static void start() {
        manager = Engines.newManager(Device.cpu());
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static ParityReport parity(Encoder e, long[] tokenShape, long[] expectedOut) {
        Params p = ExportFixtures.randomParams(e, manager, 11, 0.3);
        ExportedModel m = OnnxExporter.export(e, p, tokenShape, ExportFixtures.metadata());
        assertArrayEquals(expectedOut, m.outputShape());
        long[] batch = new long[tokenShape.length + 1];
        batch[0] = 3;
        System.arraycopy(tokenShape, 0, batch, 1, tokenShape.length);
        HostTensor x = ExportFixtures.randomInput(5, batch);
        ParityReport r = OnnxParity.measure(m.bytes(), e, p, x, OnnxParity.FP32_TOLERANCE, false, 8);
        assertTrue(r.maxAbsDiff() < OnnxParity.FP32_TOLERANCE, e.getClass().getSimpleName() + ": " + r);
        return r;
    }

    @Test
    void vitEncoder() {
        VitConfig c = VitConfig.test();
        parity(c.build(), new long[] {5, c.width()}, new long[] {5, c.width()});
    }

    @Test
    void swinEncoderWithShiftedWindowsAndPatchMerging() {
        // 8 x 8 tokens, window 4: stage 0 has 4 windows and a shifted block; stage 1 is one 4 x 4 window
        SwinConfig c = SwinConfig.tiny();
        parity(c.build(), new long[] {64, 16}, new long[] {16, 32});
    }

    @Test
    void swinWithThreeStagesAndASmallerLastWindow() {
        SwinConfig c = new SwinConfig(48, 2, 1, 8, List.of(2, 2, 1), List.of(1, 2, 2), 6, 2.0, 1e-5);
        // 24 x 24 tokens: window 6 (16 windows, shifted by 3), then 12 x 12 (4 windows), then 6 x 6 (one window)
        parity(c.build(), new long[] {576, 8}, new long[] {36, 32});
    }

    @Test
    void checkedExportCarriesTaskProvenanceAndParityInMetadata() {
        VitConfig c = VitConfig.test();
        Encoder e = c.build();
        Params p = ExportFixtures.randomParams(e, manager, 3, 0.3);
        long[] tokens = {5, c.width()};
        OnnxExporter.CheckedExport out = OnnxExporter.exportChecked(e, p, tokens, ExportFixtures.metadata(),
                ExportFixtures.randomInput(1, 2, 5, c.width()), OnnxParity.FP32_TOLERANCE, false);
        var props = out.model().metadata();
        assertEquals("test-task", props.get("mona.task"));
        assertEquals("CLASSIFICATION", props.get("mona.task_kind"));
        assertEquals("FT", props.get("mona.method"));
        assertEquals("VitEncoder", props.get("mona.encoder"));
        assertEquals("1", props.get("mona.provenance.seed"));
        assertEquals("abc", props.get("mona.provenance.git"));
        assertEquals("[batch, 5, 8]", props.get("mona.input_shape"));
        assertEquals("17", props.get("mona.opset"));
        assertEquals("CPU", props.get("mona.parity.provider"));
        assertEquals(Double.toString(out.parity().maxAbsDiff()), props.get("mona.parity.max_abs_diff"));
        assertEquals(8, out.model().model().getIrVersion());

        OnnxExportException wrong = assertThrows(OnnxExportException.class, () -> OnnxExporter.exportChecked(e, p,
                tokens, ExportFixtures.metadata(), ExportFixtures.randomInput(1, 2, 6, c.width()), 1e-4, false));
        assertTrue(wrong.getMessage().contains("[6, 8]"), wrong.getMessage());
    }

    @Test
    void unsupportedModuleIsATypedError() {
        var odd = new OnnxParityTest.LinearGelu();
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExporter.export(odd,
                odd.initialise(manager, ai.djl.ndarray.types.DataType.FLOAT32, new java.util.SplittableRandom(1)),
                new long[] {4}, ExportFixtures.metadata()));
        assertTrue(e.getMessage().contains("no ONNX writer for module"), e.getMessage());
    }
}
