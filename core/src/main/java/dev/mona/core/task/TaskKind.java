package dev.mona.core.task;

/** What a task predicts; decides the predictor and how targets are stored. */
public enum TaskKind {
    /** One class id per sample (stored as a float id). */
    CLASSIFICATION,
    /** A 0/1 vector per sample (FSD50K, DeepSEA). */
    MULTILABEL,
    /** A dense field per sample with the input's spatial shape (Darcy, PDEBench, PSICOV, Cosmic). */
    DENSE,
    /** A vector of real values per sample (task spec files' scalar regression): a linear head, like classification. */
    REGRESSION
}
