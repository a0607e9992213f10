package dev.mona.core.task;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NpyReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * ORCA's Cosmic loader ({@code load_cosmic}, {@code preprocess_cosmic.py}, {@code PairedDatasetImagePath}) on the
 * deepCR ACS/WFC archives {@code deepCR.ACS-WFC.train.tar} and {@code deepCR.ACS-WFC.test.tar}, which hold
 * {@code npy_train/} and {@code npy_test/}, laid out {@code <filter>/<proposal>/<visit>/<k>_<...>.npy} with an
 * optional {@code sky.npy} (sky level per exposure k) next to the images.
 * <ul>
 *   <li>kept: filter {@code f435w}, fields of type GAL (ORCA's field table; other fields are skipped);</li>
 *   <li>each image file is {@code (2 or 3, H, W)}: image, cosmic-ray mask, ignore mask (zeros when absent); all
 *       three are cropped to rows and columns 64..191 (ORCA's fixed 128 x 128 crop);</li>
 *   <li>input: the image crop (1, 128, 128), in training plus the sky-background augmentation
 *       {@code sky[k - 1] * U(-0.9, 3)} drawn once per image (seeded); validation and test images are not
 *       augmented (ORCA drew a new augmentation at every read, also for test);</li>
 *   <li>target: the mask crop with ignored pixels set to 0 ({@code mask * (1 - ignore)}, ORCA's metric
 *       transform applied to the targets; ORCA also zeroes the predictions there, which is the scorer's job);</li>
 *   <li>validation: as many seeded training images as the validation fraction asks, at most as many as the test
 *       set has (ORCA: a random {@code len(test)} of the training images). A limit keeps the first N images of
 *       each split (images sorted by path).</li>
 * </ul>
 */
final class CosmicLoader {
    private static final Logger LOG = LoggerFactory.getLogger(CosmicLoader.class);
    static final int CROP = 128;
    static final int OFFSET = 64;
    static final double SKY_MIN = -0.9;
    static final double SKY_MAX = 3.0;
    static final String FILTER = "f435w";
    /** The GAL fields of ORCA's field-type table ({@code <proposal>_<visit>}). */
    static final Set<String> GALAXY_FIELDS = Set.of("10760_2", "10760_4", "13737_2", "13737_3", "9490_a3",
            "12513_2", "12513_3", "10182_pb", "10182_pd", "10584_13", "10342_3", "14343_1", "13057_1", "10260_7",
            "10260_5", "10407_3", "13364_95", "10190_28", "10190_13", "9490_a2", "13691_11", "12058_12", "12058_16",
            "12058_1", "12058_6", "14704_1", "13804_6");

    private CosmicLoader() {
    }

    static LoadedTask load(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        List<Path> train = images(setRoot(files.extracted("deepCR.ACS-WFC.train.tar"), "npy_train"));
        List<Path> test = images(setRoot(files.extracted("deepCR.ACS-WFC.test.tar"), "npy_test"));
        if (train.size() < 2) {
            throw new CorruptDataException("deepCR.ACS-WFC.train.tar", "npy_train/" + FILTER,
                    "at least 2 images of GAL fields", train.size() + "");
        }
        int k = Math.max(1, (int) Math.round(o.validationFraction() * train.size()));
        k = Math.min(k, Math.max(1, test.size()));
        k = Math.min(k, train.size() - 1);
        int[] perm = ValidationSplit.permutation(train.size(), o.seed());
        int[] valIdx = Arrays.copyOf(perm, k);
        int[] trainIdx = Arrays.copyOfRange(perm, k, perm.length);
        Arrays.sort(valIdx);
        Arrays.sort(trainIdx);
        SplittableRandom sky = new SplittableRandom(o.seed() * 31 + 11);
        DataSplit tr = split(pick(train, trainIdx, o.limit()), sky);
        DataSplit va = split(pick(train, valIdx, o.limit()), null);
        DataSplit te = split(o.limit() > 0 ? test.subList(0, Math.min(o.limit(), test.size())) : test, null);
        // ORCA scores 1 - AUROC on the logits thresholded at 0 (utils.inv_auroc): so do we, for comparable numbers
        return LoadedTask.of(new TaskData(tr, va, te)).withScoreThreshold(0);
    }

    private static List<Path> pick(List<Path> all, int[] idx, int limit) {
        int n = limit > 0 ? Math.min(limit, idx.length) : idx.length;
        List<Path> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all.get(idx[i]));
        }
        return out;
    }

    /** {@code npy_train} / {@code npy_test} at the top of the extracted archive or one folder below. */
    static Path setRoot(Path extracted, String name) throws IOException {
        if (Files.isDirectory(extracted.resolve(name))) {
            return extracted.resolve(name);
        }
        try (Stream<Path> s = Files.list(extracted)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isDirectory(p.resolve(name))) {
                    return p.resolve(name);
                }
            }
        }
        throw new CorruptDataException(extracted.toString(), "archive contents", "a folder " + name, "none");
    }

    /** The image files of GAL fields in {@code f435w}, sorted by path (ORCA listed them in directory order). */
    static List<Path> images(Path setRoot) throws IOException {
        Path filter = setRoot.resolve(FILTER);
        if (!Files.isDirectory(filter)) {
            throw new CorruptDataException(setRoot.toString(), "archive contents", "a folder " + FILTER, "none");
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> proposals = Files.list(filter)) {
            for (Path prop : proposals.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> visits = Files.list(prop)) {
                    for (Path visit : visits.filter(Files::isDirectory).sorted().toList()) {
                        String key = prop.getFileName() + "_" + visit.getFileName();
                        if (!GALAXY_FIELDS.contains(key)) {
                            LOG.debug("cosmic: skipping field {} (not a GAL field)", key);
                            continue;
                        }
                        try (Stream<Path> fs = Files.list(visit)) {
                            fs.filter(p -> {
                                String n = p.getFileName().toString();
                                return n.contains(".npy") && !n.equals("sky.npy") && Files.isRegularFile(p);
                            }).sorted().forEach(out::add);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static DataSplit split(List<Path> paths, SplittableRandom sky) throws IOException {
        int n = paths.size();
        int cc = CROP * CROP;
        float[] x = new float[n * cc];
        float[] y = new float[n * cc];
        for (int s = 0; s < n; s++) {
            sample(paths.get(s), sky, x, y, s * cc);
        }
        return new DataSplit(new HostTensor(x, new long[]{n, 1, CROP, CROP}),
                new HostTensor(y, new long[]{n, 1, CROP, CROP}));
    }

    static void sample(Path f, SplittableRandom skyRandom, float[] x, float[] y, int off) throws IOException {
        NdArray a = NpyReader.read(f);
        long[] sh = a.shape();
        if (sh.length != 3 || (sh[0] != 2 && sh[0] != 3) || sh[1] < OFFSET + CROP || sh[2] < OFFSET + CROP) {
            throw new CorruptDataException(f.toString(), "array shape", "(2 or 3, H, W) with H, W >= "
                    + (OFFSET + CROP) + " (image, mask, ignore)", Arrays.toString(sh));
        }
        int h = (int) sh[1];
        int w = (int) sh[2];
        double skyAug = skyRandom == null ? 0 : skyAugmentation(f, skyRandom);
        for (int r = 0; r < CROP; r++) {
            for (int c = 0; c < CROP; c++) {
                int p = (r + OFFSET) * w + c + OFFSET;
                double ignore = sh[0] == 3 ? a.getDouble(2 * h * w + p) : 0;
                x[off + r * CROP + c] = (float) (a.getDouble(p) + skyAug);
                y[off + r * CROP + c] = (float) (a.getDouble(h * w + p) * (1 - ignore));
            }
        }
    }

    /** ORCA's {@code get_skyaug}: {@code sky[k - 1] * U(-0.9, 3)} with k the number before the file's first '_'. */
    private static double skyAugmentation(Path f, SplittableRandom r) throws IOException {
        Path skyFile = f.resolveSibling("sky.npy");
        if (!Files.isRegularFile(skyFile)) {
            return 0;
        }
        String name = f.getFileName().toString();
        int k;
        try {
            k = Integer.parseInt(name.split("_")[0]);
        } catch (NumberFormatException e) {
            throw new CorruptDataException(f.toString(), "file name", "<exposure>_<...>.npy next to sky.npy", name);
        }
        NdArray sky = NpyReader.read(skyFile);
        if (k < 1 || k > sky.size()) {
            throw new CorruptDataException(skyFile.toString(), "index " + (k - 1), "a sky level for exposure " + k
                    + " of " + name, sky.size() + " levels");
        }
        return sky.getDouble(k - 1) * (SKY_MIN + (SKY_MAX - SKY_MIN) * r.nextDouble());
    }
}
