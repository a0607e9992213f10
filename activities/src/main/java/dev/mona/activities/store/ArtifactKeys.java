package dev.mona.activities.store;

/**
 * The key layout of the artifact store (one bucket):
 * <pre>
 * datasets/&lt;task&gt;/&lt;digest&gt;/data.tns          stored splits of a task, shared by every run that uses them
 * sources/&lt;encoder&gt;/&lt;digest&gt;/weights.safetensors  prepared source encoder weights
 * sources/&lt;encoder&gt;/&lt;digest&gt;/source-set.tns   labelled source set (MoNA's outer loss, the linear probe)
 * runs/&lt;run-id&gt;/embedder/state.safetensors     stage-1 (aligned) model state
 * runs/&lt;run-id&gt;/align-checkpoints/step-NNN/    stage-1 checkpoint after optimiser step NNN (latest.json last)
 * runs/&lt;run-id&gt;/checkpoints/epoch-NNN/          core Trainer checkpoint after epoch NNN
 * runs/&lt;run-id&gt;/checkpoints/latest.json         newest checkpoint, epochs resumed from, attempt per epoch
 * runs/&lt;run-id&gt;/model/final.safetensors         fine-tuned model
 * runs/&lt;run-id&gt;/metrics/summary.csv             a row per fine-tuning epoch with its attempt (SummaryCsv)
 * runs/&lt;run-id&gt;/metrics/finetune.json           fine-tuning result and the hardware that computed it
 * runs/&lt;run-id&gt;/probe/probe.json                the analysis stage's result (probe errors over epochs, discrepancy)
 * runs/&lt;run-id&gt;/analysis/weights/epoch-NNN.safetensors  model weights after NNN epochs (probe.at-epochs)
 * runs/&lt;run-id&gt;/analysis/tsne.json              t-SNE maps of the held-out source features (pretrained, fine-tuned)
 * runs/&lt;run-id&gt;/analysis/tsne.png               the maps as panels
 * runs/&lt;run-id&gt;/analysis/discrepancy.json       modality discrepancy estimates before / after stage 1
 * runs/&lt;run-id&gt;/export/model.onnx               ONNX export
 * runs/&lt;run-id&gt;/manifest.json                   provenance manifest
 * sweeps/&lt;sweep-id&gt;/results.{csv,json,md}        sweep table
 * sweeps/&lt;sweep-id&gt;/plots/*.png                  sweep figures
 * sweeps/&lt;sweep-id&gt;/report.html                    sweep report page (table, figures inlined, run links)
 * cache/&lt;stage&gt;/&lt;cache-key&gt;.json               stage cache entries (the stage's result record)
 * </pre>
 * {@code <run-id>} is the transfer workflow id, {@code <sweep-id>} the sweep workflow id.
 */
public final class ArtifactKeys {
    private ArtifactKeys() {}

    /** Prefix of every run's objects. */
    public static final String RUNS = "runs/";
    /** Prefix of every sweep's objects. */
    public static final String SWEEPS = "sweeps/";

    public static String dataset(String task, String digest) {
        return "datasets/" + task + "/" + digest + "/data.tns";
    }

    /** A core source encoder's weights (safetensors with Hugging Face / timm names). */
    public static String sourceWeightsSafetensors(String encoder, String digest) {
        return "sources/" + encoder + "/" + digest + "/weights.safetensors";
    }

    public static String sourceSet(String encoder, String digest) {
        return "sources/" + encoder + "/" + digest + "/source-set.tns";
    }

    public static String run(String runId) {
        return RUNS + runId + "/";
    }

    /** The stage-1 state: every parameter of the model after alignment. */
    public static String embedder(String runId) {
        return run(runId) + "embedder/state.safetensors";
    }

    /** Prefix of a run's stage-1 checkpoints (Emb, ORCA, MoNA) and of their pointer {@code latest.json}. */
    public static String alignCheckpoints(String runId) {
        return run(runId) + "align-checkpoints/";
    }

    public static String checkpoints(String runId) {
        return run(runId) + "checkpoints/";
    }

    /** The folder of core's Trainer checkpoint after {@code epoch} (1-based) epochs. */
    public static String checkpoint(String runId, int epoch) {
        return checkpoints(runId) + String.format("epoch-%03d/", epoch);
    }

    public static String summary(String runId) {
        return run(runId) + "metrics/summary.csv";
    }

    public static String fineTuneRecord(String runId) {
        return run(runId) + "metrics/finetune.json";
    }

    public static String probe(String runId) {
        return run(runId) + "probe/probe.json";
    }

    /** Prefix of a run's analysis files; the checkpoint retention rule never touches it. */
    public static String analysis(String runId) {
        return run(runId) + "analysis/";
    }

    /** The model weights after {@code epoch} fine-tuning epochs, kept for the probe over epochs. */
    public static String probeWeights(String runId, int epoch) {
        return analysis(runId) + String.format("weights/epoch-%03d.safetensors", epoch);
    }

    public static String onnx(String runId) {
        return run(runId) + "export/model.onnx";
    }

    public static String manifest(String runId) {
        return run(runId) + "manifest.json";
    }

    public static String sweep(String sweepId) {
        return SWEEPS + sweepId + "/";
    }

    /** The sweep table as JSON (its rows). */
    public static String sweepResults(String sweepId) {
        return sweep(sweepId) + "results.json";
    }

    /** Prefix of a sweep's PNG plots. */
    public static String sweepPlots(String sweepId) {
        return sweep(sweepId) + "plots/";
    }

    /** Prefix of a prediction job's outputs and manifest. */
    public static String predictions(String jobId) {
        return "predictions/" + jobId + "/";
    }

    /** The sweep's self-contained HTML report page. */
    public static String sweepReport(String sweepId) {
        return sweep(sweepId) + "report.html";
    }

    public static String cache(String stage, String cacheKey) {
        return "cache/" + stage + "/" + cacheKey + ".json";
    }
}
