package dev.mona.core.task;

import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ORCA's FSD50K preprocessing on a small audio.zip written in NAS-Bench-360's layout. */
class Fsd50kLoaderTest {

    /** Centre frequency of mel band b (HTK, 96 bands between 0 and 11,025 Hz). */
    static double bandCentre(int b) {
        double top = 2595 * Math.log10(1 + 11025 / 700.0);
        return 700 * (Math.pow(10, top * (b + 1) / 97 / 2595) - 1);
    }

    /** 16-bit mono PCM WAV at 22,050 Hz of a tone. */
    static byte[] wav(double seconds, double hz) throws IOException {
        int n = (int) Math.round(seconds * 22050);
        ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(12000 * Math.sin(2 * Math.PI * hz * i / 22050.0)));
        }
        AudioFormat fmt = new AudioFormat(22050, 16, 1, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(b.array()), fmt, n), AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    static void write(Path zip, String badLabel) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            map.append(i == 0 ? "" : ", ").append("\"L").append(i).append("\": ").append(i);
        }
        e.put("chunks/lbl_map.json", map.append("}").toString().getBytes(StandardCharsets.UTF_8));
        double tone = bandCentre(40);
        // training clips: 10 (two chunks, labels L3 and L17), 2 (a 0.5 s chunk, tiled), 7 (a 1.5 s chunk: dropped)
        e.put("chunks/tr.csv", ("files,labels,ext\n"
                + "data/chunks/dev/10_0.wav,\"L3,L17\",10\n"
                + "data/chunks/dev/10_1.wav,\"L3,L17\",10\n"
                + "data/chunks/dev/2_0.wav,L0,2\n"
                + "data/chunks/dev/7_0.wav,L5,7\n").getBytes(StandardCharsets.UTF_8));
        e.put("chunks/dev/10_0.wav", wav(1, tone));
        e.put("chunks/dev/10_1.wav", wav(1, tone));
        e.put("chunks/dev/2_0.wav", wav(0.5, 300));
        e.put("chunks/dev/7_0.wav", wav(1.5, 300));
        e.put("chunks/val.csv", ("files,labels,ext\n"
                + "data/chunks/dev/5_0.wav,L199,5\n"
                + "data/chunks/dev/5_1.wav,L199,5\n").getBytes(StandardCharsets.UTF_8));
        e.put("chunks/dev/5_0.wav", wav(1, 500));
        e.put("chunks/dev/5_1.wav", wav(1, 700));
        e.put("chunks/eval.csv", ("files,labels,ext\n"
                + "data/chunks/eval/3_0.wav,\"L1,L2\",3\n"
                + "data/chunks/eval/1_0.wav," + badLabel + ",1\n").getBytes(StandardCharsets.UTF_8));
        e.put("chunks/eval/3_0.wav", wav(1, 900));
        e.put("chunks/eval/1_0.wav", wav(1.5, 900));
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> x : e.entrySet()) {
                z.putNextEntry(new ZipEntry(x.getKey()));
                z.write(x.getValue());
            }
        }
    }

    @Test
    void chunksBecomeLogMelInputsWithMultiHotLabelsAndClipGroups(@TempDir Path dir) throws IOException {
        write(dir.resolve("audio.zip"), "L150");
        LoadedTask t = TaskCatalog.load("nb360-fsd50k", dir, LoadOptions.defaults());
        TaskData d = t.data();
        // clip 7's only chunk is 1.5 s (151 frames): ORCA drops it from training
        assertEquals(2, d.train().size());
        assertArrayEquals(new long[]{2, 1, 96, 102}, d.train().x().shape());
        assertArrayEquals(new long[]{2, 200}, d.train().y().shape());
        // clips in numeric np.unique order: 2, then 10
        float[] y = d.train().y().data();
        assertEquals(1f, y[0]);
        assertEquals(1f, y[200 + 3]);
        assertEquals(1f, y[200 + 17]);
        float sum = 0;
        for (float v : y) {
            sum += v;
        }
        assertEquals(3f, sum);

        float[] x = d.train().x().data();
        int per = 96 * 102;
        for (int s = 0; s < 2; s++) {
            double mean = 0;
            for (int m = 0; m < 96; m++) {
                assertEquals(0f, x[s * per + m * 102 + 101], "zero frame appended");
                for (int f = 0; f < 101; f++) {
                    mean += x[s * per + m * 102 + f];
                }
            }
            assertEquals(0, mean / (96 * 101), 1e-4, "features are centred");
        }
        // a tone at band 40's centre frequency: band 40 has the most energy in the middle frame
        int best = 0;
        for (int m = 1; m < 96; m++) {
            if (x[per + m * 102 + 50] > x[per + best * 102 + 50]) {
                best = m;
            }
        }
        assertEquals(40, best);
        // validation: both chunks of clip 5, one clip; test: clips 1 (1.5 s, centre-cropped) and 3
        assertEquals(2, d.validation().size());
        assertArrayEquals(new int[]{0, 0}, t.validationClipOfRow());
        assertEquals(2, d.test().size());
        assertArrayEquals(new int[]{0, 1}, t.testClipOfRow());
        assertEquals(1f, d.test().y().data()[150]);
        assertEquals(1f, d.test().y().data()[200 + 1]);
        assertEquals(1f, d.test().y().data()[200 + 2]);

        // clip-level scoring: the mean of a clip's rows
        HostTensor logits = new HostTensor(new float[]{1, 2, 3, 6}, new long[]{2, 2});
        HostTensor perClip = LoadedTask.meanPerClip(logits, t.validationClipOfRow());
        assertArrayEquals(new long[]{1, 2}, perClip.shape());
        assertArrayEquals(new float[]{2, 4}, perClip.data());
    }

    @Test
    void anUnknownLabelIsCorruptAndNamed(@TempDir Path dir) throws IOException {
        write(dir.resolve("audio.zip"), "Bark");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> TaskCatalog.load("nb360-fsd50k", dir, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("'Bark'"), e.getMessage());
        assertTrue(e.getMessage().contains("eval.csv"), e.getMessage());
    }

    @Test
    void csvFieldsMayQuoteCommasAndQuotes() {
        var rows = Fsd50kLoader.Csv.parse("a,b,c\r\nx,\"y,z\",\"q\"\"r\"\n");
        assertEquals(2, rows.size());
        assertEquals(java.util.List.of("x", "y,z", "q\"r"), rows.get(1));
    }
}
