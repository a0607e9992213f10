package dev.mona.workflows;

import dev.mona.workflows.stage.*;
import io.temporal.failure.ApplicationFailure;

import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Activity stand-ins for workflow unit tests: they record calls and return fixed records. */
final class StubStages implements DataActivities, TrainingActivities {
    final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final ConcurrentHashMap<String, Boolean> failTasks = new ConcurrentHashMap<>();
    volatile long fineTuneMillis = 0;
    /** Fine-tuning fails for good after {@link #fineTuneMillis}. */
    volatile boolean failFineTune;

    @Override
    public DatasetRef fetchData(FetchRequest r) {
        calls.add("fetch:" + r.task());
        if (failTasks.containsKey(r.task())) {
            throw ApplicationFailure.newNonRetryableFailure("unknown task '" + r.task() + "'",
                    InvalidRequestException.TYPE);
        }
        return new DatasetRef(r.task(), "datasets/" + r.task() + "/d1/data.bin", "d1", "audio", 10, "ERROR_RATE",
                List.of(1L, 64L), 100, false);
    }

    @Override
    public SourceRef prepareSource(SourceRequest r) {
        calls.add("source");
        return new SourceRef("src", "sources/src/w.bin", "sources/src/set.bin", "s1", false, "", Map.of());
    }

    @Override
    public ExportResult exportModel(ExportRequest r) {
        calls.add("export");
        return new ExportResult("runs/" + r.runId() + "/export/model.onnx", 1e-6, "stub", false);
    }

    @Override
    public ManifestResult writeManifest(ManifestRequest r) {
        calls.add("manifest");
        return new ManifestResult("runs/" + r.runId() + "/manifest.json");
    }

    @Override
    public SweepTableResult writeSweepTable(SweepTableRequest r) {
        calls.add("table:" + r.rows().size());
        return new SweepTableResult("sweeps/" + r.sweepId() + "/results.csv", "sweeps/" + r.sweepId()
                + "/results.json", "sweeps/" + r.sweepId() + "/results.md", List.of());
    }

    @Override
    public AlignResult alignEmbedder(AlignRequest r) {
        calls.add("align:" + r.method());
        return new AlignResult("runs/" + r.runId() + "/embedder/state.bin", "a1", "stub", 5, 0.5, false);
    }

    @Override
    public FineTuneResult fineTune(FineTuneRequest r) {
        calls.add("finetune:" + r.method() + ":" + (r.aligned() == null ? "-" : r.aligned().embedderKey()));
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(fineTuneMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
        if (failFineTune) {
            throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("fine-tune exploded", "Test");
        }
        return new FineTuneResult("runs/" + r.runId() + "/checkpoints/final.bin", "f1", "runs/" + r.runId()
                + "/metrics/summary.csv", 3, "ERROR_RATE", 12.5, 13.0 + r.seed(), List.of(), "stub", false);
    }

    @Override
    public ProbeResult linearProbe(ProbeRequest r) {
        calls.add("probe");
        return new ProbeResult(20, 25, "runs/" + r.runId() + "/probe/probe.json", "stub", false);
    }
}
