package dev.mona.workflows.stage;

import io.temporal.activity.ActivityInterface;

/** GPU stages, served by GPU workers on {@link dev.mona.workflows.Queues#GPU}; all heartbeat their progress. */
@ActivityInterface
public interface TrainingActivities {
    /** Stage 1: aligns the target embedder with the chosen method (Emb, ORCA or MoNA). */
    AlignResult alignEmbedder(AlignRequest request);

    /** Stage 2: fine-tunes the whole model, checkpointing every epoch and resuming from the last one on retry. */
    FineTuneResult fineTune(FineTuneRequest request);

    /**
     * The run's analysis: the linear probe of the source knowledge kept at each of {@code probe.at-epochs}, t-SNE
     * maps of the source features (pretrained vs fine-tuned) and the modality discrepancy before and after stage 1.
     */
    ProbeResult linearProbe(ProbeRequest request);
}
