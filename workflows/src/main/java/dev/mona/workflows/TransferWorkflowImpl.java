package dev.mona.workflows;

import dev.mona.workflows.stage.AlignRequest;
import dev.mona.workflows.stage.AlignResult;
import dev.mona.workflows.stage.DataActivities;
import dev.mona.workflows.stage.DatasetRef;
import dev.mona.workflows.stage.ExportRequest;
import dev.mona.workflows.stage.ExportResult;
import dev.mona.workflows.stage.FetchRequest;
import dev.mona.workflows.stage.FineTuneRequest;
import dev.mona.workflows.stage.FineTuneResult;
import dev.mona.workflows.stage.ManifestRequest;
import dev.mona.workflows.stage.ManifestResult;
import dev.mona.workflows.stage.ProbeRequest;
import dev.mona.workflows.stage.ProbeResult;
import dev.mona.workflows.stage.SourceRef;
import dev.mona.workflows.stage.SourceRequest;
import dev.mona.workflows.stage.TrainingActivities;
import io.temporal.workflow.Workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stages of a transfer run in order; only records and artifact keys pass through here. */
public class TransferWorkflowImpl implements TransferWorkflow {
    private String runId = "";
    private String stage = "pending";
    private final List<String> done = new ArrayList<>();
    private int stageCount = 7;
    /** Started with mona's search attributes: {@link RunIndex#STAGE} follows the stages. */
    private boolean indexed;

    @Override
    public TransferResult run(TransferRequest r) {
        runId = Workflow.getInfo().getWorkflowId();
        indexed = RunIndex.indexed();
        long started = Workflow.currentTimeMillis();
        RetryTuning tuning = RetryTuning.orDefault(r.tuning());
        DataActivities cpu = Workflow.newActivityStub(DataActivities.class, StageOptions.cpu(tuning));
        TrainingActivities gpu = Workflow.newActivityStub(TrainingActivities.class, StageOptions.gpu(tuning));
        stageCount = r.method().aligns() ? 7 : 6;

        enter("fetch");
        DatasetRef data = cpu.fetchData(new FetchRequest(runId, r.task(), r.seed(), r.overrides(), r.noCache()));
        enter("source");
        SourceRef source = cpu.prepareSource(new SourceRequest(runId, r.source(), data, r.seed(), r.overrides(),
                r.noCache()));
        AlignResult aligned = null;
        if (r.method().aligns()) {
            enter("align");
            aligned = gpu.alignEmbedder(new AlignRequest(runId, r.method(), data, source, r.seed(), r.overrides(),
                    r.noCache()));
        }
        enter("finetune");
        FineTuneResult tuned = gpu.fineTune(new FineTuneRequest(runId, r.method(), data, source, aligned, r.seed(),
                r.overrides(), r.noCache()));
        enter("probe");
        ProbeResult probe = gpu.linearProbe(new ProbeRequest(runId, source, tuned, r.seed(), r.overrides(),
                r.noCache(), r.task(), data, aligned, r.method()));
        enter("export");
        ExportResult export = cpu.exportModel(new ExportRequest(runId, data, tuned, r.noCache(), source,
                r.method(), r.seed(), r.overrides()));
        enter("manifest");
        ManifestResult manifest = cpu.writeManifest(new ManifestRequest(runId, r, data, source, aligned, tuned, probe,
                export, started, Workflow.currentTimeMillis()));
        enter("done");

        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("dataset", data.key());
        artifacts.put("sourceWeights", source.weightsKey());
        if (aligned != null && aligned.embedderKey() != null) {
            artifacts.put("embedder", aligned.embedderKey());
        }
        artifacts.put("checkpoint", tuned.checkpointKey());
        artifacts.put("summary", tuned.summaryKey());
        artifacts.put("probe", probe.key());
        if (probe.analysisKeys() != null) {
            artifacts.putAll(probe.analysisKeys());
        }
        if (export.onnxKey() != null) {
            artifacts.put("onnx", export.onnxKey());
        }
        artifacts.put("manifest", manifest.manifestKey());
        List<String> cached = new ArrayList<>();
        if (data.cached()) cached.add("fetch");
        if (source.cached()) cached.add("source");
        if (aligned != null && aligned.cached()) cached.add("align");
        if (tuned.cached()) cached.add("finetune");
        if (probe.cached()) cached.add("probe");
        if (export.cached()) cached.add("export");
        Map<String, String> impl = new LinkedHashMap<>();
        if (aligned != null) impl.put("align", aligned.aligner());
        impl.put("finetune", tuned.trainer());
        impl.put("probe", probe.prober());
        impl.put("export", export.exporter());
        return new TransferResult(runId, r.task(), r.method(), r.seed(), tuned.metricName(), tuned.validationMetric(),
                tuned.testMetric(), probe.errorBefore(), probe.errorAfter(), tuned.epochs(), artifacts, cached,
                tuned.resumedFrom(), impl);
    }

    private void enter(String next) {
        if (!"pending".equals(stage)) {
            done.add(stage);
        }
        stage = next;
        if (indexed) {
            Workflow.upsertTypedSearchAttributes(RunIndex.STAGE.valueSet(next));
        }
    }

    @Override
    public TransferProgress progress() {
        return new TransferProgress(runId, stage, List.copyOf(done), stageCount);
    }
}
