package dev.mona.workflows.stage;

import io.temporal.activity.ActivityInterface;

/** CPU stages, served by the orchestrator on {@link dev.mona.workflows.Queues#CPU}. */
@ActivityInterface
public interface DataActivities {
    /** Fetches (or generates) the task's data, stores it once per digest and describes it. */
    DatasetRef fetchData(FetchRequest request);

    /** Prepares the source encoder weights and the labelled source set used by alignment and the probe. */
    SourceRef prepareSource(SourceRequest request);

    /** Exports the fine-tuned model to ONNX and checks it against ONNX Runtime. */
    ExportResult exportModel(ExportRequest request);

    /** Writes the run's provenance manifest and per-epoch summary. */
    ManifestResult writeManifest(ManifestRequest request);

    /** Writes a sweep's results table (csv, json, markdown) and its plots. */
    SweepTableResult writeSweepTable(SweepTableRequest request);
}
