package dev.mona.core.data;

/**
 * The three splits of a task. Validation is carved from the training data and drives model selection; the
 * test split is only ever scored once, at the end (ORCA selected on test; mona does not).
 */
public record TaskData(DataSplit train, DataSplit validation, DataSplit test) {
}
