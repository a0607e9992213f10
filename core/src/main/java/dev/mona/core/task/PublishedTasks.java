package dev.mona.core.task;

import dev.mona.core.fetch.DataFile;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.LossOptions;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The NAS-Bench-360 and PDEBench task specifications: shapes after ORCA's preprocessing ({@code task_configs.py},
 * {@code data_loaders.py}), losses and metrics of MoNA's tables, and ORCA's per-task fine-tuning configurations
 * ({@code src/configs/*.yaml}: epochs, batch size, accumulation, optimiser, learning rate, weight decay, the yaml's
 * momentum value, warm-up and decay epochs of the WarmupLR schedule, gradient clip (-1 is stored as 0), Adam betas
 * (0.9, 0.98)), its training loss ({@code rmse_loss} for Burgers and 1-D CFD) and its {@link TaskProtocol}
 * ({@code target_seq_len}, {@code embedder_epochs}, {@code maxsamples}). File addresses
 * are the published ones (NAS-Bench-360's S3 bucket, Toronto for CIFAR-100, DaRUS for PDEBench); SHA-256 is unknown
 * for these files and is recorded at first download, PDEBench's published MD5s are verified, and the size is known
 * for CIFAR-100's archive only (the others are -1, unknown, rather than guessed: a wrong size fails the download).
 */
public final class PublishedTasks {
    private static final String S3 = "https://pde-xd.s3.amazonaws.com/";
    private static final String DARUS = "https://darus.uni-stuttgart.de/api/access/datafile/";

    /** PDEBench's published MD5 per file name (pdebench_data_urls.csv). */
    private static final Map<String, String> MD5 = Map.of(
            "1D_Advection_Sols_beta0.4.hdf5", "d595bbfd2c659df995a93cd40d6ea568",
            "1D_Burgers_Sols_Nu1.0.hdf5", "9021eba35332d127306f11ef84c1a60f",
            "ReacDiff_Nu0.5_Rho1.0.hdf5", "69a429239778d529cd419ed5888ea835",
            "1D_diff-sorp_NA_NA.h5", "9d466d1213065619d087319e16d9a938",
            "1D_CFD_Rand_Eta0.1_Zeta0.1_periodic_Train.hdf5", "45655bd77d006ab539c52b7fbcf099b9",
            "2D_DarcyFlow_beta0.1_Train.hdf5", "294f9a03a4aa16b0e386469ca8b471be",
            "2D_rdb_NA_NA.h5", "75d838c47aa410694bdc912ea7f22282",
            "2D_diff-react_NA_NA.h5", "b8d0b86064193195ddc30c33be5dc949");

    /**
     * Training samples of the published data before {@code mona} carves its validation split, where the publisher
     * states them: CIFAR-100's 50,000 training images; NAS-Bench-360 Darcy's first 1,000 solutions (ORCA's loader);
     * PDEBench's files hold 10,000 samples (1,000 for shallow water and 2-D diffusion-reaction), of which the first
     * 10% are the test split. Other tasks' counts are not published in a form checked here and stay unknown.
     */
    private static final Map<String, Integer> TRAIN_SAMPLES = Map.ofEntries(
            Map.entry("nb360-cifar100", 50_000),
            Map.entry("nb360-darcy", 1_000),
            Map.entry("pdebench-advection", 9_000),
            Map.entry("pdebench-burgers", 9_000),
            Map.entry("pdebench-diffusion-reaction", 9_000),
            Map.entry("pdebench-diffusion-sorption", 9_000),
            Map.entry("pdebench-navier-stokes-1d", 9_000),
            Map.entry("pdebench-darcy", 9_000),
            Map.entry("pdebench-shallow-water", 900),
            Map.entry("pdebench-diffusion-reaction-2d", 900));

    private PublishedTasks() {
    }

    /** The published training samples of a catalogue task (see {@link #TRAIN_SAMPLES}), empty when unknown. */
    public static java.util.OptionalInt trainSamples(String task) {
        Integer n = TRAIN_SAMPLES.get(task);
        return n == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(n);
    }

    /** The publisher's MD5 of a file, or null. */
    public static String md5(String fileName) {
        return MD5.get(fileName);
    }

    /**
     * Checks a fetched file against the publisher's MD5 when one is known, once per cached blob (a
     * {@code <blob>.md5-verified} marker remembers it).
     *
     * @return false when the file does not match (the caller drops it from the cache and throws)
     */
    static boolean md5Matches(String fileName, Path file) throws IOException {
        String expected = md5(fileName);
        if (expected == null) {
            return true;
        }
        Path marker = file.resolveSibling(file.getFileName() + ".md5-verified");
        if (Files.exists(marker) && Files.readString(marker).strip().equals(expected)) {
            return true;
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(expected)) {
            LAST_MD5.set(actual);
            return false;
        }
        Files.writeString(marker, expected);
        return true;
    }

    /** The MD5 computed by the last failed {@link #md5Matches} on this thread, for the error message. */
    static final ThreadLocal<String> LAST_MD5 = new ThreadLocal<>();

    /** ORCA's Adam betas, the same in every task configuration. */
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.98;

    private static TrainConfig cfg(int epochs, int batch, int accum, OptimizerKind opt, double lr, double wd,
                                   double momentum, int warmup, double clip, int decay) {
        return new TrainConfig(epochs, batch, accum, opt, lr, wd, momentum, warmup, clip, decay, BETA1, BETA2);
    }

    private static DataFile file(String name, String... urls) {
        return sized(name, -1, urls);
    }

    private static DataFile sized(String name, long sizeBytes, String... urls) {
        return new DataFile(name, List.of(urls), sizeBytes, null);
    }

    private static TaskSpec nb360(String task, String modality, long[] in, long[] out, int classes, TaskKind kind,
                                  LossKind loss, MetricKind metric, TrainConfig train, String encoder,
                                  List<DataFile> files, String description) {
        return new TaskSpec("nb360-" + task, "nb360", modality, in, out, classes, kind, loss, metric, train, encoder,
                files, false, description);
    }

    private static TaskSpec pde(String task, String modality, long[] in, long[] out, TrainConfig train, String encoder,
                                DataFile file, String description) {
        return new TaskSpec("pdebench-" + task, "pdebench", modality, in, out, 0, TaskKind.DENSE, LossKind.NRMSE,
                MetricKind.NRMSE, train, encoder, List.of(file), false, description);
    }

    /** A PDEBench task that ORCA trains with {@code rmse_loss} instead of {@code nrmse_loss} (Burgers, 1-D CFD). */
    private static TaskSpec rmse(TaskSpec t) {
        return new TaskSpec(t.name(), t.family(), t.modality(), t.inputShape(), t.outputShape(), t.classes(),
                t.kind(), LossKind.RMSE, t.metric(), t.train(), t.encoder(), t.files(), t.offline(), t.description(),
                t.lossOptions(), t.protocol());
    }

    private static TaskProtocol orca() {
        return TaskProtocol.ORCA_DEFAULTS;
    }

    private static long[] s(long... d) {
        return d;
    }

    static List<TaskCatalog.Entry> entries() {
        OptimizerKind sgd = OptimizerKind.SGD;
        OptimizerKind adam = OptimizerKind.ADAM;
        OptimizerKind adamw = OptimizerKind.ADAMW;
        return List.of(
                new TaskCatalog.Entry(nb360("cifar100", "image", s(3, 32, 32), s(100), 100, TaskKind.CLASSIFICATION,
                        LossKind.CROSS_ENTROPY, MetricKind.ERROR_RATE, cfg(60, 32, 32, sgd, 1e-4, 1e-3, 0.9, 5, 0, 200),
                        "swin", List.of(sized("cifar-100-python.tar.gz", 169_001_437L,
                                "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz")),
                        "CIFAR-100 images, 100 classes (0-1 error %)"), Nb360Loaders::cifar100),
                new TaskCatalog.Entry(nb360("spherical", "spherical", s(3, 60, 60), s(100), 100,
                        TaskKind.CLASSIFICATION, LossKind.CROSS_ENTROPY, MetricKind.ERROR_RATE,
                        cfg(60, 32, 4, adamw, 1e-4, 0.1, 0.999, 5, 0, 60), "swin",
                        List.of(file("s2_cifar100.gz", S3 + "spherical/s2_cifar100.gz")),
                        "Spherical CIFAR-100: CIFAR-100 projected on the sphere, 100 classes (error %)"),
                        Nb360Loaders::spherical),
                new TaskCatalog.Entry(nb360("darcy", "pde-2d", s(3, 85, 85), s(1, 85, 85), 0, TaskKind.DENSE,
                        LossKind.RELATIVE_L2, MetricKind.RELATIVE_L2, cfg(100, 4, 1, adamw, 1e-3, 5e-3, 0.9, 5, 0, 100),
                        "swin", List.of(file("piececonst_r421_N1024_smooth1.mat",
                                        S3 + "piececonst_r421_N1024_smooth1.mat"),
                                file("piececonst_r421_N1024_smooth2.mat", S3 + "piececonst_r421_N1024_smooth2.mat")),
                        "Darcy flow: coefficient (a, x, y) to solution u at 85 x 85 (relative L2)"),
                        Nb360Loaders::darcy),
                new TaskCatalog.Entry(nb360("psicov", "protein", s(57, 512, 512), s(1, 512, 512), 0, TaskKind.DENSE,
                        LossKind.MSE, MetricKind.MAE8, cfg(10, 1, 32, adam, 5e-6, 1e-5, 0.99, 5, 0, 100), "swin",
                        List.of(file("protein.zip", S3 + "protein.zip")),
                        "PSICOV + DeepCov: C-beta distance maps from 57 pair features, 512 x 512 windows (MAE_8)")
                        .withProtocol(orca().withMaxSamples(64)),
                        PsicovLoader::load),
                new TaskCatalog.Entry(nb360("cosmic", "astronomy", s(1, 128, 128), s(1, 128, 128), 0, TaskKind.DENSE,
                        LossKind.BCE_POS_WEIGHT, MetricKind.ONE_MINUS_AUROC,
                        cfg(60, 4, 1, adamw, 1e-3, 0, 0.99, 5, 0, 60), "swin",
                        List.of(file("deepCR.ACS-WFC.train.tar", S3 + "cosmic/deepCR.ACS-WFC.train.tar"),
                                file("deepCR.ACS-WFC.test.tar", S3 + "cosmic/deepCR.ACS-WFC.test.tar")),
                        "Cosmic: cosmic-ray masks of Hubble ACS/WFC f435w galaxy fields, 128 x 128 crops (1 - AUROC)"),
                        CosmicLoader::load),
                new TaskCatalog.Entry(nb360("ninapro", "emg", s(1, 16, 52), s(18), 18, TaskKind.CLASSIFICATION,
                        LossKind.FOCAL, MetricKind.ERROR_RATE, cfg(60, 32, 1, adam, 1e-4, 1e-5, 0.999, 5, 1, 60),
                        "swin",
                        List.of(file("ninapro_train.npy", S3 + "ninapro/ninapro_train.npy"),
                                file("label_train.npy", S3 + "ninapro/label_train.npy"),
                                file("ninapro_val.npy", S3 + "ninapro/ninapro_val.npy"),
                                file("label_val.npy", S3 + "ninapro/label_val.npy"),
                                file("ninapro_test.npy", S3 + "ninapro/ninapro_test.npy"),
                                file("label_test.npy", S3 + "ninapro/label_test.npy")),
                        "NinaPro DB5: sEMG hand gestures, 16 x 52 windows, 18 classes (error %)")
                        .withProtocol(orca().withEmbedderEpochs(100)),
                        Nb360Loaders::ninapro),
                new TaskCatalog.Entry(nb360("fsd50k", "audio", s(1, 96, 102), s(200), 200, TaskKind.MULTILABEL,
                        LossKind.BCE_POS_WEIGHT, MetricKind.ONE_MINUS_MAP,
                        cfg(100, 32, 1, adam, 1e-4, 5e-5, 0.9, 5, 0, 100),
                        "swin", List.of(file("audio.zip", S3 + "audio/audio.zip")),
                        "FSD50K: 96-band log-mel spectrograms of 1 s chunks, 200 labels (1 - mAP)")
                        .withLossOptions(LossOptions.defaults().withPosWeight(10)), // ORCA's pos_weight
                        Fsd50kLoader::load),
                new TaskCatalog.Entry(nb360("ecg", "ecg", s(1, 1000), s(4), 4, TaskKind.CLASSIFICATION,
                        LossKind.CROSS_ENTROPY, MetricKind.ONE_MINUS_MACRO_F1,
                        cfg(15, 4, 16, sgd, 1e-6, 0.1, 0.99, 5, 0, 200), "roberta",
                        List.of(file("challenge2017.pkl", S3 + "ECG/challenge2017.pkl")),
                        "PhysioNet 2017 ECG: 1000-sample windows, 4 rhythm classes (1 - macro F1)")
                        .withProtocol(orca().withTargetSeqLen(64)),
                        Nb360Loaders::ecg),
                new TaskCatalog.Entry(nb360("satellite", "satellite", s(1, 46), s(24), 24, TaskKind.CLASSIFICATION,
                        LossKind.CROSS_ENTROPY, MetricKind.ERROR_RATE, cfg(60, 16, 4, adamw, 3e-5, 3e-6, 0.9, 5, 0, 60),
                        "roberta", List.of(file("satellite_train.npy", S3 + "satellite/satellite_train.npy"),
                                file("satellite_test.npy", S3 + "satellite/satellite_test.npy")),
                        "Satellite image time series: 46-step pixel series, 24 land-cover classes (error %)"),
                        Nb360Loaders::satellite),
                new TaskCatalog.Entry(nb360("deepsea", "genomics", s(4, 1000), s(36), 36, TaskKind.MULTILABEL,
                        LossKind.BCE_POS_WEIGHT, MetricKind.ONE_MINUS_AUROC,
                        cfg(13, 16, 1, adam, 1e-5, 0, 0.99, 10, 1, 25),
                        "roberta", List.of(file("deepsea_filtered.npz", S3 + "deepsea/deepsea_filtered.npz")),
                        "DeepSEA: one-hot DNA (4 x 1000), 36 chromatin profiles (1 - AUROC)")
                        .withProtocol(orca().withMaxSamples(64))
                        .withLossOptions(LossOptions.defaults().withPosWeight(4)), // ORCA's pos_weight
                        Nb360Loaders::deepsea),

                new TaskCatalog.Entry(pde("advection", "pde-1d", s(1, 256), s(1, 256),
                        cfg(200, 4, 1, adam, 1e-4, 1e-5, 0.99, 5, 1, 200), "roberta",
                        file("1D_Advection_Sols_beta0.4.hdf5", DARUS + "255674"),
                        "1-D advection, beta 0.4: u(t=0) to u(t=2) at 256 points (nRMSE)"),
                        PdeBenchLoaders.singleFile1d("tensor", 4, 5, 200, false)),
                new TaskCatalog.Entry(rmse(pde("burgers", "pde-1d", s(1, 1024), s(1, 1024),
                        cfg(200, 4, 1, adam, 1e-5, 1e-5, 0.99, 5, 1, 200), "roberta",
                        file("1D_Burgers_Sols_Nu1.0.hdf5", DARUS + "281365"),
                        "1-D Burgers, nu 1.0: u(t=0) to u(t=2) at 1024 points (nRMSE)"))
                        .withProtocol(orca().withTargetSeqLen(128)),
                        PdeBenchLoaders.singleFile1d("tensor", 1, 5, 200, false)),
                new TaskCatalog.Entry(pde("diffusion-reaction", "pde-1d", s(1, 1024), s(1, 1024),
                        cfg(200, 4, 1, sgd, 1e-3, 1e-5, 0.99, 5, 1, 200), "roberta",
                        file("ReacDiff_Nu0.5_Rho1.0.hdf5", DARUS + "133177"),
                        "1-D diffusion-reaction, nu 0.5, rho 1: u(t=0) to u at step 30 (nRMSE)")
                        .withProtocol(orca().withTargetSeqLen(256)),
                        PdeBenchLoaders.singleFile1d("tensor", 1, 1, 30, false)),
                new TaskCatalog.Entry(pde("diffusion-sorption", "pde-1d", s(1, 1024), s(1, 1024),
                        cfg(200, 4, 1, adamw, 1e-4, 0, 0.99, 5, 1, 200), "roberta",
                        file("1D_diff-sorp_NA_NA.h5", DARUS + "133020"),
                        "1-D diffusion-sorption: u(t=0) to u at step 101 (nRMSE)")
                        .withProtocol(orca().withTargetSeqLen(32)),
                        PdeBenchLoaders.multiFile(101, false)),
                new TaskCatalog.Entry(rmse(pde("navier-stokes-1d", "pde-1d", s(1, 3072), s(1, 3072),
                        cfg(200, 4, 1, adamw, 1e-4, 1e-3, 0.99, 5, 1, 200), "roberta",
                        file("1D_CFD_Rand_Eta0.1_Zeta0.1_periodic_Train.hdf5", DARUS + "164668"),
                        "1-D compressible Navier-Stokes: (density, pressure, Vx) at t=0 to t=1, 3 x 1024 (nRMSE)"))
                        .withProtocol(orca().withTargetSeqLen(128)),
                        PdeBenchLoaders.singleFile1d("cfd", 1, 5, 100, true)),
                new TaskCatalog.Entry(pde("darcy", "pde-2d", s(1, 64, 64), s(1, 64, 64),
                        cfg(100, 4, 1, adamw, 1e-4, 1e-5, 0.99, 5, 0, 200), "swin",
                        file("2D_DarcyFlow_beta0.1_Train.hdf5", DARUS + "133218"),
                        "2-D Darcy flow, beta 0.1: coefficient nu to solution at 64 x 64 (nRMSE)"),
                        PdeBenchLoaders.darcy2d(2)),
                new TaskCatalog.Entry(pde("shallow-water", "pde-2d", s(1, 128, 128), s(1, 128, 128),
                        cfg(200, 4, 1, adamw, 1e-4, 0, 0.99, 10, 1, 200), "swin",
                        file("2D_rdb_NA_NA.h5", DARUS + "133021"),
                        "2-D shallow water (radial dam break): h(t=0) to h at step 101, 128 x 128 (nRMSE)"),
                        PdeBenchLoaders.multiFile(101, true)),
                new TaskCatalog.Entry(pde("diffusion-reaction-2d", "pde-2d", s(1, 128, 128), s(1, 128, 128),
                        cfg(200, 4, 1, adam, 1e-4, 1e-3, 0.99, 5, 1, 200), "swin",
                        file("2D_diff-react_NA_NA.h5", DARUS + "133017"),
                        "2-D diffusion-reaction (FitzHugh-Nagumo): u(t=0) to v at step 101, 128 x 128 (nRMSE)"),
                        PdeBenchLoaders.multiFile(101, true)));
    }
}
