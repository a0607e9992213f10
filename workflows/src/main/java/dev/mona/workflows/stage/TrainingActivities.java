package dev.mona.workflows.stage;

import io.temporal.activity.ActivityInterface;

/** GPU stages, served by GPU workers on {@link dev.mona.workflows.Queues#GPU}; all heartbeat their progress. */
@ActivityInterface
public interface TrainingActivities {
    /** Stage 1: aligns the target embedder with the chosen method (Emb, ORCA or MoNA). */
    AlignResult alignEmbedder(AlignRequest request);

    /** Stage 2: fine-tunes the whole model, checkpointing every epoch and resuming from the last one on retry. */
    FineTuneResult fineTune(FineTuneRequest request);

    /** Linear probe of the source knowledge kept by the fine-tuned encoder. */
    ProbeResult linearProbe(ProbeRequest request);
}
