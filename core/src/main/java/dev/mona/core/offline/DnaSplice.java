package dev.mona.core.offline;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.rda.RDataFrame;
import dev.mona.core.io.rda.RObject;
import dev.mona.core.io.rda.RdaFormatException;
import dev.mona.core.io.rda.RdaReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * DNA splice junctions (UCI / Statlog "DNA", from Debian's {@code r-cran-mlbench}, {@code DNA.rda}): 3,186
 * sequences of 60 nucleotides, 3 classes ({@code ei} exon-intron boundary, {@code ie} intron-exon, {@code n}
 * neither). The file encodes each nucleotide as 3 binary indicators (A = 100, C = 010, G = 001, T = 000);
 * this task expands them to a one-hot {@code (4, 60)} input with channels A, C, G, T (the DeepSEA layout).
 * Splits (deterministic per seed): 1,186 test sequences (the Statlog test size), 10% of the rest for
 * validation, the remainder for training.
 */
public final class DnaSplice {
    /** Nucleotides per sequence. */
    public static final int LENGTH = 60;
    /** Input channels: A, C, G, T. */
    public static final int CHANNELS = 4;
    /** Class names in label order. */
    public static final List<String> CLASSES = List.of("ei", "ie", "n");
    /** Test sequences (as in Statlog's split). */
    public static final int TEST_SIZE = 1186;

    private final Path file;

    public DnaSplice(OfflineData data) {
        this.file = data.mlbenchDataDir().resolve("DNA.rda");
    }

    /** All 3,186 sequences, one-hot {@code (N, 4, 60)}, labels {@code (N)}. */
    public DataSplit all() {
        Map<String, RObject> vars = RdaReader.read(file);
        RObject dna = vars.get("DNA");
        if (dna == null) {
            throw new RdaFormatException(file + " holds " + vars.keySet() + ", expected a variable 'DNA'");
        }
        RDataFrame df = RDataFrame.of("DNA", dna);
        if (df.names().size() != 3 * LENGTH + 1) {
            throw new RdaFormatException("DNA has " + df.names().size() + " columns, expected 181");
        }
        int n = df.rows();
        float[] x = new float[n * CHANNELS * LENGTH];
        for (int pos = 0; pos < LENGTH; pos++) {
            double[][] bits = new double[3][];
            for (int b = 0; b < 3; b++) {
                bits[b] = binary(df, 3 * pos + b);
            }
            for (int r = 0; r < n; r++) {
                double t = 1 - bits[0][r] - bits[1][r] - bits[2][r];
                int base = r * CHANNELS * LENGTH + pos;
                x[base] = (float) bits[0][r];
                x[base + LENGTH] = (float) bits[1][r];
                x[base + 2 * LENGTH] = (float) bits[2][r];
                x[base + 3 * LENGTH] = (float) t;
            }
        }
        int classCol = df.names().indexOf("Class");
        if (classCol < 0 || !df.levels(classCol).equals(CLASSES)) {
            throw new RdaFormatException("DNA's Class column is missing or has levels other than " + CLASSES);
        }
        double[] codes = df.numeric(classCol);
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            y[r] = (float) codes[r];
        }
        return new DataSplit(new HostTensor(x, new long[]{n, CHANNELS, LENGTH}), new HostTensor(y, new long[]{n}));
    }

    /** Train / validation / test splits for {@code seed}. */
    public TaskData taskData(long seed) {
        DataSplit all = all();
        int[][] testSplit = Splits.holdOut(all.size(), TEST_SIZE, seed);
        DataSplit rest = Splits.take(all, testSplit[0]);
        int[][] valSplit = Splits.holdOut(rest.size(), rest.size() / 10, seed + 1);
        return new TaskData(Splits.take(rest, valSplit[0]), Splits.take(rest, valSplit[1]),
                Splits.take(all, testSplit[1]));
    }

    private static double[] binary(RDataFrame df, int col) {
        double[] v = df.numeric(col);
        if (df.isFactor(col)) {
            // factor codes index the levels: map each to the level's numeric value ("0" / "1")
            List<String> levels = df.levels(col);
            double[] map = new double[levels.size()];
            for (int i = 0; i < map.length; i++) {
                map[i] = Double.parseDouble(levels.get(i));
            }
            for (int r = 0; r < v.length; r++) {
                v[r] = map[(int) v[r]];
            }
        }
        for (int r = 0; r < v.length; r++) {
            if (v[r] != 0 && v[r] != 1) {
                throw new RdaFormatException("DNA column " + df.names().get(col) + " row " + (r + 1) + " is "
                        + v[r] + ", expected 0 or 1");
            }
        }
        return v;
    }
}
